import { threadId } from 'node:worker_threads';
import type { Connection } from '../db/connection.ts';
import type { BeginMode } from '../options.ts';
import { nowMs } from './clock.ts';
import { toDbFailure, type DbFailure } from './errors.ts';

/**
 * How long a write transaction waited for SQLite's write lock and how long it held it.
 * Hold runs from the moment the lock is held (BEGIN IMMEDIATE returned, or the first write of a deferred
 * transaction returned) to COMMIT/ROLLBACK returned; wait is the time spent acquiring it.
 */
export interface LockTiming {
  waitMs: number;
  holdMs: number;
  /** Epoch ms when the lock was held; undefined when it never was. */
  startMs: number | undefined;
  endMs: number;
  threadId: number;
}

export type TxOutcome<T> =
  | { ok: true; value: T; timing: LockTiming }
  | { ok: false; failure: DbFailure; timing: LockTiming };

/** What a transaction body may do besides running statements. */
export interface Tx {
  /** Runs a statement that writes; in deferred mode the first one takes the write lock. */
  write<R>(statement: () => R): R;
  /** Milliseconds the write lock has been held so far (0 before it is held). */
  heldMs(): number;
}

/**
 * Runs `body` in one write transaction and measures lock wait and hold. Never throws: a failure (lock
 * timeout, constraint, injected fault) is rolled back and returned as data, with the timing up to then.
 */
export function runWriteTransaction<T>(db: Connection, begin: BeginMode, body: (tx: Tx) => T): TxOutcome<T> {
  const requestedAt = nowMs();
  let lockedAt: number | undefined;
  let began = false;
  const tx: Tx = {
    write(statement) {
      if (lockedAt !== undefined) return statement();
      const result = statement();
      lockedAt = nowMs();
      return result;
    },
    heldMs: () => (lockedAt === undefined ? 0 : nowMs() - lockedAt),
  };
  const timing = (endMs: number): LockTiming => ({
    waitMs: (lockedAt ?? endMs) - requestedAt,
    holdMs: lockedAt === undefined ? 0 : endMs - lockedAt,
    startMs: lockedAt,
    endMs,
    threadId,
  });
  try {
    if (begin === 'immediate') {
      db.exec('BEGIN IMMEDIATE');
      lockedAt = nowMs();
    } else {
      db.exec('BEGIN DEFERRED');
    }
    began = true;
    const value = body(tx);
    db.exec('COMMIT');
    return { ok: true, value, timing: timing(nowMs()) };
  } catch (err) {
    if (began && db.inTransaction) {
      try {
        db.exec('ROLLBACK');
      } catch {
        // SQLite may already have rolled back (e.g. after SQLITE_FULL); nothing is left to undo.
      }
    }
    return { ok: false, failure: toDbFailure(err), timing: timing(nowMs()) };
  }
}

/**
 * SQLite's single write lock and the ways a writer waits for it: SQLite's busy handler (sleep, retry,
 * give up at the busy timeout), an upgrade of a deferred transaction (fails at once), and the
 * in-process queues in front of it (the target's FIFO write queue, a thread pool's task queue).
 */
import { busyHandlerSleepMs } from './busy-handler.ts';
import type { TimedSpan } from '../shared/lock-span.ts';
import type { Agenda } from './events.ts';

/** What a write transaction is, as lock spans name it (the workflow writers' two kinds are one here). */
export type TxKind = 'import' | 'import-batch' | 'import-job' | 'catalog-update' | 'workflow-write';

/** One hold of the write lock. */
export interface Hold extends TimedSpan {
  owner: string;
  kind: TxKind;
}

/** SQLite's answer to a writer that could not have the lock. */
export type BusyCode = 'SQLITE_BUSY' | 'SQLITE_BUSY_SNAPSHOT';

export type LockOutcome = { ok: true; waitMs: number } | { ok: false; code: BusyCode; waitMs: number };

/** The write lock: at most one holder; every hold is kept. */
export class WriteLock {
  private holder: { owner: string; kind: TxKind; sinceMs: number } | null = null;
  /** When the last transaction committed (a deferred reader's snapshot older than this is stale). */
  lastCommitMs = Number.NEGATIVE_INFINITY;
  readonly holds: Hold[] = [];

  constructor(private readonly agenda: Agenda) {}

  get held(): boolean {
    return this.holder !== null;
  }

  /** Takes the lock when it is free; false when someone holds it. */
  tryTake(owner: string, kind: TxKind): boolean {
    if (this.holder !== null) return false;
    this.holder = { owner, kind, sinceMs: this.agenda.nowMs };
    return true;
  }

  /** COMMIT (or ROLLBACK) returned: the lock is free again. */
  release(owner: string, committed = true): void {
    if (this.holder === null || this.holder.owner !== owner) throw new Error(`${owner} released a write lock it does not hold`);
    this.holds.push({ owner, kind: this.holder.kind, startMs: this.holder.sinceMs, endMs: this.agenda.nowMs });
    this.holder = null;
    if (committed) this.lastCommitMs = this.agenda.nowMs;
  }
}

export interface BusyWaiter {
  owner: string;
  kind: TxKind;
  /** The connection's busy timeout, in ms. */
  timeoutMs: number;
  /** How much longer than asked each of the handler's sleeps takes, in ms. */
  sleepOvershootMs: number;
  /** Called with each sleep the handler takes (for tests and traces). */
  onSleep?: (sleepMs: number) => void;
}

/**
 * BEGIN IMMEDIATE under SQLite's default busy handler: take the lock if free; otherwise sleep per the
 * handler's schedule and try again on waking (a waiter that wakes to a taken lock sleeps again), until
 * it is had or the handler gives up (SQLITE_BUSY). Nobody is woken by a release: there is no queue.
 */
export function takeWithBusyHandler(agenda: Agenda, lock: WriteLock, waiter: BusyWaiter, done: (outcome: LockOutcome) => void): void {
  const startMs = agenda.nowMs;
  const attempt = (count: number): void => {
    if (lock.tryTake(waiter.owner, waiter.kind)) {
      done({ ok: true, waitMs: agenda.nowMs - startMs });
      return;
    }
    const sleepMs = busyHandlerSleepMs(count, waiter.timeoutMs);
    if (sleepMs === null) {
      done({ ok: false, code: 'SQLITE_BUSY', waitMs: agenda.nowMs - startMs });
      return;
    }
    waiter.onSleep?.(sleepMs);
    agenda.after(sleepMs + waiter.sleepOvershootMs, () => attempt(count + 1));
  };
  attempt(0);
}

/**
 * The first write of a deferred transaction that read since `readSinceMs`: a read-to-write upgrade.
 * SQLite does not call the busy handler for it: while another connection holds the lock it fails at
 * once (SQLITE_BUSY), and once someone committed after the read its snapshot is stale (SQLITE_BUSY_SNAPSHOT).
 */
export function takeOnUpgrade(lock: WriteLock, owner: string, kind: TxKind, readSinceMs: number): LockOutcome {
  if (lock.held) return { ok: false, code: 'SQLITE_BUSY', waitMs: 0 };
  if (lock.lastCommitMs > readSinceMs) return { ok: false, code: 'SQLITE_BUSY_SNAPSHOT', waitMs: 0 };
  lock.tryTake(owner, kind);
  return { ok: true, waitMs: 0 };
}

/**
 * First come, first served over `slots` places: the target's FIFO write queue (one slot,
 * target/scheduler.ts) and a thread pool's task queue (piscina: one slot per thread).
 */
export class FifoSlots {
  private readonly waiting: (() => void)[] = [];
  private busy = 0;

  constructor(private readonly slots: number) {
    if (!Number.isInteger(slots) || slots < 1) throw new RangeError(`slots must be an integer >= 1, got ${slots}`);
  }

  /** Runs `start` once a slot is free, in the order of the calls; `start` must call {@link leave} once done. */
  enter(start: () => void): void {
    if (this.busy < this.slots) {
      this.busy += 1;
      start();
    } else {
      this.waiting.push(start);
    }
  }

  /** A slot's holder is done: the longest waiting starts. */
  leave(): void {
    const next = this.waiting.shift();
    if (next === undefined) this.busy -= 1;
    else next();
  }

  get queued(): number {
    return this.waiting.length;
  }
}

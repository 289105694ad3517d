/**
 * A separate process that takes SQLite locks on command, for the observer's tests. POSIX locks of the
 * observing process are invisible to F_GETLK, and the observer must watch other processes anyway.
 *
 * Protocol: one JSON command per line on stdin, one JSON event per line on stdout. Every command is
 * answered by exactly one event once its effect is in place (e.g. `holding` once the lock is held), so
 * tests synchronise on these lines instead of sleeping. Times are epoch ms.
 */
import readline from 'node:readline';
import { epochNowMs } from '../../../shared/clock.ts';
import Database from 'better-sqlite3';

export type HolderCommand =
  | { op: 'open'; dbPath: string; journalMode: 'wal' | 'delete'; busyTimeoutMs?: number }
  | { op: 'hold-write'; ms: number }
  | { op: 'begin-read' }
  | { op: 'end-read' }
  | { op: 'checkpoint'; mode: 'PASSIVE' | 'FULL' | 'RESTART' | 'TRUNCATE' }
  | { op: 'write-loop'; ms: number }
  | { op: 'close' };

export type HolderEvent =
  | { event: 'opened'; pid: number }
  | { event: 'holding'; heldAtMs: number }
  | { event: 'released'; beganAtMs: number; heldAtMs: number; committedAtMs: number; endMs: number }
  | { event: 'reading'; beganAtMs: number; heldAtMs: number }
  | { event: 'read-ended'; beganAtMs: number; heldAtMs: number; committedAtMs: number; endMs: number }
  | { event: 'checkpointed'; startMs: number; endMs: number; busy: number; log: number; checkpointed: number }
  | { event: 'wrote'; commits: number; elapsedMs: number }
  | { event: 'closed' }
  | { event: 'failed'; op: string; code?: string; message: string };

const nowMs = epochNowMs;
const emit = (event: HolderEvent) => process.stdout.write(`${JSON.stringify(event)}\n`);

let db: Database.Database | undefined;
let readBeganAtMs = 0;
let readHeldAtMs = 0;

function database(): Database.Database {
  if (!db) throw new Error('send {"op":"open"} first');
  return db;
}

async function run(command: HolderCommand): Promise<void> {
  switch (command.op) {
    case 'open': {
      db = new Database(command.dbPath);
      db.pragma(`busy_timeout = ${command.busyTimeoutMs ?? 5000}`);
      db.pragma(`journal_mode = ${command.journalMode}`);
      db.pragma('synchronous = NORMAL');
      db.exec('CREATE TABLE IF NOT EXISTS held (id INTEGER PRIMARY KEY, payload TEXT)');
      // A first read makes SQLite create <db>-shm in WAL mode.
      db.prepare('SELECT count(*) FROM held').get();
      emit({ event: 'opened', pid: process.pid });
      return;
    }
    case 'hold-write': {
      const d = database();
      const beganAtMs = nowMs();
      d.exec('BEGIN IMMEDIATE');
      const heldAtMs = nowMs();
      d.prepare('INSERT INTO held (payload) VALUES (?)').run('x'.repeat(100));
      emit({ event: 'holding', heldAtMs });
      await new Promise((resolve) => setTimeout(resolve, command.ms));
      const committedAtMs = nowMs();
      d.exec('COMMIT');
      emit({ event: 'released', beganAtMs, heldAtMs, committedAtMs, endMs: nowMs() });
      return;
    }
    case 'begin-read': {
      const d = database();
      readBeganAtMs = nowMs();
      d.exec('BEGIN');
      d.prepare('SELECT count(*) FROM held').get(); // the read transaction (and its read-mark lock) starts here
      readHeldAtMs = nowMs();
      emit({ event: 'reading', beganAtMs: readBeganAtMs, heldAtMs: readHeldAtMs });
      return;
    }
    case 'end-read': {
      const committedAtMs = nowMs();
      database().exec('COMMIT');
      emit({ event: 'read-ended', beganAtMs: readBeganAtMs, heldAtMs: readHeldAtMs, committedAtMs, endMs: nowMs() });
      return;
    }
    case 'checkpoint': {
      const d = database();
      const startMs = nowMs();
      const row = d.pragma(`wal_checkpoint(${command.mode})`, { simple: false }) as Array<{ busy: number; log: number; checkpointed: number }>;
      const endMs = nowMs();
      const { busy, log, checkpointed } = row[0] ?? { busy: -1, log: -1, checkpointed: -1 };
      emit({ event: 'checkpointed', startMs, endMs, busy, log, checkpointed });
      return;
    }
    case 'write-loop': {
      const d = database();
      const insert = d.prepare('INSERT INTO held (payload) VALUES (?)');
      const started = performance.now();
      let commits = 0;
      while (performance.now() - started < command.ms) {
        insert.run('w'); // autocommit: one write transaction per row
        commits += 1;
      }
      emit({ event: 'wrote', commits, elapsedMs: performance.now() - started });
      return;
    }
    case 'close': {
      db?.close();
      db = undefined;
      emit({ event: 'closed' });
      return;
    }
  }
}

const lines = readline.createInterface({ input: process.stdin });
let queue = Promise.resolve();
lines.on('line', (line) => {
  const command = JSON.parse(line) as HolderCommand;
  queue = queue.then(() =>
    run(command).catch((err: unknown) => {
      const e = err as { code?: string; message?: string };
      emit({ event: 'failed', op: command.op, ...(e.code ? { code: e.code } : {}), message: String(e.message ?? err) });
    }),
  );
});
lines.on('close', () => {
  void queue.then(() => db?.close());
});

/**
 * A workload's SQL streams on a real SQLite file: each its own writers, transaction mode and start, and
 * each counted as its own stream. While another connection holds the write lock, a deferred transaction
 * that read first fails its write at once with SQLITE_BUSY (SQLite calls no busy handler for an upgrade),
 * a fast lock error; an immediate one waits for the lock and commits.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { epochNowMs } from '../shared/clock.ts';
import { tempDirPerTest } from '../testing/temp-dir.ts';
import { parseWorkload } from '../plan/workload/load.ts';
import { streamFigures, writerSamples } from '../analyze/workload-result.ts';
import { workloadWriterPlan } from './workload/run.ts';
import { startSqlStreams } from './sql-streams.ts';

const tmp = tempDirPerTest('lockbench-sql-streams-');
let dbPath: string;
beforeEach(() => {
  dbPath = join(tmp.path, 'app.db');
  const db = new Database(dbPath);
  db.pragma('journal_mode = WAL');
  db.exec('CREATE TABLE stock (id INTEGER PRIMARY KEY, n INTEGER NOT NULL); INSERT INTO stock VALUES (1, 100);');
  db.exec('CREATE TABLE orders (id TEXT PRIMARY KEY); CREATE TABLE audit (id TEXT PRIMARY KEY, at INTEGER NOT NULL);');
  db.exec('CREATE TABLE numbered (n INTEGER NOT NULL, stream TEXT NOT NULL);');
  db.close();
});

/** Two SQL streams and the request stream a workload needs; lock errors under 10 s are fast (busy timeout 20 s). */
const workload = () =>
  parseWorkload(
    {
      name: 'two-writers',
      lockErrors: { busyTimeout: '20s' },
      streams: {
        reads: { executor: 'constant-vus', vus: 1, duration: '1s', request: { method: 'GET', path: '/' } },
        orders: {
          executor: 'constant-arrival-rate',
          rate: 40,
          duration: '10s',
          sql: { transaction: 'deferred', threads: 1, busyTimeout: '20s', statements: ['SELECT n FROM stock WHERE id = 1', 'INSERT INTO orders (id) VALUES (:id)'] },
        },
        audit: {
          executor: 'constant-arrival-rate',
          rate: 40,
          duration: '10s',
          startTime: '300ms',
          sql: { transaction: 'immediate', threads: 1, busyTimeout: '20s', statements: ['INSERT INTO audit (id, at) VALUES (:id, :nowMs)'] },
        },
      },
    },
    'test',
    tmp.path,
  ).workload;

/** The side writers of `streams` (SQL streams writing the table numbered), beside the request stream a workload needs, warmed up. */
async function numberedWriters(streams: Record<string, unknown>) {
  const loaded = parseWorkload({ name: 'numbered', streams: { reads: { executor: 'constant-vus', vus: 1, duration: '1s', request: { method: 'GET', path: '/' } }, ...streams } }, 'test', tmp.path).workload;
  const plan = workloadWriterPlan(loaded, undefined);
  if (!plan.run) throw new Error(plan.reason);
  return startSqlStreams(plan.streams, { dbPath });
}

/** Waits until `writes` writes have been answered, then stops the writers (also when the wait fails) and returns what they measured. */
async function writeAndStop(writers: Awaited<ReturnType<typeof startSqlStreams>>, writes: number) {
  let result;
  try {
    await writers.until((p) => p.writes >= writes);
  } finally {
    result = await writers.stop();
  }
  return result;
}

/** The numbers :n that the writes of `stream` stored in the table numbered, in order. */
function storedNumbers(stream: string): number[] {
  const db = new Database(dbPath, { readonly: true });
  try {
    return (db.prepare('SELECT n FROM numbered WHERE stream = ? ORDER BY n').all(stream) as { n: number }[]).map((r) => r.n);
  } finally {
    db.close();
  }
}

describe('SQL streams', () => {
  it('stopped before the load began, write nothing and close their connections', async () => {
    const plan = workloadWriterPlan(workload(), undefined);
    if (!plan.run) throw new Error(plan.reason);
    const writers = await startSqlStreams(plan.streams, { dbPath });
    const result = await writers.stop({ drain: false });
    expect(result).toMatchObject({ scheduled: 0, writes: 0, samples: [] });
    // Started later, nothing happens: the stop was final.
    writers.begin!(epochNowMs());
    expect(writers.progress().scheduled).toBe(0);
  });

  it('run side by side, each counted as its own stream; a deferred read-then-write fails fast while the lock is held, an immediate one waits', async () => {
    const loaded = workload();
    const plan = workloadWriterPlan(loaded, undefined);
    if (!plan.run) throw new Error(plan.reason);
    const holder = new Database(dbPath);
    const writers = await startSqlStreams(plan.streams, { dbPath });
    let result;
    // Warmed up, nothing written until the load's t0 is given.
    expect(writers.progress().scheduled).toBe(0);
    const startedAt = epochNowMs();
    writers.begin!(startedAt);
    try {
      holder.exec('BEGIN IMMEDIATE');
      try {
        // Held until some deferred writes have failed and some immediate ones are waiting for it.
        await writers.until((p) => p.failed >= 3 && p.inFlight >= 1);
      } finally {
        holder.exec('COMMIT');
      }
      await writers.until((p) => p.writes >= 20);
    } finally {
      result = await writers.stop();
      holder.close();
    }
    const figures = streamFigures(loaded, writerSamples(loaded, result.samples));
    const orders = figures.find((f) => f.stream === 'orders')!;
    const audit = figures.find((f) => f.stream === 'audit')!;
    // Every failure of the deferred stream is SQLite refusing the upgrade at once: a fast lock error.
    expect(orders.lockErrors.fast).toBeGreaterThanOrEqual(3);
    expect(orders.lockErrors).toMatchObject({ total: orders.lockErrors.fast, timedOut: 0, unknown: 0 });
    expect(orders.otherErrors).toBe(0);
    // SQLITE_BUSY, or SQLITE_BUSY_SNAPSHOT when a commit came between the read and the write in WAL: the busy family.
    const busy = Object.entries(result.errorsByCode).filter(([code]) => code.startsWith('SQLITE_BUSY')).reduce((n, [, count]) => n + count, 0);
    expect(busy).toBe(orders.lockErrors.total);
    // The immediate stream waited for the lock instead: no error at all.
    expect(audit).toMatchObject({ lockErrors: { total: 0 }, otherErrors: 0 });
    expect(audit.successes).toBeGreaterThan(0);
    // Each stream's writes are on the load's timeline: the first due at t0, plus its startTime for the audit.
    const firstOf = (stream: string) => Math.min(...result.samples.filter((s) => s.stream === stream).map((s) => s.scheduledAtMs));
    expect(firstOf('orders')).toBeCloseTo(startedAt, 3);
    expect(firstOf('audit')).toBeCloseTo(startedAt + 300, 3);
    // Each lock hold keeps its stream, so the timeline draws a row per stream: a thread writes for one stream only.
    // (Every audit write held the lock and committed; an order may have failed every write it tried.)
    const spans = result.spans ?? [];
    expect(spans.every((s) => s.stream === 'orders' || s.stream === 'audit')).toBe(true);
    expect(spans.filter((s) => s.stream === 'audit')).toHaveLength(audit.successes);
    const streamsOfThread = new Map<number | undefined, Set<string | undefined>>();
    for (const span of spans) streamsOfThread.set(span.thread, (streamsOfThread.get(span.thread) ?? new Set()).add(span.stream));
    expect([...streamsOfThread.values()].every((streams) => streams.size === 1)).toBe(true);
    // The sum is what results.json keeps; the database holds exactly what each stream acknowledged.
    expect(result.writes).toBe(orders.requests + audit.requests);
    const db = new Database(dbPath, { readonly: true });
    try {
      expect((db.prepare('SELECT count(*) AS n FROM orders').get() as { n: number }).n).toBe(orders.acknowledged);
      expect((db.prepare('SELECT count(*) AS n FROM audit').get() as { n: number }).n).toBe(audit.acknowledged);
    } finally {
      db.close();
    }
  });

  it('write each its own numbers :n, from 0 in schedule order, and stop scheduling once their duration from their start is over', async () => {
    const writers = await numberedWriters({
          // 40 a second for 250 ms from t0 + 100 ms: 10 writes, numbered 0..9.
          tens: { executor: 'constant-arrival-rate', rate: 40, duration: '250ms', startTime: '100ms', sql: { threads: 1, statements: ["INSERT INTO numbered (n, stream) VALUES (:n, 'tens')"] } },
          // 20 a second for 200 ms from t0: 4 writes, numbered 0..3.
          fours: { executor: 'constant-arrival-rate', rate: 20, duration: '200ms', sql: { threads: 1, statements: ["INSERT INTO numbered (n, stream) VALUES (:n, 'fours')"] } },
    });
    // The load's t0 a minute ago: every write due within either stream's duration is due at once, and
    // none after, so the count is the schedule's own, whatever the machine's speed.
    const startedAt = epochNowMs() - 60_000;
    writers.begin!(startedAt);
    const result = await writeAndStop(writers, 14);
    expect(result).toMatchObject({ scheduled: 14, notIssued: 0, writes: 14, failed: 0 });
    const scheduledOf = (stream: string) => result.samples.filter((s) => s.stream === stream).map((s) => s.scheduledAtMs);
    expect(scheduledOf('tens').every((t) => t >= startedAt + 100 && t < startedAt + 100 + 250)).toBe(true);
    expect(scheduledOf('fours').every((t) => t >= startedAt && t < startedAt + 200)).toBe(true);
    expect(storedNumbers('tens')).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(storedNumbers('fours')).toEqual([0, 1, 2, 3]);
  });
});

describe('SQL streams with endsAfter', () => {
  it('stop at the end of the request stream they name plus the tail, or of the SQL stream they name, not at their own duration', async () => {
    const writers = await numberedWriters({
          // 20 a second for 150 ms: 3 writes, due at 0, 50 and 100 ms.
          first: { executor: 'constant-arrival-rate', rate: 20, duration: '150ms', sql: { threads: 1, statements: ["INSERT INTO numbered (n, stream) VALUES (:n, 'first')"] } },
          // After first's schedule (150 ms) plus 100 ms: 5 writes, not its 60 s.
          after: { executor: 'constant-arrival-rate', rate: 20, duration: '60s', endsAfter: { stream: 'first', tail: '100ms' }, sql: { threads: 1, statements: ["INSERT INTO numbered (n, stream) VALUES (:n, 'after')"] } },
          // After reads, told ended at 200 ms, plus 100 ms: 6 writes.
          cut: { executor: 'constant-arrival-rate', rate: 20, duration: '60s', endsAfter: { stream: 'reads', tail: '100ms' }, sql: { threads: 1, statements: ["INSERT INTO numbered (n, stream) VALUES (:n, 'cut')"] } },
    });
    // The load's t0 a minute ago, its reads ended 200 ms after it: every write due before each stream's end
    // is due at once, and none after, so the counts are the schedules' own, whatever the machine's speed.
    const startedAt = epochNowMs() - 60_000;
    writers.streamEnded!('reads', startedAt + 200);
    writers.begin!(startedAt);
    // Told again, or later, changes nothing.
    writers.streamEnded!('reads', startedAt + 50_000);
    const result = await writeAndStop(writers, 14);
    expect(result).toMatchObject({ scheduled: 14, notIssued: 0, writes: 14, failed: 0 });
    const lastDue = (stream: string) => Math.max(...result.samples.filter((s) => s.stream === stream).map((s) => s.scheduledAtMs));
    expect(lastDue('after')).toBeLessThan(startedAt + 150 + 100);
    expect(lastDue('cut')).toBeLessThan(startedAt + 200 + 100);
    expect(storedNumbers('first')).toEqual([0, 1, 2]);
    expect(storedNumbers('after')).toEqual([0, 1, 2, 3, 4]);
    expect(storedNumbers('cut')).toEqual([0, 1, 2, 3, 4, 5]);
  });
});

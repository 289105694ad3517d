import type Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSeededDb, type SeededDb } from '../../testing/seeded-db.ts';
import { CLOCK_AGREEMENT_MS, epochNowMs } from '../../shared/clock.ts';
import { startWorkflowWriters } from './writers.ts';
import { planWorkflowWriters } from '../../plan/workflow-writers.ts';
import { RUN_WRITERS } from '../../testing/writers.ts';

let seeded: SeededDb;
let blocker: Database.Database;

beforeEach(() => {
  seeded = createSeededDb();
  blocker = seeded.connect();
});
afterEach(() => seeded.remove());

describe('workflow writers behind a held write lock', () => {
  it('keep issuing on schedule while the lock is held, and report the wait as latency and lock wait', async () => {
    blocker.exec('BEGIN IMMEDIATE');
    const writers = await startWorkflowWriters(planWorkflowWriters({ ...RUN_WRITERS, writesPerSecond: 100 }), { dbPath: seeded.path });
    await writers.until((p) => p.scheduled >= 30);
    // Open model: writes kept being issued although none could be answered.
    expect(writers.progress().writes).toBe(0);
    const committingAtMs = epochNowMs();
    blocker.exec('COMMIT');
    await writers.until((p) => p.writes >= 30);
    const result = await writers.stop();

    expect(result.failed).toBe(0);
    // Every write scheduled while the lock was held was answered only after it was let go: the wait is in
    // its latency (from its scheduled time) and in the lock wait, whatever the machine's pace.
    const waited = result.samples.filter((s) => s.scheduledAtMs < committingAtMs);
    expect(waited.length).toBeGreaterThanOrEqual(30);
    for (const s of waited) expect(s.scheduledAtMs + s.latencyMs).toBeGreaterThanOrEqual(committingAtMs - CLOCK_AGREEMENT_MS);
    // The summaries carry the same wait.
    expect(result.latency.maxMs).toBeGreaterThan(0);
    expect(result.lockWait.maxMs).toBeGreaterThan(0);
  });

  it('count SQLITE_BUSY by code when the busy timeout runs out', async () => {
    blocker.exec('BEGIN IMMEDIATE');
    const writers = await startWorkflowWriters(planWorkflowWriters({ ...RUN_WRITERS, writesPerSecond: 100, busyTimeoutMs: 20 }), { dbPath: seeded.path });
    await writers.until((p) => p.failed >= 3);
    blocker.exec('COMMIT');
    const result = await writers.stop();

    expect(result.errorsByCode.SQLITE_BUSY).toBeGreaterThanOrEqual(3);
    expect(result.failed).toBe(Object.values(result.errorsByCode).reduce((a, b) => a + b, 0));
  });

  it('count writes beyond the in-flight bound as not issued instead of queueing them', async () => {
    blocker.exec('BEGIN IMMEDIATE');
    const writers = await startWorkflowWriters(planWorkflowWriters({ ...RUN_WRITERS, writesPerSecond: 200, maxInFlight: 3 }), { dbPath: seeded.path });
    await writers.until((p) => p.notIssued >= 5);
    expect(writers.progress().inFlight).toBe(3);
    blocker.exec('COMMIT');
    const result = await writers.stop();

    expect(result.notIssued).toBeGreaterThanOrEqual(5);
    expect(result.scheduled).toBe(result.notIssued + result.writes + result.abandoned);
  });

  it('end every wait at once when stopped without draining, although the lock stays held', async () => {
    blocker.exec('BEGIN IMMEDIATE');
    const writers = await startWorkflowWriters(planWorkflowWriters({ ...RUN_WRITERS, writesPerSecond: 200, threads: 2 }), { dbPath: seeded.path });
    await writers.until((p) => p.inFlight >= 6);
    // The holder keeps the lock (a target still importing): the writers give up their waits, close
    // their connections and end, instead of waiting out their 10 s busy timeout.
    const result = await writers.stop({ drain: false });
    expect(blocker.inTransaction).toBe(true);
    blocker.exec('COMMIT');

    expect(result.writes).toBe(0);
    expect(result.abandoned).toBeGreaterThanOrEqual(6);
    expect(result.scheduled).toBe(result.notIssued + result.writes + result.abandoned);
    expect(result.failed).toBe(0);
  });

  it('cut a drain short when stopped again without draining (a Ctrl-C while they drain)', async () => {
    blocker.exec('BEGIN IMMEDIATE');
    const writers = await startWorkflowWriters(planWorkflowWriters({ ...RUN_WRITERS, writesPerSecond: 200, threads: 2 }), { dbPath: seeded.path });
    await writers.until((p) => p.inFlight >= 4);
    // Draining would wait out the 10 s busy timeout behind the held lock.
    const draining = writers.stop();
    const result = await writers.stop({ drain: false });
    expect(await draining).toBe(result);
    expect(blocker.inTransaction).toBe(true);
    blocker.exec('COMMIT');
    expect(result.writes).toBe(0);
    expect(result.abandoned).toBeGreaterThanOrEqual(4);
  });
});

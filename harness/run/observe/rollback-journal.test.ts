import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { LOCK_COUNT, LOCK_EXCLUSIVE, WRITE_LOCK } from './layout.ts';
import { openLockProbe } from './probe.ts';
import { useObserveFixture } from './testing/fixture.ts';
import { excessOverBoundMs, type MeasuredHold } from './testing/hold-checks.ts';
import { progressFeed } from './testing/progress-feed.ts';
import { summarizeObservation } from '../../analyze/observation-summary.ts';

const INTERVAL_US = 250;
/** How long the write transaction stays open before its COMMIT, in ms. */
const OPEN_MS = 150;

describe('a rollback-journal database (journal_mode DELETE)', () => {
  const fixture = useObserveFixture();

  it('shows a write transaction (RESERVED) and, inside it, its commit (PENDING while a reader keeps it waiting)', async () => {
    const dbPath = fixture.file('journal.db');
    const writer = await fixture.holder(dbPath, { journalMode: 'delete', busyTimeoutMs: 10_000 });
    const reader = await fixture.holder(dbPath, { journalMode: 'delete' });
    const feed = progressFeed();
    const observer = await fixture.observe({ dbPath, intervalUs: INTERVAL_US, progressEveryMs: 5, onProgress: feed.onProgress });

    writer.send({ op: 'hold-write', ms: OPEN_MS });
    await writer.next('holding');
    // A reader with a SHARED lock: the writer's COMMIT takes PENDING and waits (busy timeout) until it leaves,
    // which it does once the observer has seen the commit waiting.
    await reader.request({ op: 'begin-read' }, 'reading');
    await feed.until((p) => p.committing?.pid === writer.pid);
    const read = await reader.request({ op: 'end-read' }, 'read-ended');
    const released = await writer.next('released');
    const result = summarizeObservation(await observer.stop());

    expect(result.summary.journalMode).toBe('rollback');
    const holds = result.writeSpans.filter((s) => s.pid === writer.pid);
    expect(holds).toHaveLength(1);
    const hold = holds[0]!;
    const measured: MeasuredHold = { beforeMs: released.beganAtMs, heldAtMs: released.heldAtMs, releasingAtMs: released.committedAtMs, afterMs: released.endMs };
    // The transaction ends when COMMIT returns: after the reader left, however long the holder slept.
    const committedHold: MeasuredHold = { ...measured, releasingAtMs: Math.max(measured.releasingAtMs, read.committedAtMs) };
    expect(excessOverBoundMs(hold, committedHold, INTERVAL_US / 1000)).toBeLessThanOrEqual(0);

    const commits = (result.commitSpans ?? []).filter((s) => s.pid === writer.pid);
    expect(commits).toHaveLength(1);
    const commit = commits[0]!;
    // From COMMIT asked for to the reader gone, then the file written: known to within the sample gaps.
    const waited: MeasuredHold = { beforeMs: released.committedAtMs, heldAtMs: released.committedAtMs, releasingAtMs: read.committedAtMs, afterMs: released.endMs };
    expect(excessOverBoundMs(commit, waited, INTERVAL_US / 1000)).toBeLessThanOrEqual(0);
    expect(commit.startMs).toBeGreaterThanOrEqual(hold.startMs);
    expect(commit.endMs).toBeLessThanOrEqual(hold.endMs);
    expect(result.summary.longestHoldCommittingMs).toBeCloseTo(commit.endMs - commit.startMs, 6);
    expect(result.summary.holders.find((h) => h.pid === writer.pid)?.committingMs).toBeCloseTo(commit.endMs - commit.startMs, 6);
  });

  it('is followed when an application switches it to WAL while it is watched', async () => {
    const dbPath = fixture.file('switching.db');
    const holder = await fixture.holder(dbPath, { journalMode: 'delete' });
    const observer = await fixture.observe({ dbPath, intervalUs: INTERVAL_US });

    const holdOnce = async () => {
      holder.send({ op: 'hold-write', ms: 40 });
      await holder.next('holding');
      return holder.next('released');
    };
    const inRollback = await holdOnce();
    await holder.request({ op: 'close' }, 'closed');
    await holder.request({ op: 'open', dbPath, journalMode: 'wal' }, 'opened');
    const inWal = await holdOnce();
    const result = summarizeObservation(await observer.stop());

    expect(result.summary.journalMode).toBe('changed');
    expect(result.journalModes.map((m) => m.mode)).toEqual(['rollback', 'wal']);
    const switchedAtMs = result.journalModes[1]!.startMs;
    const holdAround = (m: { heldAtMs: number; committedAtMs: number }) =>
      result.writeSpans.filter((s) => s.pid === holder.pid && s.startMs <= (m.heldAtMs + m.committedAtMs) / 2 && s.endMs >= (m.heldAtMs + m.committedAtMs) / 2);
    expect(holdAround(inRollback)).toHaveLength(1);
    expect(holdAround(inRollback)[0]!.endMs).toBeLessThanOrEqual(switchedAtMs + 1);
    expect(holdAround(inWal)).toHaveLength(1);
    expect(holdAround(inWal)[0]!.startMs).toBeGreaterThanOrEqual(switchedAtMs);
  });

  it('is not touched by starting a waiting observer: the POSIX locks of the starting process stay held', async () => {
    // Closing any descriptor of a file drops every POSIX lock the process holds on it; the harness starts
    // its observer from the process whose threads are the workflow writers.
    const dbPath = fixture.file('own-locks.db');
    const db = new Database(dbPath);
    const modes = new Uint8Array(LOCK_COUNT);
    const pids = new Int32Array(LOCK_COUNT);
    try {
      db.pragma('journal_mode = DELETE');
      db.exec('CREATE TABLE t (x)');
      const probe = openLockProbe(dbPath);
      db.exec('BEGIN IMMEDIATE');
      await fixture.observe({ dbPath, waitForConnection: true });
      probe.readChangeCounter();
      probe.readLocks(modes, pids);
      expect([modes[WRITE_LOCK], pids[WRITE_LOCK]]).toEqual([LOCK_EXCLUSIVE, process.pid]);
      db.exec('COMMIT');
      probe.close();
    } finally {
      db.close();
    }
  });
});

import { describe, expect, it } from 'vitest';
import { COMMIT_LOCK, LOCK_EXCLUSIVE, LOCK_NONE, LOCK_SHARED } from './layout.ts';
import type { JournalMode } from '../../model/lock-observation.ts';
import { createSpanTracker, type LockSample } from './tracker.ts';

const W = 0;
const CKPT = 1;
const READ1 = 4;

/** A sample taken while no connection had the database open (no -shm): every lock free, no counter. */
function noConnection(atMs: number): LockSample {
  return { readFromMs: atMs - 0.5, atMs, modes: new Array<number>(8).fill(LOCK_NONE), pids: new Array<number>(8).fill(0), changeCounter: -1, connected: false };
}

/** A sample where only the given lock indexes are held. */
function sample(atMs: number, held: Array<[index: number, pid: number, mode?: number]>, changeCounter = 7, journalMode: JournalMode = 'wal'): LockSample {
  const modes = new Array<number>(9).fill(LOCK_NONE);
  const pids = new Array<number>(9).fill(0);
  for (const [index, pid, mode] of held) {
    modes[index] = mode ?? LOCK_EXCLUSIVE;
    pids[index] = pid;
  }
  return { readFromMs: atMs - 0.5, atMs, modes, pids, changeCounter, connected: true, journalMode };
}

/** A sample of a rollback-journal database: W is RESERVED, COMMIT_LOCK is PENDING or EXCLUSIVE. */
const rollback = (atMs: number, held: Array<[index: number, pid: number]>, changeCounter = 7) => sample(atMs, held, changeCounter, 'rollback');

describe('span tracker', () => {
  it('times a hold from the first sample that sees it held to the first that sees it free', () => {
    const tracker = createSpanTracker();
    tracker.record(sample(0, []));
    tracker.record(sample(1, [[W, 100]]));
    tracker.record(sample(2, [[W, 100]]));
    tracker.record(sample(3, []));
    const spans = tracker.finish(4);
    expect(spans.writeSpans).toEqual([
      { startMs: 1, endMs: 3, acquiredAfterMs: -0.5, releasedAfterMs: 1.5, pid: 100, startedBy: 'acquire', endedBy: 'release' },
    ]);
  });

  it('splits a continuous hold where the holder pid changes', () => {
    const tracker = createSpanTracker();
    tracker.record(sample(0, []));
    tracker.record(sample(1, [[W, 100]]));
    tracker.record(sample(2, [[W, 200]]));
    tracker.record(sample(3, []));
    expect(tracker.finish(4).writeSpans).toEqual([
      { startMs: 1, endMs: 2, acquiredAfterMs: -0.5, releasedAfterMs: 0.5, pid: 100, startedBy: 'acquire', endedBy: 'handoff' },
      { startMs: 2, endMs: 3, acquiredAfterMs: 0.5, releasedAfterMs: 1.5, pid: 200, startedBy: 'handoff', endedBy: 'release' },
    ]);
  });

  it('splits a hold of one process where the commit counter moved: it committed and took the lock again', () => {
    const tracker = createSpanTracker();
    tracker.record(sample(0, [], 7));
    tracker.record(sample(1, [[W, 100]], 7));
    tracker.record(sample(2, [[W, 100]], 7));
    tracker.record(sample(3, [[W, 100]], 8));
    tracker.record(sample(4, [], 9));
    expect(tracker.finish(5).writeSpans.map((s) => [s.startMs, s.endMs, s.endedBy])).toEqual([
      [1, 3, 'handoff'],
      [3, 4, 'release'],
    ]);
  });

  it('keeps one hold when a sample falls between a COMMIT bumping the counter and releasing the lock', () => {
    const tracker = createSpanTracker();
    tracker.record(sample(0, [], 7));
    tracker.record(sample(1, [[W, 100]], 7));
    tracker.record(sample(2, [[W, 100]], 8)); // committed, lock not yet released
    tracker.record(sample(3, [], 8)); // released, and no later commit: it was the same transaction
    expect(tracker.finish(4).writeSpans).toEqual([
      { startMs: 1, endMs: 3, acquiredAfterMs: -0.5, releasedAfterMs: 1.5, pid: 100, startedBy: 'acquire', endedBy: 'release' },
    ]);
  });

  it('does not split on an unknown commit counter', () => {
    const tracker = createSpanTracker();
    tracker.record(sample(0, [[W, 100]], -1));
    tracker.record(sample(1, [[W, 100]], 4));
    tracker.record(sample(2, [[W, 100]], 4));
    expect(tracker.finish(3).writeSpans).toHaveLength(1);
  });

  it('marks holds cut by the start and the end of observing', () => {
    const tracker = createSpanTracker();
    tracker.record(sample(10, [[W, 100]]));
    tracker.record(sample(11, []));
    tracker.record(sample(12, [[CKPT, 300]]));
    const spans = tracker.finish(15);
    expect(spans.writeSpans[0]).toMatchObject({ startedBy: 'observer-start', endedBy: 'release' });
    expect(spans.checkpointSpans).toEqual([
      { startMs: 12, endMs: 15, acquiredAfterMs: 10.5, releasedAfterMs: 11.5, pid: 300, startedBy: 'acquire', endedBy: 'observer-stop' },
    ]);
  });

  it('reports read-mark locks with their slot and mode, and says who holds what while running', () => {
    const tracker = createSpanTracker();
    tracker.record(sample(0, []));
    tracker.record(sample(1, [[READ1, 400, LOCK_SHARED], [W, 100]]));
    expect(tracker.progress(1.5, 2)).toEqual({
      atMs: 1.5,
      connected: true,
      journalMode: 'wal',
      write: { pid: 100, sinceMs: 1 },
      committing: null,
      checkpoint: null,
      readers: [{ slot: 1, pid: 400, sinceMs: 1 }],
      spanCount: 0,
      holdMaxMs: null,
      samples: 2,
    });
    tracker.record(sample(5, [[READ1, 400, LOCK_EXCLUSIVE]]));
    tracker.record(sample(6, []));
    expect(tracker.finish(7).readLocks).toEqual([
      { startMs: 1, endMs: 5, acquiredAfterMs: -0.5, releasedAfterMs: 0.5, pid: 400, startedBy: 'acquire', endedBy: 'handoff', slot: 1, mode: 'shared' },
      { startMs: 5, endMs: 6, acquiredAfterMs: 0.5, releasedAfterMs: 4.5, pid: 400, startedBy: 'handoff', endedBy: 'release', slot: 1, mode: 'exclusive' },
    ]);
  });

  it('keeps the time with no connection open as spans of its own, between holds it neither splits nor joins', () => {
    const tracker = createSpanTracker();
    tracker.record(noConnection(0)); // waiting for the first connection
    tracker.record(noConnection(1));
    tracker.record(sample(2, [[W, 100]], 3)); // a new -shm, the lock already taken since the sample before
    tracker.record(sample(3, [[W, 100]], 4)); // committed, not yet released
    tracker.record(sample(4, [], 4)); // the removed -shm read one last time: released with no later commit
    tracker.record(noConnection(5));
    tracker.record(noConnection(6));
    tracker.record(sample(7, [[W, 200]], 0)); // the next connection's -shm
    expect(tracker.progress(7, 8)).toMatchObject({ connected: true, write: { pid: 200, sinceMs: 7 } });
    tracker.record(noConnection(8));
    expect(tracker.progress(8, 9)).toMatchObject({ connected: false, write: null });
    const spans = tracker.finish(9);
    expect(spans.writeSpans).toEqual([
      { startMs: 2, endMs: 4, acquiredAfterMs: 0.5, releasedAfterMs: 2.5, pid: 100, startedBy: 'acquire', endedBy: 'release' },
      { startMs: 7, endMs: 8, acquiredAfterMs: 5.5, releasedAfterMs: 6.5, pid: 200, startedBy: 'acquire', endedBy: 'release' },
    ]);
    expect(spans.noConnectionSpans).toEqual([
      { startMs: -0.5, endMs: 1.5 },
      { startMs: 4.5, endMs: 6.5 },
      { startMs: 7.5, endMs: 9 },
    ]);
  });

  it('in rollback-journal mode keeps the commit (PENDING, EXCLUSIVE) apart, inside the write transaction (RESERVED) it ends', () => {
    const tracker = createSpanTracker();
    tracker.record(rollback(0, [], 7));
    tracker.record(rollback(1, [[W, 100]], 7));
    tracker.record(rollback(2, [[W, 100]], 7));
    tracker.record(rollback(3, [[W, 100], [COMMIT_LOCK, 100]], 7));
    expect(tracker.progress(3.5, 4)).toMatchObject({ journalMode: 'rollback', write: { pid: 100, sinceMs: 1 }, committing: { pid: 100, sinceMs: 3 } });
    tracker.record(rollback(4, [[W, 100], [COMMIT_LOCK, 100]], 8)); // the file change counter written
    tracker.record(rollback(5, [], 8));
    const spans = tracker.finish(6);
    // The counter moved while the commit was under way: one transaction, not split there.
    expect(spans.writeSpans.map((s) => [s.startMs, s.endMs, s.pid, s.endedBy])).toEqual([[1, 5, 100, 'release']]);
    expect(spans.commitSpans.map((s) => [s.startMs, s.endMs, s.pid])).toEqual([[3, 5, 100]]);
    expect(spans.journalModes).toEqual([{ mode: 'rollback', startMs: -0.5, endMs: 6 }]);
  });

  it('follows a change of journal mode, without reading a change of commit counter into it', () => {
    const tracker = createSpanTracker();
    tracker.record(rollback(0, [[W, 100]], 40)); // the switch to WAL runs in a write transaction
    tracker.record(sample(1, [[W, 100]], 2)); // WAL now: the counter is another one, nothing committed
    tracker.record(sample(2, [], 2));
    tracker.record(sample(3, [[W, 200]], 2));
    tracker.record(sample(4, [], 3));
    const spans = tracker.finish(5);
    expect(spans.writeSpans.map((s) => [s.startMs, s.endMs, s.pid])).toEqual([
      [0, 2, 100],
      [3, 4, 200],
    ]);
    expect(spans.journalModes).toEqual([
      { mode: 'rollback', startMs: -0.5, endMs: 0.5 },
      { mode: 'wal', startMs: 0.5, endMs: 5 },
    ]);
  });
});

import { epochNowMs } from '../../shared/clock.ts';
import { describe, expect, it } from 'vitest';
import { LOCK_EXCLUSIVE, LOCK_NONE, WRITE_LOCK } from './layout.ts';
import { runPollLoop } from './poll-loop.ts';
import type { LockProbe } from './probe.ts';

const HOLDER_PID = 100;
const CONFIG = { intervalUs: 250, durationMs: null, progressEveryMs: 1000 };
const nowMs = epochNowMs;

/** The write lock as a fake probe shows it: held by HOLDER_PID or free, and the commit counter. */
interface FakeWriteLock {
  held: boolean;
  changeCounter: number;
}

/**
 * A probe over `lock`. `duringPoll(n)` runs in the middle of poll n, after its commit counter was read
 * and before its locks are; `afterPoll(n)` runs after poll n. Either stands for whatever the holder did
 * while the polling thread was descheduled there.
 */
function fakeProbe(lock: FakeWriteLock, hooks: { duringPoll?: (poll: number) => void; afterPoll?: (poll: number) => void }): LockProbe {
  let poll = 1;
  return {
    dbPath: '/nonexistent',
    shmPath: '/nonexistent-shm',
    command: 'F_OFD_GETLK',
    journalMode: 'wal',
    connected: true,
    shmOpen: true,
    readLocks(modes, pids) {
      modes.fill(LOCK_NONE);
      pids.fill(0);
      if (lock.held) {
        modes[WRITE_LOCK] = LOCK_EXCLUSIVE;
        pids[WRITE_LOCK] = HOLDER_PID;
      }
    },
    readChangeCounter() {
      const changeCounter = lock.changeCounter;
      hooks.duringPoll?.(poll);
      return changeCounter;
    },
    follow() {
      hooks.afterPoll?.(poll);
      poll += 1;
      return 'unchanged';
    },
    close: () => undefined,
  };
}

/** Returns the time, then lets the clock move on: the next reading is strictly later. */
function markTime(): number {
  const atMs = nowMs();
  while (nowMs() <= atMs);
  return atMs;
}

/**
 * Runs the poll loop over a write lock that HOLDER_PID holds from before the first poll (commit counter
 * 1) until, right after poll `releaseAfterPoll`, it commits, releases it and stop() is called, all before
 * the next poll. `duringPoll` may change the lock in between too.
 */
function observeScripted(script: { releaseAfterPoll: number; duringPoll?: (poll: number, lock: FakeWriteLock) => void }) {
  const stopFlag = new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT));
  const lock: FakeWriteLock = { held: true, changeCounter: 1 };
  let releasedAtMs = Number.NaN;
  const probe = fakeProbe(lock, {
    duringPoll: (poll) => script.duringPoll?.(poll, lock),
    afterPoll(poll) {
      if (poll !== script.releaseAfterPoll) return;
      lock.held = false;
      lock.changeCounter += 1;
      releasedAtMs = markTime();
      Atomics.store(stopFlag, 0, 1);
    },
  });
  const outcome = runPollLoop(probe, CONFIG, { stopFlag });
  return { outcome, releasedAtMs };
}

describe('poll loop', () => {
  it('samples once more after a stop, so a lock released before the stop is seen released', () => {
    const { outcome, releasedAtMs } = observeScripted({ releaseAfterPoll: 3 });

    // Before, the loop left on seeing the flag without sampling: the hold ended 'observer-stop' at the
    // third sample, before the holder let go.
    expect(outcome.writeSpans).toHaveLength(1);
    const [span] = outcome.writeSpans;
    expect(span).toMatchObject({ pid: HOLDER_PID, startedBy: 'observer-start', endedBy: 'release' });
    expect(span!.endMs).toBeGreaterThan(releasedAtMs);
    expect(outcome).toMatchObject({ samples: 4, endedAtMs: span!.endMs });
  });

  it('dates a commit and re-take from before the commit counter was read, not from the lock read after it', () => {
    let committedAtMs = Number.NaN;
    const { outcome } = observeScripted({
      releaseAfterPoll: 3,
      duringPoll(poll, lock) {
        if (poll !== 2) return;
        lock.changeCounter += 1; // COMMIT and BEGIN IMMEDIATE again, between the counter and the locks
        committedAtMs = markTime();
      },
    });

    // Poll 2 read the old counter and then the lock held: it tells nothing of when the commit happened.
    // Poll 3 sees the new counter; the first hold ended and the second began after poll 2 began. Before,
    // both were dated from poll 2's lock read, after the commit: a release bound later than the release.
    expect(outcome.writeSpans.map((s) => [s.startedBy, s.endedBy])).toEqual([
      ['observer-start', 'handoff'],
      ['handoff', 'release'],
    ]);
    const [first, second] = outcome.writeSpans;
    expect(first!.releasedAfterMs).toBeLessThan(committedAtMs);
    expect(first!.endMs).toBeGreaterThan(committedAtMs);
    expect(second!.acquiredAfterMs).toBeLessThan(committedAtMs);
  });
});

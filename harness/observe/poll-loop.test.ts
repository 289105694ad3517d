import { describe, expect, it } from 'vitest';
import { LOCK_EXCLUSIVE, LOCK_NONE, WRITE_LOCK } from './layout.ts';
import { runPollLoop } from './poll-loop.ts';
import type { LockProbe } from './probe.ts';

const HOLDER_PID = 100;
const nowMs = () => performance.timeOrigin + performance.now();

/**
 * A probe whose write lock is held by HOLDER_PID until the end of poll `releaseAfterPoll`; right then the
 * holder releases it and stop is asked for, both before the loop's next sample: what a poller sees when
 * its thread is descheduled through a COMMIT and the stop() that follows it.
 */
function probeReleasingThenStopped(stopFlag: Int32Array, releaseAfterPoll: number) {
  let held = true;
  let polls = 0;
  const events = { releasedAtMs: Number.NaN };
  const probe: LockProbe = {
    shmPath: '/nonexistent-shm',
    command: 'F_OFD_GETLK',
    connected: true,
    readLocks(modes, pids) {
      modes.fill(LOCK_NONE);
      pids.fill(0);
      if (held) {
        modes[WRITE_LOCK] = LOCK_EXCLUSIVE;
        pids[WRITE_LOCK] = HOLDER_PID;
      }
    },
    readChangeCounter: () => (held ? 1 : 2),
    follow() {
      polls += 1;
      if (polls === releaseAfterPoll) {
        held = false;
        events.releasedAtMs = nowMs();
        Atomics.store(stopFlag, 0, 1);
      }
      return 'unchanged';
    },
    close: () => undefined,
  };
  return { probe, events };
}

describe('poll loop', () => {
  it('samples once more after a stop, so a lock released before the stop is seen released', () => {
    const stopFlag = new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT));
    const { probe, events } = probeReleasingThenStopped(stopFlag, 3);
    const outcome = runPollLoop(probe, { intervalUs: 250, durationMs: null, progressEveryMs: 1000 }, { stopFlag });

    // Before, the loop left on seeing the flag without sampling: the hold ended 'observer-stop' at the
    // third sample, before the holder let go.
    expect(outcome.writeSpans).toHaveLength(1);
    const [span] = outcome.writeSpans;
    expect(span).toMatchObject({ pid: HOLDER_PID, startedBy: 'observer-start', endedBy: 'release' });
    expect(span!.endMs).toBeGreaterThanOrEqual(events.releasedAtMs);
    expect(outcome).toMatchObject({ samples: 4, endedAtMs: span!.endMs });
  });
});

import { LOCK_COUNT } from './layout.ts';
import type { LockProbe } from './probe.ts';
import { epochOfPerformance } from '../../shared/clock.ts';
import { describeProcess } from './processes.ts';
import { createSpanTracker, type TrackedSpans } from './tracker.ts';
import type { HolderProcess, ObserveProgress, SampleGaps } from '../../model/lock-observation.ts';

/** Sample gaps are counted per microsecond up to this bound (longer gaps share the last bucket; max stays exact). */
const GAP_BUCKETS_US = 100_000;

export interface PollLoopConfig {
  intervalUs: number;
  durationMs: number | null;
  progressEveryMs: number;
}

export interface PollLoopHooks {
  /** Cell 0 set to 1 (and notified) stops the loop within one interval, after one more sample. */
  stopFlag: Int32Array;
  /** Called once, right after the first sample: locks taken from then on are seen being taken. */
  onStarted?: () => void;
  onProgress?: (progress: ObserveProgress) => void;
}

export interface PollLoopOutcome extends TrackedSpans {
  startedAtMs: number;
  endedAtMs: number;
  samples: number;
  sampleGaps: SampleGaps;
  shmReopens: number;
  /** Every process seen holding a lock, described when first seen. */
  processes: HolderProcess[];
  cpu: { userMs: number; systemMs: number };
}

function createGapHistogram() {
  const counts = new Uint32Array(GAP_BUCKETS_US + 1);
  let total = 0;
  let maxUs = 0;
  const at = (p: number): number => {
    const rank = Math.max(1, Math.ceil((p / 100) * total));
    let seen = 0;
    for (let us = 0; us < counts.length; us++) {
      seen += counts[us] ?? 0;
      if (seen >= rank) return us;
    }
    return GAP_BUCKETS_US;
  };
  return {
    record(us: number) {
      counts[Math.min(GAP_BUCKETS_US, Math.round(us))]! += 1;
      total += 1;
      if (us > maxUs) maxUs = us;
    },
    summary(): SampleGaps {
      return total === 0 ? { p50Us: 0, p99Us: 0, maxUs: 0 } : { p50Us: at(50), p99Us: at(99), maxUs: Math.round(maxUs) };
    },
  };
}

/**
 * Polls the lock bytes until stopped or `durationMs` has passed; the last sample is taken after the stop
 * was seen (or at the deadline). Sleeps between polls with Atomics.wait (a futex wait: sub-millisecond,
 * and woken at once by a stop). Blocks the calling thread, so it runs in a worker. Deadlines advance by
 * the interval so the rate does not drift; after the thread was descheduled it resumes from now instead
 * of polling in a burst.
 */
export function runPollLoop(probe: LockProbe, config: PollLoopConfig, hooks: PollLoopHooks): PollLoopOutcome {
  const modes = new Uint8Array(LOCK_COUNT);
  const pids = new Int32Array(LOCK_COUNT);
  const tracker = createSpanTracker();
  const gaps = createGapHistogram();
  const intervalMs = config.intervalUs / 1000;
  // performance.now() readings as epoch ms on the clock every process of a run shares (harness/shared/clock.ts).
  const origin = epochOfPerformance(0);
  const cpuAtStart = process.cpuUsage();

  const begin = performance.now();
  const deadline = config.durationMs === null ? Number.POSITIVE_INFINITY : begin + config.durationMs;
  let next = begin;
  let nextProgress = begin;
  let samples = 0;
  let shmReopens = 0;
  const described = new Set<number>();
  const processes: HolderProcess[] = [];
  /** Whether a -shm was open at some point: opening one after that is a reopen. */
  let everConnected = probe.shmOpen;
  let firstAt = begin;
  let lastAt = begin;
  let lastReadAt = begin;

  for (;;) {
    // The stop flag is read before the sample, not after: once stop() was asked for, one more sample is
    // taken, so a lock released before the request is seen released instead of being cut at a sample
    // taken before it (a thread descheduled between its timed wait and the stop would otherwise end the
    // hold 'observer-stop' at a time before the holder let go).
    const stopping = Atomics.load(hooks.stopFlag, 0) !== 0;
    // The commit counter is read before the locks: a commit after this read shows up at the next poll
    // (as a release or as a new counter), never gets lost between the two reads. The sample begins
    // before both: a thread descheduled between them has read a counter older than the locks, and a
    // hold that commits and is re-taken meanwhile is then known only to have changed since then.
    const at = performance.now();
    const changeCounter = probe.readChangeCounter();
    const { connected, journalMode } = probe;
    probe.readLocks(modes, pids);
    const readAt = performance.now();
    tracker.record({ readFromMs: origin + at, atMs: origin + readAt, modes, pids, changeCounter, connected, journalMode });
    // A holder not seen before is described now, while it holds the lock and so is alive: a worker that
    // exits later is still known.
    for (const pid of pids) {
      if (pid > 0 && !described.has(pid)) {
        described.add(pid);
        const holder = describeProcess(pid, origin + readAt);
        if (holder) processes.push(holder);
      }
    }
    if (samples === 0) firstAt = at;
    else gaps.record((at - lastAt) * 1000);
    lastAt = at;
    lastReadAt = readAt;
    samples += 1;
    if (samples === 1) hooks.onStarted?.();

    if (hooks.onProgress && at >= nextProgress) {
      hooks.onProgress(tracker.progress(origin + readAt, samples));
      nextProgress = at + config.progressEveryMs;
    }
    // After the sample, not before: a -shm removed since the last poll has just been read one last time
    // (its final commit counter and free locks), so holds end on it as on any release. Every poll, so that
    // a connection opened between two polls is read from its first lock on.
    if (probe.follow() === 'opened') {
      if (everConnected) shmReopens += 1;
      everConnected = true;
    }
    if (stopping || at >= deadline) break;

    next += intervalMs;
    const now = performance.now();
    if (next < now - intervalMs) next = now;
    const waitMs = Math.min(next - now, deadline - now);
    if (waitMs > 0) Atomics.wait(hooks.stopFlag, 0, 0, waitMs);
  }

  const cpu = process.cpuUsage(cpuAtStart);
  const spans = tracker.finish(origin + lastReadAt);
  return {
    ...spans,
    startedAtMs: origin + firstAt,
    endedAtMs: origin + lastReadAt,
    samples,
    sampleGaps: gaps.summary(),
    shmReopens,
    processes,
    cpu: { userMs: cpu.user / 1000, systemMs: cpu.system / 1000 },
  };
}

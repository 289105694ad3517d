/**
 * Test support: one real observation, recorded in a default run (k6 v2.2.0, 2 CPUs, observer every
 * 250 us): the `before` profile's spans-before.json (read locks left out, spans trimmed to the fields the
 * comparison reads) and the same profile of that run's results.json (harness/reports/fixtures).
 */
import { readFileSync } from 'node:fs';
import { summarizeSpans } from '../analyze/observation-summary.ts';
import type { ObservedLockSpan, ObserveResult } from '../model/lock-observation.ts';
import type { LocksObserved, ProfileResult, RecordedLockSpan, RunResults } from '../model/results.ts';
import type { ObservedLocksInput } from '../analyze/observed-locks.ts';
import type { HolderPids, ObservationOutcome } from '../model/observation.ts';

interface RecordedSpansFile {
  target: RecordedLockSpan[];
  workflowWriters: RecordedLockSpan[];
  observed: {
    pids: HolderPids & { observer: number };
    intervalUs: number;
    windowStartMs: number;
    windowEndMs: number;
    writeSpans: ObservedLockSpan[];
    checkpointSpans: ObservedLockSpan[];
  };
}

export interface RecordedObservation {
  outcome: Extract<ObservationOutcome, { status: 'observed' }> & { result: ObserveResult };
  pids: HolderPids;
  targetSpans: RecordedLockSpan[];
  writerSpans: RecordedLockSpan[];
  /** The `before` profile as that run's results.json reports it. */
  profile: ProfileResult & { observed: LocksObserved };
}

export function recordedObservation(): RecordedObservation {
  const spans = JSON.parse(readFileSync(new URL('./fixtures/spans-before.json', import.meta.url), 'utf8')) as RecordedSpansFile;
  const results = JSON.parse(readFileSync(new URL('./fixtures/results-concurrent-k6.json', import.meta.url), 'utf8')) as RunResults;
  const profile = results.profiles.find((p) => p.name === 'before') as ProfileResult & { observed: LocksObserved };
  const o = spans.observed;
  const durationMs = o.windowEndMs - o.windowStartMs;
  // The built-in target runs its database in WAL mode: so was this run observed.
  const journalModes = [{ mode: 'wal' as const, startMs: o.windowStartMs, endMs: o.windowEndMs }];
  const observedSpans = { writeSpans: o.writeSpans, checkpointSpans: o.checkpointSpans, recoverSpans: [], readLocks: [], journalModes };
  const result: ObserveResult = {
    ...observedSpans,
    dbPath: '/tmp/lockbench-run/before.db',
    shmPath: '/tmp/lockbench-run/before.db-shm',
    command: profile.observed.command,
    intervalUs: o.intervalUs,
    startedAtMs: o.windowStartMs,
    endedAtMs: o.windowEndMs,
    durationMs,
    samples: profile.observed.samples,
    sampleGaps: profile.observed.sampleGaps,
    shmReopens: 0,
    cpu: profile.observed.cpu,
    summary: summarizeSpans(observedSpans, durationMs),
  };
  return {
    outcome: { status: 'observed', result, observerPid: o.pids.observer },
    pids: { target: o.pids.target, workflowWriters: o.pids.workflowWriters },
    targetSpans: spans.target,
    writerSpans: spans.workflowWriters,
    profile,
  };
}

/** What the run layer passes observedLocks for the recorded observation, both sides reporting. */
export function recordedLocksInput(recorded: RecordedObservation): ObservedLocksInput {
  return { outcome: recorded.outcome, intervalUs: 250, pids: recorded.pids, targetSpans: recorded.targetSpans, writerSpans: recorded.writerSpans };
}

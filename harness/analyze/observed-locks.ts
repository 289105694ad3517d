/**
 * What the lock observer saw during one profile's k6 run, set beside what the holders reported about
 * themselves: holds attributed by pid (target, workflow writers, other), the comparison of max hold,
 * p99 hold, duty cycle and span count, and the cross-check verdict. Pure: tested on recorded data.
 */
import type { SelfReportedLockSpan, TimedSpan } from '../shared/lock-span.ts';
import { compareLockFigures } from './lock-comparison.ts';
import type { FigureId, LockComparison } from '../model/lock-observation.ts';
import { defaultToleranceMs } from '../model/lock-tolerance.ts';
import { holdFigures, summarizeSpans } from './observation-summary.ts';
import { commandOf, inProcessTree, isWorkerOfParent, processesByPid } from '../model/process-tree.ts';
import type { HolderProcess, ObservedLockSpan, Observation, ReadLockSpan } from '../model/lock-observation.ts';
import type {
  HolderLockFigures,
  LockCrossCheck,
  LockHolderRole,
  ObservedHolder,
  ObservedLockComparison,
  ObservedLocks,
  RecordedLockSpan,
  RequestSample,
} from '../model/results.ts';
import type { HolderPids, HoldMatch, LabelledSpan, ObservationOutcome, ObservedSpansFile } from '../model/observation.ts';
import { attributeHolds, matchHold } from './hold-attribution.ts';

/** How turning the observed write-lock spans into holds as the holders time them changed them. */
export interface CommitCheckpoints {
  /** Write-lock spans extended through the checkpoint their COMMIT ran. */
  extended: number;
  /** Checkpoints that follow no observed write-lock span of their process (the write lock was too short to be sampled). */
  standalone: number;
  /** Time the extensions and standalone checkpoints added, in ms. */
  addedMs: number;
}

/** Unmatched holds listed in results.json per side; the counts say how many there were. */
export const MAX_LISTED_UNMATCHED = 20;

export interface ObservedLocksInput {
  /** Null when the profile stopped before the observer's turn. */
  outcome: ObservationOutcome | null;
  /** Requested poll interval, in microseconds. */
  intervalUs: number;
  pids: HolderPids;
  /** The target's own spans (GET /api/health/locks); null when they could not be collected. */
  targetSpans: readonly RecordedLockSpan[] | null;
  /** False when the target offers no lock figures of its own (no `locks` in its description). Default true. */
  targetReportsLocks?: boolean;
  /** The workflow writers' own spans; null when they did not report. */
  writerSpans: readonly RecordedLockSpan[] | null;
  /** The driver's request samples, for attributing the target's holds to streams; null or absent when not read. */
  requests?: readonly RequestSample[] | null;
  /** Slack on top of what sampling explains before a difference is a fault, in ms. Default: the observer's (5 ms). */
  toleranceMs?: number;
  /**
   * The trial did not run to the end: a hold still open when it stopped was never reported by its holder,
   * so the two sides cannot be compared. Default false.
   */
  partial?: boolean;
}

/**
 * The role of a holder pid: the workflow writers' process by its pid (the harness, of which the target
 * is itself a child), the target by its process tree as the observer recorded it, any other process.
 */
export function holderRole(pid: number, pids: HolderPids, processes: ReadonlyMap<number, HolderProcess> = new Map()): LockHolderRole {
  if (pid === pids.workflowWriters) return 'workflow-writers';
  if (inProcessTree(pid, pids.target, processes)) return 'target';
  return 'other';
}

function selfReported(spans: readonly RecordedLockSpan[], pid: number): SelfReportedLockSpan[] {
  return spans.map((s) => ({
    startMs: s.startMs,
    endMs: s.endMs,
    pid: s.pid ?? pid,
    owner: s.owner,
    kind: s.kind,
    ...(s.requestId === null ? {} : { requestId: s.requestId }),
    ...(s.waitMs === undefined ? {} : { waitMs: s.waitMs }),
  }));
}

function figuresOf(spans: readonly TimedSpan[]): HolderLockFigures {
  const f = holdFigures(spans);
  return { spanCount: f.spanCount, heldMs: f.heldMs, holdMaxMs: f.holdMaxMs };
}

const ROLE_ORDER: Record<LockHolderRole, number> = { target: 0, 'workflow-writers': 1, other: 2 };

/**
 * Every process the observer saw holding the write lock, plus the target and the side writers when they
 * report about themselves, even when the observer saw none of their holds, with their own figures over the
 * same window. Side writers that did not run are no holder: the harness's process is listed only if it held.
 */
function holders(observed: Observation, self: readonly SelfReportedLockSpan[], reporting: readonly number[], pids: HolderPids): ObservedHolder[] {
  const inWindow = self.filter((s) => s.startMs >= observed.startedAtMs && s.endMs <= observed.endedAtMs);
  const all = new Set([pids.target, ...reporting, ...observed.writeSpans.map((s) => s.pid)]);
  const processes = processesByPid(observed.processes);
  return [...all]
    .map((pid): ObservedHolder => {
      const process = processes.get(pid);
      // A process never seen holding is named by its command as an ancestor of one that was, when it is one.
      const command = process ? undefined : commandOf(pid, processes);
      return {
        role: holderRole(pid, pids, processes),
        pid,
        ...(process ? { command: process.command, parentPid: process.ancestors[0]?.pid ?? null, worker: isWorkerOfParent(process, pids.target) } : {}),
        ...(command === undefined ? {} : { command }),
        observed: figuresOf(observed.writeSpans.filter((s) => s.pid === pid)),
        selfReported: reporting.includes(pid) ? figuresOf(inWindow.filter((s) => s.pid === pid)) : null,
      };
    })
    .sort((a, b) => ROLE_ORDER[a.role] - ROLE_ORDER[b.role] || b.observed.heldMs - a.observed.heldMs);
}

/**
 * Figures whose difference is an instrumentation fault: each is about holds the observer can time one by
 * one, so a difference beyond a few ms of what the holds' own sample gaps allow, or a long hold without
 * its own counterpart, means one side is wrong about a hold. The duty cycle is not among them: it sums
 * every hold, most of them shorter than a sample gap, so its allowance is statistical (sampling error,
 * and the holders' own timing per self-reported hold, sized on one recorded run); beyond it is worth a
 * look, not proof that either side is wrong.
 */
const FAULT_FIGURES: ReadonlySet<FigureId> = new Set(['holdMaxMs', 'holdP99Ms', 'spanCount']);

/** The cross-check's verdict: the figures beyond their allowance, as faults or as warnings. */
export function crossCheckOf(comparison: LockComparison): LockCrossCheck {
  const beyond = comparison.figures.filter((f) => f.fault);
  const warnings = beyond.filter((f) => !FAULT_FIGURES.has(f.id)).map((f) => f.id);
  const faults = beyond.filter((f) => FAULT_FIGURES.has(f.id)).map((f) => f.id);
  return faults.length === 0 ? { outcome: 'agree', warnings } : { outcome: 'fault', faults, warnings };
}

/** The comparison as results.json keeps it: unmatched holds listed up to {@link MAX_LISTED_UNMATCHED}. */
function capped(comparison: LockComparison): ObservedLockComparison {
  return {
    ...comparison,
    selfNotObserved: comparison.selfNotObserved.slice(0, MAX_LISTED_UNMATCHED),
    observedNotReported: comparison.observedNotReported.slice(0, MAX_LISTED_UNMATCHED),
    selfNotObservedCount: comparison.selfNotObserved.length,
    observedNotReportedCount: comparison.observedNotReported.length,
  };
}

/**
 * The holds of the compared processes as they time them: from the write lock taken to COMMIT returned.
 * SQLite runs its auto-checkpoint inside COMMIT after releasing the write lock, so that time is in every
 * self-reported hold that triggered one but not in the write lock. Like is compared with like: a write
 * span is extended through a checkpoint of the same pid that begins within one sample gap of its
 * release; a checkpoint that follows no observed write span of its pid stands for its hold by itself
 * (the write lock was shorter than a sample gap); a checkpoint that overlaps a write span of its pid
 * (another connection of that process) is left out. Holds of other processes are kept as they are.
 */
export function holdsAsTimed(
  observed: Pick<Observation, 'writeSpans' | 'checkpointSpans'>,
  pids: readonly number[],
  gapMs: number,
): { writeSpans: ObservedLockSpan[]; commitCheckpoints: CommitCheckpoints } {
  const writeSpans = observed.writeSpans.map((span) => ({ ...span }));
  const counts: CommitCheckpoints = { extended: 0, standalone: 0, addedMs: 0 };
  for (const checkpoint of observed.checkpointSpans) {
    if (!pids.includes(checkpoint.pid)) continue;
    const own = writeSpans.filter((w) => w.pid === checkpoint.pid);
    const committed = own.find((w) => checkpoint.startMs >= w.releasedAfterMs - gapMs && checkpoint.startMs <= w.endMs + gapMs);
    if (committed) {
      if (checkpoint.endMs > committed.endMs) {
        counts.extended += 1;
        counts.addedMs += checkpoint.endMs - committed.endMs;
        committed.endMs = checkpoint.endMs;
        committed.releasedAfterMs = checkpoint.releasedAfterMs;
        committed.endedBy = checkpoint.endedBy;
      }
    } else if (!own.some((w) => w.startMs < checkpoint.endMs && checkpoint.startMs < w.endMs)) {
      counts.standalone += 1;
      counts.addedMs += checkpoint.endMs - checkpoint.startMs;
      writeSpans.push({ ...checkpoint });
    }
  }
  writeSpans.sort((a, b) => a.startMs - b.startMs);
  return { writeSpans, commitCheckpoints: counts };
}

/**
 * The profile's `observed` block. The comparison covers the processes that report their own holds (the
 * target and the workflow writers' process), each hold matched with one of the same pid; holds of any
 * other process are attributed and listed, not compared.
 */
export function observedLocks(input: ObservedLocksInput): ObservedLocks | null {
  const { outcome } = input;
  if (outcome === null) return null;
  if (outcome.status !== 'observed') {
    return {
      status: outcome.status,
      intervalUs: outcome.status === 'off' ? null : input.intervalUs,
      reason: outcome.reason,
      crossCheck: { outcome: 'not-checked', because: 'not-observed', warnings: [] },
    };
  }
  const observed = outcome.result;
  // Only processes whose own spans are at hand are compared; a missing side is not a disagreement.
  const reporting = [
    ...(input.targetSpans ? [input.pids.target] : []),
    ...(input.writerSpans ? [input.pids.workflowWriters] : []),
  ];
  const self = [
    ...selfReported(input.targetSpans ?? [], input.pids.target),
    ...selfReported(input.writerSpans ?? [], input.pids.workflowWriters),
  ];
  const gapMs = Math.max(observed.intervalUs / 1000, observed.sampleGaps.p99Us / 1000);
  const timed = holdsAsTimed(observed, reporting, gapMs);
  const comparison = compareLockFigures({ ...observed, writeSpans: timed.writeSpans }, self, {
    pids: reporting,
    toleranceMs: input.toleranceMs ?? defaultToleranceMs,
  });
  const crossCheck: LockCrossCheck = input.partial
    ? { outcome: 'not-checked', because: 'partial-run', warnings: [] }
    : input.targetSpans === null
      ? { outcome: 'not-checked', because: input.targetReportsLocks === false ? 'target-reports-none' : 'target-spans-missing', warnings: [] }
      : crossCheckOf(comparison);
  const s = summarizeSpans(observed, observed.durationMs);
  return {
    status: 'observed',
    intervalUs: observed.intervalUs,
    sampleGaps: observed.sampleGaps,
    samples: observed.samples,
    command: observed.command,
    observerPid: outcome.observerPid,
    windowStartMs: observed.startedAtMs,
    windowEndMs: observed.endedAtMs,
    journalMode: s.journalMode,
    journalModes: observed.journalModes ?? [],
    cpu: observed.cpu,
    summary: {
      spanCount: s.spanCount,
      holdP50Ms: s.holdP50Ms,
      holdP99Ms: s.holdP99Ms,
      holdMaxMs: s.holdMaxMs,
      heldMs: s.heldMs,
      dutyCycle: s.dutyCycle,
      checkpointCount: s.checkpointCount,
      checkpointMaxMs: s.checkpointMaxMs,
      longestReadMs: s.longestReadMs,
      committingMs: s.committingMs,
      longestHoldCommittingMs: s.longestHoldCommittingMs,
    },
    holders: holders(observed, self, reporting, input.pids),
    comparison: capped(comparison),
    commitCheckpoints: timed.commitCheckpoints,
    crossCheck,
    attribution: input.requests ? attributeHolds(targetHolds(observed, input.pids), input.requests) : null,
  };
}

/** The observed write holds of the target's process tree. */
function targetHolds(observed: Observation, pids: HolderPids): ObservedLockSpan[] {
  const processes = processesByPid(observed.processes);
  return observed.writeSpans.filter((s) => holderRole(s.pid, pids, processes) === 'target');
}

/** `requests`: the driver's samples, to label the target's write holds with their attribution; null when not read. */
export function observedSpansFile(outcome: ObservationOutcome | null, pids: HolderPids, requests: readonly RequestSample[] | null = null): ObservedSpansFile | null {
  if (outcome?.status !== 'observed') return null;
  const { result } = outcome;
  const processes = processesByPid(result.processes);
  const label = <T extends ObservedLockSpan>(span: T): LabelledSpan<T> => {
    const process = processes.get(span.pid);
    return {
      ...span,
      holder: holderRole(span.pid, pids, processes),
      ...(process ? { command: process.command, worker: isWorkerOfParent(process, pids.target) } : {}),
    };
  };
  return {
    pids: { ...pids, observer: outcome.observerPid },
    intervalUs: result.intervalUs,
    windowStartMs: result.startedAtMs,
    windowEndMs: result.endedAtMs,
    writeSpans: result.writeSpans.map((span) => {
      const labelled = label(span);
      return requests && labelled.holder === 'target' ? { ...labelled, attribution: matchHold(span, requests) } : labelled;
    }),
    checkpointSpans: result.checkpointSpans.map(label),
    readLocks: result.readLocks.map(label),
  };
}

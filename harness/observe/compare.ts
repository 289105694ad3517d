import { holdFigures, nearestRank, spanMs } from './summary.ts';
import type { HolderSummary, LockSpan, ObserveResult } from './types.ts';

/** A write-lock hold as a process reports it about itself (the target's GET /api/health/locks spans). */
export interface SelfReportedSpan {
  startMs: number;
  endMs: number;
  pid: number;
  owner?: string;
  kind?: string;
  requestId?: string;
  waitMs?: number;
}

export interface CompareOptions {
  /** Slack on top of one sample gap before a difference counts as a fault, in ms. Default {@link defaultToleranceMs}. */
  toleranceMs?: number;
  /** Processes whose holds are compared. Default: the pids found in the self-reported spans. */
  pids?: readonly number[];
}

/** Default slack on top of one sample gap, in milliseconds ("a few ms"). */
export const defaultToleranceMs = 5;

export type FigureId = 'holdMaxMs' | 'holdP99Ms' | 'dutyCycle' | 'spanCount';

/** One figure seen from both sides. `difference` is observed minus self-reported. */
export interface FigureComparison {
  id: FigureId;
  unit: 'ms' | 'ratio' | 'count';
  observed: number | null;
  selfReported: number | null;
  difference: number | null;
  /** Largest |difference| that is not a fault (for spanCount: see `rule`). */
  allowed: number;
  fault: boolean;
  /** How `allowed` and `fault` were decided, for the report. */
  rule: string;
}

/** A self-reported hold next to the observed hold that overlaps it most. */
export interface SpanPair {
  selfReported: SelfReportedSpan;
  observed: LockSpan;
  /** Observed minus self-reported hold, in ms. */
  differenceMs: number;
}

export interface LockComparison {
  windowStartMs: number;
  windowEndMs: number;
  pids: number[];
  /** One sample gap: the larger of the poll interval and the observed p99 gap, in ms. */
  resolutionMs: number;
  toleranceMs: number;
  /** Holds at least this long are always seen by the observer and are matched one by one, in ms. */
  detectableHoldMs: number;
  figures: FigureComparison[];
  /** Self-reported holds of at least detectableHoldMs that no observed hold of that pid overlaps. */
  selfNotObserved: SelfReportedSpan[];
  /** Observed holds of at least detectableHoldMs, by a compared pid, that no self-reported hold overlaps. */
  observedNotReported: LockSpan[];
  /** The largest differences between paired holds, worst first (at most {@link WORST_PAIRS}). */
  worstPairs: SpanPair[];
  /** Write-lock holders seen by the observer that are not compared (other processes). */
  otherHolders: HolderSummary[];
  fault: boolean;
  notes: string[];
}

/** Number of paired holds kept in `worstPairs`. */
export const WORST_PAIRS = 5;

type ObservedInput = Pick<ObserveResult, 'writeSpans' | 'checkpointSpans' | 'startedAtMs' | 'endedAtMs' | 'intervalUs' | 'sampleGaps'>;

interface Interval {
  startMs: number;
  endMs: number;
  pid: number;
}

const overlapMs = (a: Interval, b: Interval) => Math.max(0, Math.min(a.endMs, b.endMs) - Math.max(a.startMs, b.startMs));

/**
 * Finds the spans of one pid that overlap an interval widened by `slackMs`. Write-lock holds never
 * overlap one another, so sorted by end they are sorted by start too: binary search, then a short scan.
 */
function overlapIndex<T extends Interval>(spans: readonly T[]) {
  const sorted = [...spans].sort((a, b) => a.endMs - b.endMs);
  return (target: Interval, slackMs: number): T[] => {
    let low = 0;
    let high = sorted.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if ((sorted[mid] as T).endMs > target.startMs - slackMs) high = mid;
      else low = mid + 1;
    }
    const found: T[] = [];
    for (let i = low; i < sorted.length; i++) {
      const span = sorted[i] as T;
      if (span.startMs >= target.endMs + slackMs) break;
      if (span.pid === target.pid) found.push(span);
    }
    return found;
  };
}

function otherHolders(spans: readonly LockSpan[], compared: ReadonlySet<number>): HolderSummary[] {
  const byPid = new Map<number, LockSpan[]>();
  for (const span of spans) if (!compared.has(span.pid)) byPid.set(span.pid, [...(byPid.get(span.pid) ?? []), span]);
  return [...byPid.entries()].map(([pid, list]) => {
    const f = holdFigures(list);
    return { pid, spanCount: f.spanCount, heldMs: f.heldMs, holdMaxMs: f.holdMaxMs ?? 0 };
  });
}

function figure(
  id: FigureId,
  unit: FigureComparison['unit'],
  observed: number | null,
  selfReported: number | null,
  allowed: number,
  rule: string,
): FigureComparison {
  const difference = observed === null || selfReported === null ? null : observed - selfReported;
  return { id, unit, observed, selfReported, difference, allowed, fault: difference !== null && Math.abs(difference) > allowed, rule };
}

/**
 * Compares the write-lock holds an observer saw with those the holders reported about themselves, over
 * the observer's window. Pure. A difference beyond `toleranceMs` plus one sample gap is an
 * instrumentation fault (of either side). Holds shorter than a sample gap are often missed by polling,
 * so counts and p99 are compared over holds of at least `detectableHoldMs`, and each such hold must
 * have a counterpart; the duty cycle, which sampling estimates without bias, is compared over all holds.
 */
export function compareLockFigures(
  observed: ObservedInput,
  selfReported: readonly SelfReportedSpan[],
  options: CompareOptions = {},
): LockComparison {
  const toleranceMs = options.toleranceMs ?? defaultToleranceMs;
  const windowStartMs = observed.startedAtMs;
  const windowEndMs = observed.endedAtMs;
  const windowMs = Math.max(0, windowEndMs - windowStartMs);
  const self = selfReported.filter((s) => s.startMs >= windowStartMs && s.endMs <= windowEndMs);
  const pids = [...new Set(options.pids ?? self.map((s) => s.pid))].sort((a, b) => a - b);
  const compared = new Set(pids);
  // Holds cut by the start or end of observing have no comparable length.
  const seen = observed.writeSpans.filter(
    (o) => compared.has(o.pid) && o.startedBy !== 'observer-start' && o.endedBy !== 'observer-stop',
  );

  const resolutionMs = Math.max(observed.intervalUs / 1000, observed.sampleGaps.p99Us / 1000);
  const allowedMs = toleranceMs + resolutionMs;
  const detectableHoldMs = allowedMs;
  const longSelf = self.filter((s) => spanMs(s) >= detectableHoldMs);
  const longSeen = seen.filter((o) => spanMs(o) >= detectableHoldMs);

  const seenNear = overlapIndex(seen);
  const selfNear = overlapIndex(self);
  const pairs: SpanPair[] = [];
  const selfNotObserved: SelfReportedSpan[] = [];
  for (const s of longSelf) {
    let best: LockSpan | undefined;
    for (const o of seenNear(s, allowedMs)) if (!best || overlapMs(o, s) > overlapMs(best, s)) best = o;
    if (best) pairs.push({ selfReported: s, observed: best, differenceMs: spanMs(best) - spanMs(s) });
    else selfNotObserved.push(s);
  }
  const observedNotReported = longSeen.filter((o) => selfNear(o, allowedMs).length === 0);

  const seenFigures = holdFigures(seen);
  const selfFigures = holdFigures(self);
  const longHoldsP99 = (holds: number[]) => nearestRank(holds.sort((a, b) => a - b), 99);
  // Sampling error of the summed holds grows with the square root of their number (each hold is off
  // by under one gap, either way); 2 gaps x sqrt(n) leaves a wide margin.
  const sampledHolds = Math.max(seenFigures.spanCount, selfFigures.spanCount, 1);
  const allowedHeldMs = allowedMs + 2 * resolutionMs * Math.sqrt(sampledHolds);
  const duty = (heldMs: number) => (windowMs > 0 ? heldMs / windowMs : 0);

  const gap = resolutionMs.toFixed(2);
  const figures: FigureComparison[] = [
    figure('holdMaxMs', 'ms', seenFigures.holdMaxMs, selfFigures.holdMaxMs, allowedMs, `|difference| <= ${toleranceMs} ms + one sample gap (${gap} ms)`),
    figure(
      'holdP99Ms',
      'ms',
      longHoldsP99(longSeen.map(spanMs)),
      longHoldsP99(longSelf.map(spanMs)),
      allowedMs,
      `over holds >= ${detectableHoldMs.toFixed(2)} ms on each side; |difference| <= ${toleranceMs} ms + one sample gap`,
    ),
    figure(
      'dutyCycle',
      'ratio',
      self.length === 0 && seen.length === 0 ? null : duty(seenFigures.heldMs),
      self.length === 0 && seen.length === 0 ? null : duty(selfFigures.heldMs),
      windowMs > 0 ? allowedHeldMs / windowMs : 0,
      `summed holds may differ by ${toleranceMs} ms + one gap + 2 gaps x sqrt(${sampledHolds} holds) = ${allowedHeldMs.toFixed(1)} ms over ${windowMs.toFixed(0)} ms`,
    ),
    {
      id: 'spanCount',
      unit: 'count',
      observed: longSeen.length,
      selfReported: longSelf.length,
      difference: longSeen.length - longSelf.length,
      allowed: 0,
      fault: selfNotObserved.length > 0 || observedNotReported.length > 0,
      rule: `holds >= ${detectableHoldMs.toFixed(2)} ms; fault when one on either side has no overlapping counterpart of the same pid`,
    },
  ];

  const notes: string[] = [];
  notes.push(`all holds in the window: ${seen.length} observed, ${self.length} self-reported (polling misses many holds shorter than a sample gap)`);
  const others = otherHolders(observed.writeSpans, compared);
  if (others.length > 0) {
    notes.push(`write-lock holds of ${others.map((o) => `pid ${o.pid} (${o.spanCount})`).join(', ')} are not compared: those processes do not self-report`);
  }
  const checkpointTails = pairs.filter(
    (p) =>
      p.differenceMs < -allowedMs &&
      observed.checkpointSpans.some(
        (c) => c.pid === p.observed.pid && c.startMs >= p.observed.endMs - resolutionMs && c.startMs <= p.selfReported.endMs + resolutionMs,
      ),
  );
  if (checkpointTails.length > 0) {
    notes.push(
      `${checkpointTails.length} self-reported hold(s) run on past the write lock's release into a checkpoint by the same process: ` +
        'an auto-checkpoint runs inside COMMIT after the write lock is released, so a hold timed to COMMIT returning includes it',
    );
  }
  if (pids.length === 0) notes.push('nothing to compare: no self-reported holds in the window and no pids given');

  const worstPairs = [...pairs].sort((a, b) => Math.abs(b.differenceMs) - Math.abs(a.differenceMs)).slice(0, WORST_PAIRS);
  return {
    windowStartMs,
    windowEndMs,
    pids,
    resolutionMs,
    toleranceMs,
    detectableHoldMs,
    figures,
    selfNotObserved,
    observedNotReported,
    worstPairs,
    otherHolders: others,
    fault: figures.some((f) => f.fault),
    notes,
  };
}

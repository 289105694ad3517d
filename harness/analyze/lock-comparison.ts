import { nearestRankPercentile } from '../shared/percentile.ts';
import { holderSummaries, holdFigures } from './observation-summary.ts';
import { spanMs, type SelfReportedLockSpan } from '../shared/lock-span.ts';
import type { FigureComparison, FigureId, FigureRule, HolderSummary, LockComparison, ObservedLockSpan, ObserveResult, SpanPair } from '../model/lock-observation.ts';
import { defaultToleranceMs } from '../model/lock-tolerance.ts';

export interface CompareOptions {
  /** Slack on top of what sampling explains before a difference counts as a fault, in ms. Default {@link defaultToleranceMs}. */
  toleranceMs?: number;
  /**
   * Time each self-reported hold may run beyond the write lock in the duty cycle, in ms: the holder's own
   * timing around the lock. Default {@link defaultSelfTimingOverheadMs}.
   */
  selfTimingOverheadMs?: number;
  /** Processes whose holds are compared. Default: the pids found in the self-reported spans. */
  pids?: readonly number[];
}

/**
 * Default time per self-reported hold that its holder's own timing may add to the duty cycle, in
 * milliseconds. A hold timed by the application runs from its clock read after BEGIN returned to its
 * clock read after COMMIT returned, and COMMIT returns after the write lock is released, so a
 * self-reported hold is a little longer than the lock was held, a few microseconds to tens of them
 * per hold. Over the recorded default run (harness/run/fixtures/spans-before.json: 821 self-reported
 * holds in 20.8 s, sample gap p99 0.495 ms) the self-reported holds sum to 23.5 ms more than the
 * observed ones: 28.7 us per hold, with a standard error of 6.4 us from sampling the holds shorter than
 * a gap. 50 us is that mean plus three standard errors (47.9 us), rounded up; observed-locks.test.ts
 * derives it from that recording.
 */
export const defaultSelfTimingOverheadMs = 0.05;

/** Number of paired holds kept in `worstPairs`. */
export const WORST_PAIRS = 5;

type ObservedInput = Pick<ObserveResult, 'writeSpans' | 'checkpointSpans' | 'startedAtMs' | 'endedAtMs' | 'intervalUs' | 'sampleGaps'>;

/**
 * How long an observed hold can have lasted, in ms: the lock was taken after `acquiredAfterMs` and by
 * `startMs`, released after `releasedAfterMs` and by `endMs`. So the span's own gaps, not a figure for
 * the whole run, bound it: an observer descheduled for 69 ms at one end knows that end to 69 ms only.
 */
export function holdBounds(span: ObservedLockSpan): { lowMs: number; highMs: number } {
  return { lowMs: Math.max(0, span.releasedAfterMs - span.startMs), highMs: span.endMs - span.acquiredAfterMs };
}

/**
 * Pairs self-reported with observed holds one to one: each hold has at most one counterpart, of the same
 * pid, preferring the largest overlap. Only pairs with at least one hold of `longMs` or more are formed:
 * shorter holds are often missed by polling, and their self-reported times even overlap one another (a
 * COMMIT's checkpoint runs on while another connection of the process writes), so they are not paired
 * with each other, nor allowed to take a long hold's counterpart. An observed hold is placed where it is
 * known to lie, [acquiredAfterMs, endMs], and a self-reported hold (from the lock held to COMMIT returned)
 * begins inside it: holds that do not overlap are not counterparts, however near. A hold whose
 * counterpart went to a hold it overlaps more stays unpaired, so a missing hold cannot hide behind its
 * neighbour.
 */
function pairOneToOne(
  self: readonly SelfReportedLockSpan[],
  seen: readonly ObservedLockSpan[],
  longMs: number,
): SpanPair[] {
  // One sampler watching one lock byte: the holds of one pid follow one another, starts and ends both increasing.
  const seenByPid = new Map<number, ObservedLockSpan[]>();
  for (const o of seen) {
    const list = seenByPid.get(o.pid);
    if (list) list.push(o);
    else seenByPid.set(o.pid, [o]);
  }
  for (const list of seenByPid.values()) list.sort((a, b) => a.endMs - b.endMs);

  const candidates: Array<{ self: SelfReportedLockSpan; seen: ObservedLockSpan; overlapMs: number }> = [];
  for (const s of self) {
    const list = seenByPid.get(s.pid) ?? [];
    let low = 0;
    let high = list.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if ((list[mid] as ObservedLockSpan).endMs > s.startMs) high = mid;
      else low = mid + 1;
    }
    for (let i = low; i < list.length; i++) {
      const o = list[i] as ObservedLockSpan;
      if (o.acquiredAfterMs >= s.endMs) break;
      const overlapMs = Math.min(s.endMs, o.endMs) - Math.max(s.startMs, o.acquiredAfterMs);
      if (overlapMs > 0 && (spanMs(s) >= longMs || spanMs(o) >= longMs)) candidates.push({ self: s, seen: o, overlapMs });
    }
  }
  candidates.sort((a, b) => b.overlapMs - a.overlapMs);
  const pairedSelf = new Set<SelfReportedLockSpan>();
  const pairedSeen = new Set<ObservedLockSpan>();
  const pairs: SpanPair[] = [];
  for (const c of candidates) {
    if (pairedSelf.has(c.self) || pairedSeen.has(c.seen)) continue;
    pairedSelf.add(c.self);
    pairedSeen.add(c.seen);
    pairs.push({ selfReported: c.self, observed: c.seen, differenceMs: spanMs(c.seen) - spanMs(c.self) });
  }
  return pairs;
}

function figure(
  id: FigureId,
  unit: FigureComparison['unit'],
  observed: number | null,
  selfReported: number | null,
  allowed: number,
  rule: FigureRule,
): FigureComparison {
  const difference = observed === null || selfReported === null ? null : observed - selfReported;
  return { id, unit, observed, selfReported, difference, allowed, fault: difference !== null && Math.abs(difference) > allowed, rule };
}

/**
 * A hold-length figure (max, p99) of the observed holds beside the self-reported one. The same rank
 * taken over each observed hold's lower and upper bound bounds the true figure (a rank of values moves
 * with each value), so the self-reported figure agrees when it lies within those bounds, give or take
 * the tolerance: how much is allowed depends on the gaps at the ends of the holds themselves.
 */
function holdFigure(
  id: 'holdMaxMs' | 'holdP99Ms',
  seen: readonly ObservedLockSpan[],
  selfReported: number | null,
  rank: (ascending: number[]) => number | null,
  toleranceMs: number,
): FigureComparison {
  const ascending = (values: number[]) => values.sort((a, b) => a - b);
  const observed = rank(ascending(seen.map(spanMs)));
  const lowMs = rank(ascending(seen.map((o) => holdBounds(o).lowMs)));
  const highMs = rank(ascending(seen.map((o) => holdBounds(o).highMs)));
  if (observed === null || lowMs === null || highMs === null) {
    return figure(id, 'ms', observed, selfReported, toleranceMs, { kind: 'hold-bounds', lowMs: null, highMs: null });
  }
  // Observed minus self-reported: positive when the observed holds may have been shorter, down to lowMs.
  const longerObserved = observed - lowMs + toleranceMs;
  const longerSelfReported = highMs - observed + toleranceMs;
  const difference = selfReported === null ? null : observed - selfReported;
  const allowed = difference !== null && difference > 0 ? longerObserved : longerSelfReported;
  return figure(id, 'ms', observed, selfReported, allowed, { kind: 'hold-bounds', lowMs, highMs });
}

/**
 * Compares the write-lock holds an observer saw with those the holders reported about themselves, over
 * the observer's window. Pure. Max and p99 hold are faults when the self-reported figure lies more than
 * `toleranceMs` outside what the observed holds' own sample gaps allow. Holds shorter than a sample gap
 * are often missed by polling, so counts and p99 are taken over holds of at least `detectableHoldMs`,
 * and each such hold must have its own counterpart (paired one to one); the duty cycle, which sampling
 * estimates without bias, is compared over all holds, allowing each self-reported hold
 * `selfTimingOverheadMs` of its holder's own timing.
 */
export function compareLockFigures(
  observed: ObservedInput,
  selfReported: readonly SelfReportedLockSpan[],
  options: CompareOptions = {},
): LockComparison {
  const toleranceMs = options.toleranceMs ?? defaultToleranceMs;
  const selfTimingOverheadMs = options.selfTimingOverheadMs ?? defaultSelfTimingOverheadMs;
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

  const pairs = pairOneToOne(self, seen, detectableHoldMs);
  const pairedSelf = new Set(pairs.map((p) => p.selfReported));
  const pairedSeen = new Set(pairs.map((p) => p.observed));
  const selfNotObserved = longSelf.filter((s) => !pairedSelf.has(s));
  const observedNotReported = longSeen.filter((o) => !pairedSeen.has(o));

  const seenFigures = holdFigures(seen);
  const selfFigures = holdFigures(self);
  const p99 = (ascending: number[]) => nearestRankPercentile(ascending, 99);
  const max = (ascending: number[]) => (ascending.length === 0 ? null : (ascending[ascending.length - 1] ?? null));
  // Sampling error of the summed holds grows with the square root of their number. A hold polling may
  // catch or miss is off by under one gap, either way (standard deviation at most half a gap); an
  // observed hold's ends are each placed within their own gap (standard deviation gap / sqrt 12), which
  // covers an observer descheduled at the end of a hold. Four standard deviations leave a wide margin.
  // Self-reported holds are moreover each a little longer than the lock was held, never shorter.
  const sampledHolds = Math.max(seenFigures.spanCount, selfFigures.spanCount, 1);
  const endVariance = seen.reduce((sum, o) => sum + ((o.startMs - o.acquiredAfterMs) ** 2 + (o.endMs - o.releasedAfterMs) ** 2) / 12, 0);
  const samplingSdMs = Math.sqrt((sampledHolds * resolutionMs ** 2) / 4 + endVariance);
  const samplingHeldMs = allowedMs + 4 * samplingSdMs;
  const timingHeldMs = self.length * selfTimingOverheadMs;
  const duty = (heldMs: number) => (windowMs > 0 ? heldMs / windowMs : 0);
  const dutyObserved = self.length === 0 && seen.length === 0 ? null : duty(seenFigures.heldMs);
  const dutySelf = self.length === 0 && seen.length === 0 ? null : duty(selfFigures.heldMs);
  const selfLonger = dutyObserved !== null && dutySelf !== null && dutySelf > dutyObserved;
  const allowedHeldMs = samplingHeldMs + (selfLonger ? timingHeldMs : 0);

  const figures: FigureComparison[] = [
    holdFigure('holdMaxMs', seen, selfFigures.holdMaxMs, max, toleranceMs),
    holdFigure('holdP99Ms', longSeen, p99(longSelf.map(spanMs).sort((a, b) => a - b)), p99, toleranceMs),
    figure('dutyCycle', 'ratio', dutyObserved, dutySelf, windowMs > 0 ? allowedHeldMs / windowMs : 0, {
      kind: 'summed-holds',
      samplingSdMs,
      sampledHolds,
      samplingHeldMs,
      selfReportedHolds: self.length,
      timingHeldMs,
      windowMs,
    }),
    {
      id: 'spanCount',
      unit: 'count',
      observed: longSeen.length,
      selfReported: longSelf.length,
      difference: longSeen.length - longSelf.length,
      allowed: 0,
      fault: selfNotObserved.length > 0 || observedNotReported.length > 0,
      rule: { kind: 'one-to-one' },
    },
  ];

  const others = holderSummaries(observed.writeSpans.filter((o) => !compared.has(o.pid)));
  const holdsIntoCheckpoint = pairs.filter(
    (p) =>
      spanMs(p.selfReported) > holdBounds(p.observed).highMs + toleranceMs &&
      observed.checkpointSpans.some(
        (c) => c.pid === p.observed.pid && c.startMs >= p.observed.endMs - resolutionMs && c.startMs <= p.selfReported.endMs + resolutionMs,
      ),
  ).length;

  const worstPairs = [...pairs].sort((a, b) => Math.abs(b.differenceMs) - Math.abs(a.differenceMs)).slice(0, WORST_PAIRS);
  return {
    windowStartMs,
    windowEndMs,
    pids,
    resolutionMs,
    toleranceMs,
    selfTimingOverheadMs,
    detectableHoldMs,
    figures,
    selfNotObserved,
    observedNotReported,
    worstPairs,
    otherHolders: others,
    holdsCompared: { observed: seen.length, selfReported: self.length },
    holdsIntoCheckpoint,
    fault: figures.some((f) => f.fault),
  };
}

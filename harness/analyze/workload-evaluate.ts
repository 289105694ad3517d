/**
 * A workload's criteria judged over what a run measured: per-request samples of every stream (HTTP
 * requests and SQL writes alike, each classified), the lock spans, and the no-loss counts. Returns
 * numbers and codes; the reports make the sentences.
 */
import { COMPARE } from './criteria.ts';
import type { LockSpan } from '../shared/lock-span.ts';
import type { Comparison } from '../model/results.ts';
import { interpolatedPercentile } from '../shared/percentile.ts';
import type { OutcomeSelector, Workload, WorkloadCriterion } from '../model/workload-plan.ts';
import { isUnanswered, type NoLossCount, type WorkloadSample } from '../model/workload-samples.ts';
import type { CriterionCode, CriterionUnit, WindowedLatency, WorkloadCriterionResult } from '../model/workload.ts';

export interface CriteriaInput {
  workload: Workload;
  samples: readonly WorkloadSample[];
  lockSpans: readonly LockSpan[];
  /** The run's span, epoch ms: the window of criteria that name none. */
  run: { startMs: number; endMs: number };
  /** By criterion id. */
  noLoss: Readonly<Record<string, NoLossCount>>;
  /**
   * What each request stream's answers acknowledged, by stream, when the samples do not carry it answer by
   * answer (recorded samples keep no body): a stream missing here has an unknown total. Absent: the samples'.
   */
  acknowledged?: Readonly<Record<string, number>>;
}

export interface Window {
  startMs: number;
  endMs: number;
}

/** When a sample started, for window membership: sent, else scheduled, else its end. */
function startOf(s: WorkloadSample): number {
  return s.sentMs ?? s.scheduledMs ?? s.endMs;
}

/** A stream's window: its first request sent to its last answer; null when it has no samples. */
export function streamWindow(samples: readonly WorkloadSample[], stream: string): Window | null {
  const own = samples.filter((s) => s.stream === stream);
  if (own.length === 0) return null;
  return { startMs: Math.min(...own.map(startOf)), endMs: Math.max(...own.map((s) => s.endMs)) };
}

/** Whether a sample's outcome is one a selector names. */
export function selects(selector: OutcomeSelector, s: Pick<WorkloadSample, 'outcome' | 'lockFailure' | 'status'>): boolean {
  switch (selector) {
    // The loader gives it request streams only: an SQL write has no status either.
    case 'no-answer':
      return isUnanswered(s);
    case 'not-success':
      return s.outcome !== 'success';
    case 'lock-error-fast':
      return s.outcome === 'lock-error' && s.lockFailure === 'fast';
    case 'lock-error-timed-out':
      return s.outcome === 'lock-error' && s.lockFailure === 'timed-out';
    default:
      return s.outcome === selector;
  }
}

/** The share of `window` in which some span held the lock, 0..1 (overlapping holds count once). */
export function dutyCycle(spans: readonly LockSpan[], window: Window): number {
  const length = window.endMs - window.startMs;
  if (length <= 0) return 0;
  const clipped = spans
    .map((s) => ({ startMs: Math.max(s.startMs, window.startMs), endMs: Math.min(s.endMs, window.endMs) }))
    .filter((s) => s.endMs > s.startMs)
    .sort((a, b) => a.startMs - b.startMs);
  let held = 0;
  let end = Number.NEGATIVE_INFINITY;
  for (const s of clipped) {
    if (s.startMs >= end) {
      held += s.endMs - s.startMs;
      end = s.endMs;
    } else if (s.endMs > end) {
      held += s.endMs - end;
      end = s.endMs;
    }
  }
  return held / length;
}

const UNIT: Record<WorkloadCriterion['type'], CriterionUnit> = {
  latency: 'ms',
  outcomes: 'ratio',
  throughput: 'per-second',
  wall: 'ms',
  'max-lock-hold': 'ms',
  'lock-duty-cycle': 'ratio',
  'no-loss': 'rows',
};

type Figure = { measured: number | null; basis?: { counted: number; of: number }; code?: CriterionCode };

/** A stream's samples that were sent: those with a latency (first byte sent to last byte read). */
function sentOf(samples: readonly WorkloadSample[], stream: string): WorkloadSample[] {
  return samples.filter((s) => s.stream === stream && s.sentMs !== null);
}

function sortedLatencies(samples: readonly WorkloadSample[]): number[] {
  return samples.map((s) => s.endMs - s.sentMs!).sort((a, b) => a - b);
}

/**
 * A windowed latency criterion's figures beside the whole run's: the window it judged (null when its stream
 * has no samples), the in-window p50, and the stream's judged percentile and p50 over the whole run.
 */
function windowedLatency(c: Extract<WorkloadCriterion, { type: 'latency' }> & { window: string }, samples: readonly WorkloadSample[]): WindowedLatency {
  const all = sentOf(samples, c.stream);
  const window = streamWindow(samples, c.window);
  const whole = sortedLatencies(all);
  return {
    stream: c.stream,
    percentile: c.percentile,
    windowStream: c.window,
    window,
    p50Ms: window === null ? null : interpolatedPercentile(sortedLatencies(started(all, window)), 50),
    wholeRun: { measured: interpolatedPercentile(whole, c.percentile), p50Ms: interpolatedPercentile(whole, 50), counted: all.length },
  };
}

function started(samples: readonly WorkloadSample[], window: Window | null): WorkloadSample[] {
  return window === null ? [...samples] : samples.filter((s) => startOf(s) >= window.startMs && startOf(s) <= window.endMs);
}

/** The figure of one criterion (all but no-loss). */
function figure(c: Exclude<WorkloadCriterion, { type: 'no-loss' }>, input: CriteriaInput): Figure {
  const windowOf = (name: string | undefined): Window | null | 'unknown' => {
    if (name === undefined) return null;
    return streamWindow(input.samples, name) ?? 'unknown';
  };
  const window = 'window' in c ? windowOf(c.window) : null;
  if (window === 'unknown') return { measured: null, code: 'window-unknown' };
  const httpStreams = new Set(input.workload.streams.filter((s) => s.action.kind === 'http').map((s) => s.name));
  const ofStream = (name: string | undefined) => input.samples.filter((s) => (name === undefined ? httpStreams.has(s.stream) : s.stream === name));
  switch (c.type) {
    case 'latency': {
      const all = sentOf(input.samples, c.stream);
      const inside = started(all, window);
      const sorted = sortedLatencies(inside);
      const basis = { counted: inside.length, of: all.length };
      if (sorted.length === 0) return { measured: null, basis, code: all.length === 0 ? 'no-samples' : 'window-empty' };
      return { measured: interpolatedPercentile(sorted, c.percentile), basis };
    }
    case 'outcomes': {
      const all = ofStream(c.stream);
      const inside = started(all, window);
      const hits = inside.filter((s) => c.outcomes.some((o) => selects(o, s))).length;
      const basis = { counted: inside.length, of: all.length };
      if (c.measure === 'count') return { measured: hits, basis };
      if (inside.length === 0) return { measured: null, basis, code: all.length === 0 ? 'no-samples' : 'window-empty' };
      return { measured: hits / inside.length, basis };
    }
    case 'throughput': {
      const all = ofStream(c.stream);
      const over = window ?? streamWindow(input.samples, c.stream);
      if (over === null) return { measured: null, code: 'no-samples' };
      const inside = started(all, over);
      const seconds = (over.endMs - over.startMs) / 1000;
      const hits = inside.filter((s) => c.outcomes.some((o) => selects(o, s))).length;
      return seconds > 0 ? { measured: hits / seconds, basis: { counted: inside.length, of: all.length } } : { measured: null, code: 'window-empty' };
    }
    case 'wall': {
      const own = streamWindow(input.samples, c.stream);
      return own === null ? { measured: null, code: 'no-samples' } : { measured: own.endMs - own.startMs };
    }
    case 'max-lock-hold': {
      const over = window ?? input.run;
      const holds = input.lockSpans.filter((s) => s.endMs > over.startMs && s.startMs < over.endMs).map((s) => s.endMs - s.startMs);
      // No hold at all is a measurement: nothing held the lock.
      return { measured: holds.length === 0 ? 0 : Math.max(...holds) };
    }
    case 'lock-duty-cycle':
      return { measured: dutyCycle(input.lockSpans, window ?? input.run) };
  }
}

function noLoss(c: Extract<WorkloadCriterion, { type: 'no-loss' }>, input: CriteriaInput): WorkloadCriterionResult {
  const own = input.samples.filter((s) => s.stream === c.stream);
  const stream = input.workload.streams.find((s) => s.name === c.stream);
  // A committed SQL write acknowledges one write; a request acknowledges what its answer says.
  const sql = stream?.action.kind === 'sql';
  const acknowledged =
    input.acknowledged === undefined || sql
      ? own.reduce((sum, s) => sum + (sql ? (s.outcome === 'success' ? 1 : 0) : (s.acknowledged ?? 0)), 0)
      : (input.acknowledged[c.stream] ?? null);
  const counted = input.noLoss[c.id] ?? { found: null, integrityOk: null };
  const base = { id: c.id, type: c.type, stream: c.stream, comparison: '==' as const, threshold: acknowledged, measured: counted.found, unit: 'rows' as const };
  if (acknowledged === null) return { ...base, pass: false, code: 'not-acknowledged' };
  if (counted.found === null) return { ...base, pass: false, code: 'not-counted' };
  if (c.integrity && counted.integrityOk === null) return { ...base, pass: false, code: 'integrity-unknown' };
  if (c.integrity && counted.integrityOk === false) return { ...base, pass: false, code: 'integrity-failed' };
  return { ...base, pass: counted.found === acknowledged };
}

/** Judges every criterion of the workload; a figure that could not be measured fails with its code. */
export function evaluateWorkloadCriteria(input: CriteriaInput): WorkloadCriterionResult[] {
  return input.workload.criteria.map((c) => {
    if (c.type === 'no-loss') return noLoss(c, input);
    const f = figure(c, input);
    const unit = c.type === 'outcomes' && c.measure === 'count' ? 'count' : UNIT[c.type];
    const pass = f.measured !== null && COMPARE[c.comparison](f.measured, c.threshold);
    return {
      id: c.id,
      type: c.type,
      ...('stream' in c && c.stream !== undefined ? { stream: c.stream } : {}),
      comparison: c.comparison,
      threshold: c.threshold,
      measured: f.measured,
      unit,
      pass,
      ...(f.basis ? { basis: f.basis } : {}),
      ...(f.code ? { code: f.code } : {}),
      ...(c.type === 'latency' && c.window !== undefined ? { windowed: windowedLatency({ ...c, window: c.window }, input.samples) } : {}),
    };
  });
}

/**
 * From trials to points: per point the metrics over its repeats (median, range, 95 % interval, the
 * samples) and the criteria judged on the medians (./recommend.ts ranks them).
 */
import { median } from 'simple-statistics';
import { evaluateCriteria } from './criteria.ts';
import type { Criterion } from '../model/criterion.ts';
import type { CriterionResult, ErrorCounts, LockFigureSource, ProfileMetrics, ProfileResult } from '../model/results.ts';
import { summarizeSamples } from './stats.ts';
import type { PlanPoint } from '../model/sweep-plan.ts';
import { FEW_REQUESTS, type PointMetric, type PointResult, type PointStatus, type TrialRecord } from '../model/sweep.ts';
import { SWEEP_METRICS, type SweepMetric } from '../model/results.ts';

/** The p99 metrics and where the count of requests each rests on is found. */
const P99_REQUESTS: Partial<Record<SweepMetric, (result: ProfileResult) => number | null>> = {
  catalogP99Ms: (r) => r.importWindow.catalog.inWindow,
  workflowWriteP99Ms: (r) => r.importWindow.workflowWrites.inWindow,
};

/** One metric of a trial; busyErrors is the total over every code. Null when not measured. */
export function metricValue(result: ProfileResult, metric: SweepMetric): number | null {
  if (metric === 'busyErrors') return Object.values(result.metrics.busyErrors).reduce((a, b) => a + b, 0);
  return result.metrics[metric];
}

function medianOrNull(values: readonly (number | null)[]): number | null {
  // A figure one repeat did not measure is not measured for the point: never a pass on the others alone.
  if (values.length === 0 || values.some((v) => v === null)) return null;
  return median(values as number[]);
}

function medianErrors(results: readonly ProfileResult[]): ErrorCounts {
  const codes = new Set(results.flatMap((r) => Object.keys(r.metrics.busyErrors)));
  return Object.fromEntries([...codes].map((code) => [code, median(results.map((r) => r.metrics.busyErrors[code] ?? 0))]));
}

function lockSource(results: readonly ProfileResult[]): LockFigureSource | null {
  const sources = results.map((r) => r.metrics.maxLockHoldSource);
  if (sources.includes('self-reported')) return 'self-reported';
  return sources.length > 0 && sources.every((s) => s === 'observed') ? 'observed' : null;
}

/**
 * The metrics a point is judged on: the median of each figure over the repeats, except the correctness
 * figures (rows acknowledged and found, integrity), which come from the worst repeat: a loss in any
 * repeat is a loss.
 */
export function medianMetrics(results: readonly ProfileResult[]): ProfileMetrics {
  const of = (key: keyof ProfileMetrics) => medianOrNull(results.map((r) => r.metrics[key] as number | null));
  const worst =
    results.find((r) => r.metrics.integrityOk !== true || r.metrics.artifactsFound !== r.metrics.artifactsExpected) ?? results[0];
  return {
    importWallMs: of('importWallMs'),
    maxLockHoldMs: of('maxLockHoldMs'),
    maxLockHoldSource: lockSource(results),
    maxLockHoldObservedMs: of('maxLockHoldObservedMs'),
    maxLockHoldSelfReportedMs: of('maxLockHoldSelfReportedMs'),
    lockHoldP99Ms: of('lockHoldP99Ms'),
    catalogP50Ms: of('catalogP50Ms'),
    catalogP99Ms: of('catalogP99Ms'),
    catalogP50AllMs: of('catalogP50AllMs'),
    catalogP99AllMs: of('catalogP99AllMs'),
    workflowWriteP99Ms: of('workflowWriteP99Ms'),
    workflowWriteP99AllMs: of('workflowWriteP99AllMs'),
    requestSuccessRate: of('requestSuccessRate'),
    busyErrors: medianErrors(results),
    artifactsExpected: worst?.metrics.artifactsExpected ?? null,
    artifactsFound: worst?.metrics.artifactsFound ?? null,
    integrityOk: worst?.metrics.integrityOk ?? null,
  };
}

function pointMetric(results: readonly ProfileResult[], metric: SweepMetric): PointMetric | null {
  const measured = results.filter((r) => metricValue(r, metric) !== null);
  const summary = summarizeSamples(measured.map((r) => metricValue(r, metric)!));
  const requestsOf = P99_REQUESTS[metric];
  if (!summary || !requestsOf) return summary;
  const requests = measured.map(requestsOf).filter((n): n is number => n !== null);
  return { ...summary, requests, fewRequests: requests.some((n) => n < FEW_REQUESTS) };
}

/** How a point is judged from its completed repeats (in run order, at least one): its criteria's results. */
export type PointJudge = (completed: readonly ProfileResult[]) => CriterionResult[];

/** The scenario's criteria judged on the point's medians (correctness figures on the worst repeat). */
export function onMedians(criteria: readonly Criterion[]): PointJudge {
  return (completed) => evaluateCriteria(criteria, medianMetrics(completed));
}

const judgeOf = (judge: readonly Criterion[] | PointJudge): PointJudge => (typeof judge === 'function' ? judge : onMedians(judge));

/** One point from its trials (in run order), judged by the scenario's criteria on its medians, or by `judge`. */
export function aggregatePoint(point: PlanPoint, trials: readonly TrialRecord[], judge: readonly Criterion[] | PointJudge): PointResult {
  const completed = trials.filter((t) => t.result.status === 'completed').map((t) => t.result);
  const failedTrials = trials
    .filter((t) => t.result.status !== 'completed')
    .map((t) => ({ trialId: t.trialId, status: t.result.status, ...(t.result.error === undefined ? {} : { error: t.result.error }) }));
  const status: PointStatus =
    trials.length === 0 ? 'not-run' : completed.length === 0 ? 'errored' : failedTrials.length > 0 ? 'partial' : 'measured';
  const metrics = Object.fromEntries(SWEEP_METRICS.map((m) => [m, pointMetric(completed, m)])) as Record<SweepMetric, PointMetric | null>;
  const judged = completed.length === 0 ? [] : judgeOf(judge)(completed);
  return {
    id: point.id,
    settings: point.settings,
    status,
    repeats: completed.length,
    trialIds: trials.map((t) => t.trialId),
    failedTrials,
    metrics,
    criteria: judged,
    pass: status === 'measured' && judged.every((c) => c.pass),
  };
}

/** Every point of the plan, in the plan's order, from the trials that ran. */
export function aggregatePoints(points: readonly PlanPoint[], trials: readonly TrialRecord[], judge: readonly Criterion[] | PointJudge): PointResult[] {
  return points.map((point) =>
    aggregatePoint(
      point,
      trials.filter((t) => t.pointId === point.id),
      judge,
    ),
  );
}

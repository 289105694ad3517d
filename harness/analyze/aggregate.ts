/**
 * From trials to points: per point the metrics over its repeats (median, range, 95 % interval, the
 * samples: what `--predict` compares the model with) and the criteria a judge gives it (the workload's,
 * ./workload-points.ts; ./recommend.ts ranks them).
 */
import type { CriterionResult, ProfileResult } from '../model/results.ts';
import { summarizeSamples } from './stats.ts';
import type { PlanPoint } from '../model/sweep-plan.ts';
import { FEW_REQUESTS, type PointMetric, type PointResult, type PointStatus, type TrialRecord } from '../model/sweep.ts';
import { SWEEP_METRICS, type SweepMetric } from '../model/results.ts';

/** The p99 metrics and where the count of requests each rests on is found. */
const P99_REQUESTS: Partial<Record<SweepMetric, (result: ProfileResult) => number | null>> = {
  catalogP99Ms: (r) => r.importWindow?.catalog.inWindow ?? null,
  workflowWriteP99Ms: (r) => r.importWindow?.workflowWrites.inWindow ?? null,
};

/** One metric of a trial; busyErrors is the total over every code. Null when not measured (or the trial has no scenario metrics). */
function metricValue(result: ProfileResult, metric: SweepMetric): number | null {
  const { metrics } = result;
  if (metrics === undefined) return null;
  if (metric === 'busyErrors') return Object.values(metrics.busyErrors).reduce((a, b) => a + b, 0);
  return metrics[metric];
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

/**
 * Whether the points carry the scenario's metrics: a sweep of the scenario's own load does (`--predict`
 * compares the model with them); a sweep of a workload file has none to carry, its trials ran no imports.
 */
export interface PointFigures {
  scenarioMetrics: boolean;
}

/** One point from its trials (in run order), judged by `judge` on its completed repeats. */
function aggregatePoint(point: PlanPoint, trials: readonly TrialRecord[], judge: PointJudge, { scenarioMetrics }: PointFigures): PointResult {
  const completed = trials.filter((t) => t.result.status === 'completed').map((t) => t.result);
  const failedTrials = trials
    .filter((t) => t.result.status !== 'completed')
    .map((t) => ({ trialId: t.trialId, status: t.result.status, ...(t.result.error === undefined ? {} : { error: t.result.error }) }));
  const status: PointStatus =
    trials.length === 0 ? 'not-run' : completed.length === 0 ? 'errored' : failedTrials.length > 0 ? 'partial' : 'measured';
  const judged = completed.length === 0 ? [] : judge(completed);
  return {
    id: point.id,
    settings: point.settings,
    status,
    repeats: completed.length,
    trialIds: trials.map((t) => t.trialId),
    failedTrials,
    ...(scenarioMetrics ? { metrics: Object.fromEntries(SWEEP_METRICS.map((m) => [m, pointMetric(completed, m)])) as Record<SweepMetric, PointMetric | null> } : {}),
    criteria: judged,
    pass: status === 'measured' && judged.every((c) => c.pass),
  };
}

/** Every point of the plan, in the plan's order, from the trials that ran; with the scenario's metrics unless `figures` says not. */
export function aggregatePoints(points: readonly PlanPoint[], trials: readonly TrialRecord[], judge: PointJudge, figures: PointFigures = { scenarioMetrics: true }): PointResult[] {
  return points.map((point) =>
    aggregatePoint(
      point,
      trials.filter((t) => t.pointId === point.id),
      judge,
      figures,
    ),
  );
}

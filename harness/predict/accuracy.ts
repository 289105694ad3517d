/**
 * Prediction beside measurement: per point and metric the measured median and range, the predicted
 * median and range, the error, whether the two ranges overlap, and the accuracy target each metric is
 * held to (bench:model; the types and targets are harness/model/prediction.ts'). Numbers and codes only;
 * harness/reports/prediction.ts words them.
 */
import { SWEEP_METRICS, type SweepMetric } from '../model/results.ts';
import type { PointResult } from '../model/sweep.ts';
import {
  ACCURACY_TARGETS,
  type AccuracyTarget,
  type AccuracyVerdict,
  type MetricComparison,
  type PredictedPoint,
  type PredictionComparison,
  type Range,
  type SweepPrediction,
} from '../model/prediction.ts';
import type { GridPrediction } from './predict.ts';

function judge(target: AccuracyTarget | undefined, c: Omit<MetricComparison, 'verdict'>): AccuracyVerdict {
  if (c.measured === null || c.predicted === null) return 'not-measured';
  if (target === undefined) return 'no-target';
  switch (target.kind) {
    case 'absolute':
      return Math.abs(c.difference!) <= target.tolerance ? 'hit' : 'miss';
    case 'relative':
      return c.relativeError !== null && Math.abs(c.relativeError) <= target.tolerance ? 'hit' : 'miss';
    case 'relative-or-range':
      return c.insideMeasured || (c.relativeError !== null && Math.abs(c.relativeError) <= target.tolerance) ? 'hit' : 'miss';
  }
}

export function compareMetric(metric: SweepMetric, measured: Range | null, predicted: Range | null): MetricComparison {
  const both = measured !== null && predicted !== null;
  const base = {
    metric,
    measured: measured && { median: measured.median, min: measured.min, max: measured.max },
    predicted: predicted && { median: predicted.median, min: predicted.min, max: predicted.max },
    relativeError: both && measured.median !== 0 ? (predicted.median - measured.median) / measured.median : null,
    difference: both ? predicted.median - measured.median : null,
    insideMeasured: both ? predicted.median >= measured.min && predicted.median <= measured.max : null,
    disagrees: both ? predicted.max < measured.min || predicted.min > measured.max : null,
  };
  return { ...base, verdict: judge(ACCURACY_TARGETS[metric], base) };
}

/** Every measured point beside its prediction (matched by point id). */
export function comparePredictions(measured: readonly PointResult[], predicted: readonly PredictedPoint[]): PredictionComparison {
  const byId = new Map(predicted.map((p) => [p.id, p]));
  const points = measured.map((point) => ({
    pointId: point.id,
    settings: point.settings,
    metrics: SWEEP_METRICS.map((m) => compareMetric(m, point.metrics?.[m] ?? null, byId.get(point.id)?.metrics[m] ?? null)),
  }));
  const hits: PredictionComparison['hits'] = {};
  for (const metric of SWEEP_METRICS) {
    if (ACCURACY_TARGETS[metric] === undefined) continue;
    const judged = points.map((p) => p.metrics.find((c) => c.metric === metric)!).filter((c) => c.verdict === 'hit' || c.verdict === 'miss');
    hits[metric] = { hits: judged.filter((c) => c.verdict === 'hit').length, of: judged.length };
  }
  return {
    points,
    disagreements: points.flatMap((p) => p.metrics.filter((c) => c.disagrees).map((c) => ({ pointId: p.pointId, metric: c.metric }))),
    hits,
  };
}

/** The prediction of a sweep's points beside what the sweep measured. */
export function sweepPrediction(model: { costsSource: string; runs: number; seed: number }, grid: GridPrediction, measured: readonly PointResult[]): SweepPrediction {
  return {
    costsSource: model.costsSource,
    runs: model.runs,
    seed: model.seed,
    points: grid.points,
    recommendationReason: grid.outcome.reason,
    comparison: comparePredictions(measured, grid.points),
  };
}

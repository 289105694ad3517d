/**
 * Prediction beside measurement: per point and metric the measured median and range, the predicted
 * median and range, the error, whether the two ranges overlap, and the accuracy target each metric is
 * held to (bench:model). Numbers and codes only; harness/reports/prediction.ts words them.
 */
import { SWEEP_METRICS, type SweepMetric } from '../results.ts';
import type { PointResult } from '../model/sweep.ts';
import type { PointSettings } from '../model/sweep-plan.ts';
import type { GridPrediction, PredictedPoint } from './predict.ts';

/**
 * How close a prediction must come to count as a hit: within a share of the measured median
 * (`relative`), or that, or inside the measured min–max (`relative-or-range`), or within an absolute
 * difference (`absolute`, success in ratio units: 0.005 = 0.5 points).
 */
export type AccuracyTarget =
  | { kind: 'relative'; tolerance: number }
  | { kind: 'relative-or-range'; tolerance: number }
  | { kind: 'absolute'; tolerance: number };

/** The accuracy targets of the model (issue: import wall and max hold 10 %, the p99s 30 % or in range, success 0.5 points). */
export const ACCURACY_TARGETS: Readonly<Partial<Record<SweepMetric, AccuracyTarget>>> = {
  importWallMs: { kind: 'relative', tolerance: 0.1 },
  maxLockHoldMs: { kind: 'relative', tolerance: 0.1 },
  catalogP99Ms: { kind: 'relative-or-range', tolerance: 0.3 },
  workflowWriteP99Ms: { kind: 'relative-or-range', tolerance: 0.3 },
  requestSuccessRate: { kind: 'absolute', tolerance: 0.005 },
};

interface Range {
  median: number;
  min: number;
  max: number;
}

/** hit / miss against the metric's target; `no-target` where none is set; `not-measured` where a side is missing. */
export type AccuracyVerdict = 'hit' | 'miss' | 'no-target' | 'not-measured';

export interface MetricComparison {
  metric: SweepMetric;
  measured: Range | null;
  predicted: Range | null;
  /** (predicted - measured) / measured, of the medians; null when measured is 0 or a side is missing. */
  relativeError: number | null;
  /** predicted - measured, of the medians. */
  difference: number | null;
  /** The predicted median lies inside the measured min–max. */
  insideMeasured: boolean | null;
  /** The predicted range and the measured range do not overlap: model and measurement disagree beyond the measured spread. */
  disagrees: boolean | null;
  verdict: AccuracyVerdict;
}

export interface PointComparison {
  pointId: string;
  settings: PointSettings;
  metrics: MetricComparison[];
}

export interface PredictionComparison {
  points: PointComparison[];
  /** Where the ranges do not overlap, in point then metric order. */
  disagreements: { pointId: string; metric: SweepMetric }[];
  /** Per metric with a target: hits of the points both sides measured. */
  hits: Partial<Record<SweepMetric, { hits: number; of: number }>>;
}

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
    metrics: SWEEP_METRICS.map((m) => compareMetric(m, point.metrics[m], byId.get(point.id)?.metrics[m] ?? null)),
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

/** What `scenario:sweep --predict` adds to results.json: the prediction of every point and its comparison with the measurement. */
export interface SweepPrediction {
  /** Where the model's costs came from. */
  costsSource: string;
  runs: number;
  seed: number;
  points: PredictedPoint[];
  /** The recommendation the sweep's rule gives on the predicted points. */
  recommendationReason: string;
  comparison: PredictionComparison;
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

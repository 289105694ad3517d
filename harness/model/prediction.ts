/**
 * What the lock model predicts for a sweep's points and how the prediction compares with what the sweep
 * measured (results.json's `prediction` of `scenario:sweep --predict`, bench:model). Numbers and codes;
 * harness/reports/prediction.ts words them.
 */
import type { CriterionResult, SampleSummary, SweepMetric, SweepSettings } from './results.ts';

/** One point as predicted: the sweep point's shape, with the spread over the model's runs. */
export interface PredictedPoint {
  id: string;
  settings: SweepSettings;
  /** Simulated trials the figures rest on. */
  runs: number;
  metrics: Record<SweepMetric, SampleSummary | null>;
  /** The predictable criteria judged on the medians. */
  criteria: CriterionResult[];
  pass: boolean;
  /** Simulated arrivals that never ended (a fault of the model if ever above 0). */
  unfinished: number;
}

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

/** A median and the range around it, of one side (measured or predicted). */
export interface Range {
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
  settings: SweepSettings;
  metrics: MetricComparison[];
}

export interface PredictionComparison {
  points: PointComparison[];
  /** Where the ranges do not overlap, in point then metric order. */
  disagreements: { pointId: string; metric: SweepMetric }[];
  /** Per metric with a target: hits of the points both sides measured. */
  hits: Partial<Record<SweepMetric, { hits: number; of: number }>>;
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

/**
 * Predictions of a sweep's points: each point simulated once per seed, its metrics summarised over the
 * runs like a measured point's over its repeats (median, range), the criteria the model can speak to
 * judged on the medians, and the sweep's own recommendation rule applied to the predicted points.
 */
import { recommend } from '../analyze/recommend.ts';
import { recommendationOutcome } from '../reports/sweep-reasons.ts';
import { SWEEP_METRICS, type RecommendationOutcome, type SweepMetric } from '../model/results.ts';
import type { PointResult } from '../model/sweep.ts';
import type { PointSettings } from '../model/sweep-plan.ts';
import { summarizeSamples } from '../analyze/stats.ts';
import { evaluateCriteria } from '../analyze/criteria.ts';
import type { Criterion } from '../model/criterion.ts';
import type { RankedCriterion } from '../model/rank.ts';
import type { PredictedPoint } from '../model/prediction.ts';
import type { CriterionResult, ProfileMetrics, SampleSummary } from '../model/results.ts';
import type { ModelCosts } from './costs.ts';
import { simulatedMetrics } from './metrics.ts';
import { simulate, type ModelLoad, type ModelTarget } from './model.ts';

/** Simulated trials per point: each places the workflow writers' schedule differently. */
export const DEFAULT_MODEL_RUNS = 5;
/** Seed of the first run of every point; run i uses seed + i. */
export const DEFAULT_MODEL_SEED = 1;

/** The metrics the model predicts; no-loss (rows and integrity) is outside it. */
const PREDICTED: ReadonlySet<string> = new Set<SweepMetric>(['importWallMs', 'maxLockHoldMs', 'catalogP99Ms', 'workflowWriteP99Ms', 'requestSuccessRate']);

/** The criteria whose every condition is on a metric the model predicts. */
export function predictableCriteria(criteria: readonly Criterion[]): Criterion[] {
  return criteria.filter((c) => PREDICTED.has(c.metric) && (c.requires ?? []).every((r) => PREDICTED.has(r.metric)));
}

export interface PredictOptions {
  costs: ModelCosts;
  /** Simulated trials per point. */
  runs: number;
  seed: number;
}

/** A point's metrics over `runs` simulated trials. */
export function predictMetrics(target: ModelTarget, load: ModelLoad, options: PredictOptions): { metrics: PredictedPoint['metrics']; unfinished: number } {
  const runs = Array.from({ length: options.runs }, (_, i) => simulate({ target, load, costs: options.costs, seed: options.seed + i }));
  const figures = runs.map(simulatedMetrics);
  const metrics = Object.fromEntries(
    SWEEP_METRICS.map((m) => {
      const values = figures.map((f) => f[m]);
      // A figure some run could not give (an import never answered) is not predicted for the point.
      return [m, values.some((v) => v === null) ? null : summarizeSamples(values as number[])];
    }),
  ) as PredictedPoint['metrics'];
  return { metrics, unfinished: runs.reduce((n, r) => n + r.unfinished, 0) };
}

function medianMetrics(metrics: PredictedPoint['metrics']): ProfileMetrics {
  const m = (key: SweepMetric) => metrics[key]?.median ?? null;
  return {
    importWallMs: m('importWallMs'),
    maxLockHoldMs: m('maxLockHoldMs'),
    maxLockHoldSource: null,
    maxLockHoldObservedMs: null,
    maxLockHoldSelfReportedMs: null,
    lockHoldP99Ms: null,
    catalogP50Ms: null,
    catalogP99Ms: m('catalogP99Ms'),
    catalogP50AllMs: null,
    catalogP99AllMs: null,
    workflowWriteP99Ms: m('workflowWriteP99Ms'),
    workflowWriteP99AllMs: null,
    requestSuccessRate: m('requestSuccessRate'),
    busyErrors: {},
    artifactsExpected: null,
    artifactsFound: null,
    integrityOk: null,
  };
}

export interface PredictionPointInput {
  id: string;
  settings: PointSettings;
  target: ModelTarget;
}

export interface GridPrediction {
  points: PredictedPoint[];
  outcome: RecommendationOutcome;
}

/** Every point predicted, judged on the predictable criteria, and the recommendation the sweep's rule gives, by the sweep's `rank`. */
export function predictGrid(points: readonly PredictionPointInput[], load: ModelLoad, criteria: readonly Criterion[], rank: readonly RankedCriterion[], options: PredictOptions): GridPrediction {
  const judged = predictableCriteria(criteria);
  const predicted = points.map((p): PredictedPoint & { settings: PointSettings } => {
    const { metrics, unfinished } = predictMetrics(p.target, load, options);
    const results = evaluateCriteria(judged, medianMetrics(metrics));
    return { id: p.id, settings: p.settings, runs: options.runs, metrics, criteria: results, pass: results.every((c) => c.pass), unfinished };
  });
  // The sweep's rule, over predicted points: they stand in for measured ones only inside this call.
  const asPoints = predicted.map((p): PointResult => ({ ...p, status: 'measured', repeats: p.runs, trialIds: [], failedTrials: [] }));
  return { points: predicted, outcome: recommendationOutcome(recommend(asPoints, rank)) };
}

/**
 * prediction.json: the predicted points in the shape of a sweep's points (`settings`,
 * `metrics.<metric>.{median,min,max,samples}`), the criteria judged on them, the recommendation, and
 * the model's inputs (costs and where they came from, runs, seed).
 */
import type { VaryAxis } from '../model/sweep-plan.ts';
import type { ModelCosts } from './costs.ts';
import type { ModelLoad } from './model.ts';
import type { GridPrediction } from './predict.ts';

export const PREDICTION_FILE = 'prediction.json';

export interface PredictionFile {
  kind: 'lockbench-prediction';
  createdAt: string;
  base: string;
  axes: VaryAxis[];
  load: ModelLoad;
  model: { runs: number; seed: number; costs: ModelCosts; costsSource: string; basis: Record<keyof ModelCosts, string> | null };
  points: GridPrediction['points'];
  recommendation: { pointId: string; settings: Record<string, string | number | undefined>; reason: string } | null;
  recommendationReason: string;
}

export function predictionFile(input: Omit<PredictionFile, 'kind' | 'points' | 'recommendation' | 'recommendationReason'> & { prediction: GridPrediction }): PredictionFile {
  const { prediction, ...rest } = input;
  const chosen = prediction.outcome.recommendation;
  return {
    kind: 'lockbench-prediction',
    ...rest,
    points: prediction.points,
    recommendation: chosen ? { pointId: chosen.pointId, settings: chosen.settings, reason: chosen.reason } : null,
    recommendationReason: prediction.outcome.reason,
  };
}

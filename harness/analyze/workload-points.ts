/**
 * The points of a sweep, judged by its workload's own criteria (a workload file's, or the scenario's own):
 * a criterion holds at a point when it passed in every completed repeat, and its figures are the medians
 * over those repeats.
 */
import { median } from 'simple-statistics';
import type { CriterionResult, ProfileResult } from '../model/results.ts';
import type { PointMiss, PointResult, RecommendationFinding, TrialRecord } from '../model/sweep.ts';
import type { RankedCriterion } from '../model/rank.ts';
import type { WorkloadCriterionResult } from '../model/workload.ts';
import type { PointJudge } from './aggregate.ts';
import { recommend } from './recommend.ts';

/** The median of figures every repeat measured; null when one did not: never a figure from the others alone. */
function medianOf(values: readonly (number | null | undefined)[]): number | null {
  if (values.length === 0 || values.some((v) => v === null || v === undefined)) return null;
  return median(values as number[]);
}

/**
 * The workload's criteria over a point's completed repeats, in the shape a point's criteria have: each
 * passes when it passed in every repeat (a repeat that did not judge it did not pass it), measured and
 * threshold the medians over the repeats (a no-loss check's threshold is what each repeat acknowledged).
 */
export const workloadPointCriteria: PointJudge = (completed: readonly ProfileResult[]): CriterionResult[] => {
  const judged = completed.map((r) => r.workload?.criteria ?? []);
  const ids = [...new Set(judged.flat().map((c) => c.id))];
  return ids.map((id) => {
    const repeats = judged.map((criteria) => criteria.find((c) => c.id === id));
    const first = repeats.find((c): c is WorkloadCriterionResult => c !== undefined)!;
    return {
      id,
      description: '',
      metric: first.type,
      comparison: first.comparison,
      threshold: medianOf(repeats.map((c) => c?.threshold)),
      ...(first.type === 'no-loss' ? { thresholdMetric: 'acknowledged' } : {}),
      measured: medianOf(repeats.map((c) => c?.measured)),
      unit: first.unit,
      pass: repeats.every((c) => c?.pass === true),
      requires: [],
    };
  });
};

/** In how many of a point's completed repeats a workload criterion failed (or was not judged), of how many. */
function repeatsFailing(pointId: string, id: string, trials: readonly TrialRecord[]): { failed: number; of: number } {
  const completed = trials.filter((t) => t.pointId === pointId && t.result.status === 'completed');
  return { failed: completed.filter((t) => t.result.workload?.criteria.find((c) => c.id === id)?.pass !== true).length, of: completed.length };
}

/**
 * What a sweep of a workload finds: the recommendation by the workload's `rank` (with none, the points that
 * meet every criterion, none ranked above another); when no point meets every criterion, the closest and
 * what it misses, as for any sweep, with the repeats each missed criterion failed in (its median may meet
 * the threshold).
 */
export function workloadFinding(points: readonly PointResult[], trials: readonly TrialRecord[], rank: readonly RankedCriterion[]): RecommendationFinding {
  const finding = recommend(points, rank);
  if (finding.code !== 'none-qualifies') return finding;
  const misses = finding.misses.map((miss): PointMiss => (miss.code === 'criterion' ? { ...miss, repeats: repeatsFailing(finding.closest.pointId, miss.criterion.id, trials) } : miss));
  return { ...finding, misses };
}

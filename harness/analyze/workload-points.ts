/**
 * The points of a sweep of a workload, judged by the workload's own criteria: a criterion holds at a point
 * when it passed in every completed repeat, and the point passes when every one of its trials completed and
 * every criterion held. The points' scenario criteria (import wall, catalog p99, ...) judge figures such a
 * sweep does not send, so its gate reads these instead.
 */
import type { PointResult, TrialRecord } from '../model/sweep.ts';
import type { GatePoint } from './gate.ts';

export function workloadPointVerdicts(points: readonly PointResult[], trials: readonly TrialRecord[]): GatePoint[] {
  return points.map((point) => {
    const judged = trials.filter((t) => t.pointId === point.id && t.result.status === 'completed' && t.result.workload).map((t) => t.result.workload!);
    const ids = [...new Set(judged.flatMap((w) => w.criteria.map((c) => c.id)))];
    // A criterion a repeat did not judge did not pass there: never a pass on the other repeats alone.
    const criteria = ids.map((id) => ({ id, pass: judged.every((w) => w.criteria.some((c) => c.id === id && c.pass)) }));
    return {
      id: point.id,
      settings: point.settings,
      status: point.status,
      failedTrials: point.failedTrials,
      criteria,
      pass: point.status === 'measured' && judged.length > 0 && criteria.every((c) => c.pass),
    };
  });
}

/**
 * The gate of a sweep: `--gate recommended` (some point must meet every criterion) or `--gate <value>`
 * (that point must), and no significant regression of a gated metric against the baseline. The plan
 * reads the flag (harness/plan/sweep.ts `parseGate`); this judges the points by it.
 */
import { recommendedPointId } from './recommend.ts';
import type { GateAsked, GateFailure, GateVerdict, PointResult, RecommendationFinding } from '../model/sweep.ts';
import type { GateOutcome } from '../model/results.ts';
import type { GateSpec } from '../model/sweep-plan.ts';

/** What the gate reads of a point: its verdict, the criteria it was judged by, and whether every trial completed. */
export type GatePoint = Pick<PointResult, 'id' | 'settings' | 'status' | 'failedTrials' | 'pass'> & { criteria: readonly { id: string; pass: boolean }[] };

/** The points whose baseline figures gate: the named one, or the recommended one. */
export function gatedPointIds(spec: GateSpec | null, recommendation: RecommendationFinding): string[] {
  if (spec === null) return [];
  if (spec.kind === 'point') return [spec.pointId];
  const recommended = recommendedPointId(recommendation);
  return recommended === null ? [] : [recommended];
}

/** What the gate reads of a comparison with a baseline: its gated regressions, each by entry and the metric (or workload criterion) that regressed. */
export interface GateBaseline {
  regressions: readonly { entryId: string; metric: string; p: number | null }[];
}

/** The gate's verdict on a sweep; with no `--gate` only a baseline's regressions can fail it. */
export function evaluateGate(
  spec: GateSpec | null,
  points: readonly GatePoint[],
  recommendation: RecommendationFinding,
  baseline: GateBaseline | null = null,
): GateVerdict {
  const failures: GateFailure[] = [];
  let asked: GateAsked = { kind: 'none' };
  if (spec?.kind === 'recommended') {
    asked = { kind: 'recommended' };
    if (recommendedPointId(recommendation) === null) failures.push({ code: 'no-recommendation', recommendation });
  } else if (spec?.kind === 'point') {
    const point = points.find((p) => p.id === spec.pointId)!;
    const ref = { pointId: point.id, settings: point.settings };
    asked = { kind: 'point', point: ref };
    if (!point.pass) {
      const missed = point.criteria.filter((c) => !c.pass).map((c) => c.id);
      if (missed.length > 0) failures.push({ code: 'criteria-missed', point: ref, criteria: missed });
      if (point.status !== 'measured') failures.push({ code: 'point-incomplete', point: ref, status: point.status, failedTrials: point.failedTrials.length });
    }
  }
  if (asked.kind === 'none' && baseline) asked = { kind: 'baseline' };
  for (const row of baseline?.regressions ?? []) failures.push({ code: 'regression', entryId: row.entryId, metric: row.metric, p: row.p });
  return { asked, gatedPoints: gatedPointIds(spec, recommendation), pass: failures.length === 0, failures };
}

/** Exit code of a gate that ran (README "Gating CI"): 0 pass, 1 failed. Usage errors (2), harness failures (3) and interruptions (130) are the caller's. */
export function gateExitCode(outcome: Pick<GateOutcome, 'pass'>): 0 | 1 {
  return outcome.pass ? 0 : 1;
}

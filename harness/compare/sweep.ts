/**
 * A sweep's outcome from its trials: the points, the recommendation, the comparison with a baseline and
 * the gate, as plain data for results.json and the renderers. Pure: the run loop hands in what ran.
 */
import type { Criterion } from '../model/criterion.ts';
import type { BaselineComparison, GateOutcome, HostInfo, SweepPlanSummary } from '../results.ts';
import { aggregatePoints, recommend, type PointResult, type Recommendation, type RecommendationOutcome, type TrialRecord } from './aggregate.ts';
import { compareToBaseline, toBaseline, type Baseline, type CompareOptions } from './baseline.ts';
import { evaluateGate, gatedPointIds, type GateSpec } from './gate.ts';
import type { SweepPlan } from './plan.ts';

/** What results.json of a sweep adds to the run's header (scenario, startedAt, host, options ...). */
export interface SweepSummary {
  plan: SweepPlanSummary;
  /** Every trial's full result, in run order. */
  trials: TrialRecord[];
  /** In the plan's order. */
  points: PointResult[];
  /** `{pointId, settings, reason, tiedWith}`, or null when no point qualifies. */
  recommendation: Recommendation | null;
  /** Why this point, or why none (naming the closest and what it misses). */
  recommendationReason: string;
  closest: RecommendationOutcome['closest'];
  /** This run against `--baseline`; null without one. */
  baseline: BaselineComparison | null;
  gate: GateOutcome;
  /** The gate passed. */
  pass: boolean;
}

export interface SweepInput {
  scenario: string;
  startedAt: string;
  host: HostInfo;
  plan: SweepPlan;
  /** What ran, in run order; trials never reached are simply absent. */
  trials: TrialRecord[];
  criteria: readonly Criterion[];
  gate: GateSpec | null;
  baseline?: Baseline | null;
  compare?: Omit<CompareOptions, 'gated'>;
}

export function summarizeSweep(input: SweepInput): SweepSummary {
  const points = aggregatePoints(input.plan.points, input.trials, input.criteria);
  const outcome = recommend(points);
  const baseline = input.baseline
    ? compareToBaseline(
        input.baseline,
        toBaseline({ scenario: input.scenario, startedAt: input.startedAt, host: input.host, trials: input.trials, points }),
        // With --gate, the gated point's figures gate; without, a baseline still gates every point it compares:
        // `--baseline` alone is how a pull request is held to the main branch's figures.
        { ...input.compare, gated: input.gate === null ? points.map((p) => p.id) : gatedPointIds(input.gate, outcome) },
      )
    : null;
  const gate = evaluateGate(input.gate, points, outcome, baseline);
  const { base, axes, repeat, seed } = input.plan;
  return {
    plan: { base, axes, repeat, seed, trialOrder: input.plan.trials.map((t) => t.id) },
    trials: input.trials,
    points,
    recommendation: outcome.recommendation,
    recommendationReason: outcome.reason,
    closest: outcome.closest,
    baseline,
    gate,
    pass: gate.pass,
  };
}

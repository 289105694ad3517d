/**
 * A sweep's outcome from its trials: the points, the recommendation, the comparison with a baseline and
 * the gate, as figures and codes (harness/reports/sweep-reasons.ts words them for results.json and the
 * renderers). Pure: the run loop hands in what ran.
 */
import type { HostInfo } from '../model/results.ts';
import { aggregatePoints } from './aggregate.ts';
import type { RankedCriterion } from '../model/rank.ts';
import type { SweepAnalysis, TrialRecord } from '../model/sweep.ts';
import { compareToBaseline, type CompareOptions } from './baseline.ts';
import { toBaseline, type Baseline } from '../model/baseline.ts';
import { evaluateGate, gatedPointIds } from './gate.ts';
import type { GateSpec } from '../model/sweep-plan.ts';
import type { SweepPlan } from '../model/sweep-plan.ts';
import { workloadFinding, workloadPointCriteria } from './workload-points.ts';

export interface SweepInput {
  scenario: string;
  startedAt: string;
  host: HostInfo;
  plan: SweepPlan;
  /** What ran, in run order; trials never reached are simply absent. */
  trials: TrialRecord[];
  gate: GateSpec | null;
  /** Of the workload the trials ran (the plan has read it and checked it fits). */
  baseline?: Baseline | null;
  compare?: Omit<CompareOptions, 'gated'>;
  /** What ranks the points that meet every criterion (the workload's `rank`, or the seed workload's); empty: none is ranked. */
  rank: readonly RankedCriterion[];
  /** A workload file was the trials' load: the points carry none of the scenario's metrics. Default false. */
  workloadFile?: boolean;
}

/**
 * Every trial carries its workload (a file's, or its scenario's own), whose criteria judge the points: a
 * point no trial of which completed is judged by none, and a sweep none of whose trials ran finds none measured.
 */
export function summarizeSweep(input: SweepInput): SweepAnalysis {
  const points = aggregatePoints(input.plan.points, input.trials, workloadPointCriteria, { scenarioMetrics: input.workloadFile !== true });
  const outcome = workloadFinding(points, input.trials, input.rank);
  const source = { scenario: input.scenario, startedAt: input.startedAt, host: input.host, trials: input.trials, points };
  // With --gate, the gated point's figures gate; without, a baseline still gates every point it compares:
  // `--baseline` alone is how a pull request is held to the main branch's figures.
  const compare = { ...input.compare, gated: input.gate === null ? points.map((p) => p.id) : gatedPointIds(input.gate, outcome) };
  const saved = input.baseline ?? null;
  // The plan checked the baseline is of the trials' workload: this sweep's figures are kept under its name.
  const workloadBaseline = saved ? compareToBaseline(saved, toBaseline(source, saved.workload), compare) : null;
  // Only the criteria gate, so a regression is named by the criterion's id.
  const gatedRegressions = workloadBaseline
    ? { regressions: workloadBaseline.regressions.map((r) => ({ entryId: r.entryId, metric: 'criterion' in r.figure ? r.figure.criterion : r.figure.stream, p: r.p })) }
    : null;
  const gate = evaluateGate(input.gate, points, outcome, gatedRegressions);
  const { base, axes, repeat, seed } = input.plan;
  return {
    plan: { base, axes, repeat, seed, trialOrder: input.plan.trials.map((t) => t.id) },
    trials: input.trials,
    points,
    recommendation: outcome,
    baseline: null,
    ...(workloadBaseline ? { workloadBaseline } : {}),
    gate,
    pass: gate.pass,
  };
}

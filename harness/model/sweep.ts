/**
 * A sweep's outcome as results.json holds it and the reports read it: every trial's result, the points
 * with their statistics and criteria, the recommendation, the comparison with a baseline and the gate.
 */
import type { BaselineComparison, CriterionResult, GateOutcome, ProfileResult, ProfileStatus, Recommendation, RecommendationOutcome, SampleSummary, SweepMetric, SweepPlanSummary } from '../results.ts';
import type { PointSettings } from './sweep-plan.ts';

/** One trial of a sweep with its full result, as results.json's `trials[]` holds it. */
export interface TrialRecord {
  trialId: string;
  pointId: string;
  settings: PointSettings;
  repeat: number;
  result: ProfileResult;
}

/** A p99 over fewer requests than this is close to the maximum of what was sent, and reported so. */
export const FEW_REQUESTS = 100;

/** A metric over a point's repeats; for a p99, also the requests each repeat's figure rests on. */
export interface PointMetric extends SampleSummary {
  /** Per repeat, the requests inside the import window that its p99 rests on. */
  requests?: number[];
  /** Some repeat's p99 rests on fewer than {@link FEW_REQUESTS} requests: it is close to that repeat's maximum. */
  fewRequests?: boolean;
}

/** measured: every trial completed; partial: some did not (their figures are left out, and the point fails); errored: none did; not-run: no trial ran. */
export type PointStatus = 'measured' | 'partial' | 'errored' | 'not-run';

export interface PointResult {
  id: string;
  settings: PointSettings;
  status: PointStatus;
  /** Completed trials the figures rest on. */
  repeats: number;
  trialIds: string[];
  /** Trials that did not complete, with why. */
  failedTrials: { trialId: string; status: ProfileStatus; error?: string }[];
  metrics: Record<SweepMetric, PointMetric | null>;
  /** Each criterion judged on the point's medians (correctness figures: on the worst repeat). */
  criteria: CriterionResult[];
  /** Every trial completed and every criterion passed. */
  pass: boolean;
}

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

/**
 * A sweep's outcome as results.json holds it and the reports read it: every trial's result, the points
 * with their statistics and criteria, the recommendation, the comparison with a baseline and the gate.
 */
import type { WorkloadBaselineComparison, CriterionResult, GateOutcome, ProfileResult, ProfileStatus, Recommendation, RecommendationOutcome, RunResults, SampleSummary, SweepMetric, SweepPlanSummary, SweepSettings } from './results.ts';
import type { PointSettings } from './sweep-plan.ts';
import type { RankedCriterion, RankedFigure } from './rank.ts';
import type { SweepPrediction } from './prediction.ts';

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
  /**
   * The scenario's metrics over the point's completed repeats, what `--predict` compares the model with.
   * Absent in a sweep of a workload file: its points are its criteria's and streams'.
   */
  metrics?: Record<SweepMetric, PointMetric | null>;
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
  /**
   * Always null: results.json's field of the comparison an earlier lockbench made over the scenario's
   * metrics, kept so readers of the file find what they found; the comparison is `workloadBaseline`.
   */
  baseline: null;
  /** This sweep against `--baseline`, per point in its workload's own figures; absent without one. */
  workloadBaseline?: WorkloadBaselineComparison;
  gate: GateOutcome;
  /** The gate passed. */
  pass: boolean;
}

/**
 * results.json of any run: the run's own fields and, for a sweep, its section beside them (`profiles` then
 * empty: the trials carry every result). `workloadBaseline` and `pass` are the run's, the sweep's when it is one;
 * `prediction` is `scenario:sweep --predict`'s. A single run's results read as this type with no section.
 * Here rather than in results.ts: the section's types are the sweep's, and they import results.ts.
 */
export type SweepResults = RunResults & Partial<SweepSummary> & { prediction?: SweepPrediction };

/** A point as a finding names it; the reports label it by its settings. */
export interface PointRef {
  pointId: string;
  settings: SweepSettings;
}

/** What keeps the closest point from qualifying: a criterion it fails, or trials that did not complete. */
export type PointMiss =
  /** `repeats`: of a workload's criterion, in how many of the point's completed repeats it failed (its figure is their median). */
  | { code: 'criterion'; criterion: CriterionResult; repeats?: { failed: number; of: number } }
  | { code: 'trials-incomplete'; failedTrials: number };

/** A point as the recommendation names it: its figure of each ranked criterion, in the rank's order. */
export type RankedPoint = PointRef & { ranked: RankedFigure[] };

/**
 * The measured recommendation of a sweep as figures (harness/reports/sweep-reasons.ts words it): the
 * point that meets every criterion with the best median of the first ranked criterion, those tied with it
 * there and the ranked criterion that decided against each; or that no point was measured; or the closest
 * point and what it misses.
 */
export type RecommendationFinding =
  | {
      code: 'recommended';
      /** What ranked the points, in order. */
      rank: RankedCriterion[];
      point: RankedPoint;
      /** Points that meet every criterion, of all points. */
      qualifying: number;
      points: number;
      /** The best figure of the first ranked criterion among the qualifying points. */
      best: RankedFigure;
      /** Figures within this share of the best count as tied. */
      tieTolerance: number;
      /** The qualifying points tied with the recommended one on the first ranked criterion; `decidedBy`: the ranked criterion on which the recommended one was preferred. */
      tiedWith: (RankedPoint & { decidedBy: string })[];
    }
  | { code: 'none-measured' }
  | { code: 'none-qualifies'; closest: PointRef; misses: PointMiss[] }
  /** A sweep of a workload without a `rank` ranks no point: the points that meet every criterion, of all points. */
  | { code: 'meeting-every-criterion'; meeting: PointRef[]; points: number };

/** What `--gate` asked for: nothing, some qualifying point, one point; `baseline`: no --gate, but a baseline gates. */
export type GateAsked = { kind: 'none' } | { kind: 'recommended' } | { kind: 'baseline' } | { kind: 'point'; point: PointRef };

/** Why a gate failed, as data. */
export type GateFailure =
  | { code: 'no-recommendation'; recommendation: RecommendationFinding }
  | { code: 'criteria-missed'; point: PointRef; criteria: string[] }
  | { code: 'point-incomplete'; point: PointRef; status: PointStatus; failedTrials: number }
  | { code: 'regression'; entryId: string; metric: string; p: number | null };

/** The gate's verdict on a sweep as data; the reports turn it into results.json's `gate`. */
export interface GateVerdict {
  asked: GateAsked;
  /** The points whose criteria (and baseline figures) gate: the named one, or the recommended one. */
  gatedPoints: string[];
  pass: boolean;
  failures: GateFailure[];
}

/** A sweep's outcome as the analysis returns it: {@link SweepSummary} with the recommendation and the gate as findings, not yet worded. */
export interface SweepAnalysis extends Omit<SweepSummary, 'recommendation' | 'recommendationReason' | 'closest' | 'gate'> {
  recommendation: RecommendationFinding;
  gate: GateVerdict;
}

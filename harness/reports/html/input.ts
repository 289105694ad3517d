/**
 * What report.html is drawn from: a run's results and, per profile or trial, its lock spans and
 * request samples. Plain data, read from the run folder or handed over by the run that made it.
 */
import type { PointResult, SweepResults } from '../../model/sweep.ts';
import type { CriterionResult, DriverInfo, ProfileResult, WorkloadBaselineComparison as WorkloadComparison } from '../../model/results.ts';
import { workloadFigureName } from '../workload-baseline.ts';
import type { Timeline } from '../../model/timeline.ts';

/** A figure over the repeats of one sweep point. */
export interface MetricSpread {
  median: number | null;
  min: number | null;
  max: number | null;
  /** Interval of the median (aiming at 95 %); null when the repeats are too few for one. */
  ci95: [number, number] | null;
  /** The confidence the interval actually has, 0..1 (0.5 for 2 repeats); null without an interval. */
  confidence: number | null;
  /** Repeats the figure rests on. */
  samples: number;
}

/** One value (or combination of values) of a sweep, over its repeats. */
export interface SweepPoint {
  /** `batchSize-10`: the id its trials name as their `pointId`. */
  id: string;
  /** The varied settings, e.g. `{ batchSize: 10 }`. */
  settings: Record<string, string | number | boolean>;
  /** Completed repeats the figures rest on. */
  repeats: number;
  /** Every trial of the point, in run order. */
  trialIds: string[];
  /** Trials that did not complete, with why. */
  failedTrials: { trialId: string; status: string; error?: string }[];
  /** By metric name (ProfileMetrics keys). */
  metrics: Record<string, MetricSpread>;
  criteria: CriterionResult[];
  pass: boolean;
}

/** The sweep's recommendation; `settings` null when no value meets every criterion. */
export interface Recommendation {
  settings: Record<string, string | number | boolean> | null;
  reason: string;
}

/** One metric of this run beside the same of an earlier one. */
export interface BaselineMetric {
  metric: string;
  /** The profile, trial or sweep point the figures belong to. */
  profile?: string;
  old: number | MetricSpread | null;
  new: number | MetricSpread | null;
  changePct?: number | null;
  /** better, worse, no significant change, too few samples. */
  verdict?: string;
}

export interface BaselineComparison {
  /** Where the old figures came from (a results.json or baseline file). */
  source?: string;
  metrics: BaselineMetric[];
}

/**
 * A run's results as the report reads them: a concurrent or smoke run, or a sweep with `points`, either
 * optionally compared with a baseline. The driver is `driver`; older results name k6 in `k6`.
 */
export type ReportResults = Omit<SweepResults, 'baseline' | 'trials' | 'points' | 'recommendation' | 'recommendationReason' | 'closest'> & {
  k6?: { version: string | null };
  driver?: DriverInfo;
  /** A sweep's every trial: `id` names its timeline, `pointId` its point. */
  trials?: (ProfileResult & { id?: string; pointId?: string })[];
  points?: SweepPoint[];
  recommendation?: Recommendation | null;
  baseline?: BaselineComparison | null;
};

export interface ReportHtmlInput {
  results: ReportResults;
  timelines: Timeline[];
}

/** The driver that ran, from `driver` or the older `k6` block. */
export function driverOf(results: ReportResults): DriverInfo | null {
  if (results.driver) return results.driver;
  if (results.k6) return { name: 'k6', version: results.k6.version };
  return null;
}

function pointOf(point: PointResult): SweepPoint {
  const metrics: Record<string, MetricSpread> = {};
  for (const [name, m] of Object.entries(point.metrics ?? {})) {
    if (m === null) continue;
    const interval = m.samples.length > 1;
    metrics[name] = { median: m.median, min: m.min, max: m.max, ci95: interval ? m.ci95 : null, confidence: interval ? m.ci95Coverage : null, samples: m.samples.length };
  }
  return {
    id: point.id,
    settings: { ...point.settings } as SweepPoint['settings'],
    repeats: point.repeats,
    trialIds: point.trialIds,
    failedTrials: point.failedTrials,
    metrics,
    criteria: point.criteria,
    pass: point.pass,
  };
}

/** A run's comparison with its baseline, each figure named as its workload names it (with its unit). */
function workloadBaselineOf(comparison: WorkloadComparison): BaselineComparison {
  return {
    source: comparison.baseline.source ?? `of ${comparison.baseline.createdAt}`,
    metrics: comparison.rows.map((r) => ({ metric: `${workloadFigureName(r)} (${r.unit})`, profile: r.entryId, old: r.old, new: r.new, changePct: r.changePct, verdict: r.verdict })),
  };
}

/** The page's view of what a run wrote into results.json. */
export function reportResultsOf(results: SweepResults): ReportResults {
  const { baseline: _scenarioBaseline, workloadBaseline, points, trials, recommendation, recommendationReason, ...rest } = results;
  return {
    ...rest,
    ...(trials ? { trials: trials.map((t) => ({ ...t.result, id: t.trialId, pointId: t.pointId })) } : {}),
    ...(points ? { points: points.map(pointOf) } : {}),
    ...(recommendation !== undefined
      ? { recommendation: { settings: recommendation ? ({ ...recommendation.settings } as SweepPoint['settings']) : null, reason: recommendation?.reason ?? recommendationReason ?? '' } }
      : {}),
    ...(workloadBaseline ? { baseline: workloadBaselineOf(workloadBaseline) } : {}),
  };
}

/**
 * What report.html is drawn from: a run's results and, per profile or trial, its lock spans and
 * request samples. Plain data, read from the run folder or handed over by the run that made it.
 */
import type { CriterionResult, ProfileResult, RunResults } from '../../results.ts';
import type { RequestSample as SampleRow } from '../../drivers/samples.ts';
import type { SpansFile } from './timeline.ts';

/** The load driver that ran the scenario. */
export interface DriverInfo {
  name: string;
  version: string | null;
}

/** A figure over the repeats of one sweep point. */
export interface MetricSpread {
  median: number | null;
  min: number | null;
  max: number | null;
  /** 95 % interval of the median; null when the repeats are too few for one. */
  ci95: [number, number] | null;
  /** Repeats the figure rests on. */
  samples: number;
}

/** One value (or combination of values) of a sweep, over its repeats. */
export interface SweepPoint {
  /** The varied settings, e.g. `{ batchSize: 10 }`. */
  settings: Record<string, string | number | boolean>;
  repeats: number;
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
export type ReportResults = Omit<RunResults, 'k6'> & {
  k6?: { version: string | null };
  driver?: DriverInfo;
  /** A sweep's every trial, each drawn in its own section like a profile; `id` names its timeline. */
  trials?: (ProfileResult & { id?: string })[];
  points?: SweepPoint[];
  recommendation?: Recommendation | null;
  baseline?: BaselineComparison | null;
};

/** One profile's or trial's data for its charts; null where the file is missing. */
export interface Timeline {
  /** The profile name or trial id: `results.profiles[].name`, `results.trials[].id`. */
  id: string;
  spans: SpansFile | null;
  samples: SampleRow[] | null;
}

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

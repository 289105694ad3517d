/**
 * Baselines: a small versioned file of the raw per-repeat figures of a run, meant to be committed, and
 * the comparison of a run with one, metric by metric, in the manner of Go's benchstat: a rank test
 * (Mann–Whitney U) decides whether a change is real, a minimum effect whether it matters.
 */
import { mkdir, readFile, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { median } from 'simple-statistics';
import { z } from 'zod';
import { writeFileAtomic } from '../shared/atomic.ts';
import type { BaselineComparison, BaselineRow, BaselineVerdict, HostInfo, RunResults } from '../model/results.ts';
import { metricValue } from './aggregate.ts';
import { METRIC_BETTER, METRIC_UNITS, SWEEP_METRICS, type SweepMetric } from '../model/results.ts';
import type { PointResult, TrialRecord } from '../model/sweep.ts';
import { mannWhitneyU } from './stats.ts';

export const BASELINE_FORMAT = 'lockbench-baseline';
export const BASELINE_VERSION = 1;
/** What `loadBaseline` reads in a report folder. */
export const RESULTS_FILE = 'results.json';

/** One profile (scenario:concurrent) or point (a sweep) of a baseline: its settings and per-repeat figures. */
export interface BaselineEntry {
  /** The profile's name or the point's id: what a later run is matched on. */
  id: string;
  kind: 'profile' | 'point';
  /** The profile's target flags, or the point's varied settings. */
  settings: Record<string, string | number>;
  /** Per metric, one value per completed repeat (busyErrors: the total over every code). */
  samples: Record<SweepMetric, number[]>;
}

export interface Baseline {
  format: typeof BASELINE_FORMAT;
  version: typeof BASELINE_VERSION;
  scenario: string;
  /** When the run the figures come from started (ISO 8601). */
  createdAt: string;
  host: HostInfo;
  entries: BaselineEntry[];
}

/** A run's results as far as a baseline needs them; a sweep adds its trials and points. */
export type BaselineSource = Pick<RunResults, 'startedAt' | 'host'> & {
  scenario: string;
  /** The run's recorded options: whether its load came from a workload file (`ranWorkloadFile`). */
  options?: RunResults['options'];
  profiles?: RunResults['profiles'];
  trials?: TrialRecord[];
  points?: PointResult[];
};

export class BaselineError extends Error {
  readonly code = 'BAD_BASELINE';
  constructor(
    readonly path: string,
    detail: string,
  ) {
    super(`baseline ${path}: ${detail}`);
    this.name = 'BaselineError';
  }
}

/** Six significant digits: enough for any figure here, and the file stays small and readable in a diff. */
const keep = (value: number) => Number(value.toPrecision(6));

function emptySamples(): Record<SweepMetric, number[]> {
  return Object.fromEntries(SWEEP_METRICS.map((m) => [m, []])) as unknown as Record<SweepMetric, number[]>;
}

/**
 * The baseline of a run: per point of a sweep (from its completed trials), otherwise per profile that
 * completed, the raw figure of every repeat.
 */
export function toBaseline(results: BaselineSource): Baseline {
  const entries: BaselineEntry[] =
    results.points && results.trials
      ? results.points.map((point) => {
          const samples = emptySamples();
          for (const trial of results.trials!) {
            if (trial.pointId !== point.id || trial.result.status !== 'completed') continue;
            for (const metric of SWEEP_METRICS) {
              const value = metricValue(trial.result, metric);
              if (value !== null) samples[metric].push(keep(value));
            }
          }
          return { id: point.id, kind: 'point' as const, settings: { ...point.settings } as Record<string, string | number>, samples };
        })
      : (results.profiles ?? [])
          .filter((p) => p.status === 'completed')
          .map((profile) => {
            const samples = emptySamples();
            for (const metric of SWEEP_METRICS) {
              const value = metricValue(profile, metric);
              if (value !== null) samples[metric].push(keep(value));
            }
            return { id: profile.name, kind: 'profile' as const, settings: { ...profile.config.flags }, samples };
          });
  return { format: BASELINE_FORMAT, version: BASELINE_VERSION, scenario: results.scenario, createdAt: results.startedAt, host: results.host, entries };
}

export function renderBaselineJson(baseline: Pick<Baseline, 'format' | 'version'>): string {
  return `${JSON.stringify(baseline, null, 2)}\n`;
}

/** Writes the baseline atomically (harness/shared/atomic.ts), making its folder first. */
export async function saveBaseline(file: string, baseline: Pick<Baseline, 'format' | 'version'>): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  await writeFileAtomic(file, renderBaselineJson(baseline));
}

export const hostSchema = z.object({ cpus: z.number(), cpuModel: z.string(), node: z.string(), platform: z.string(), totalMemoryBytes: z.number() });
const samplesSchema = z.object(Object.fromEntries(SWEEP_METRICS.map((m) => [m, z.array(z.number())])) as Record<SweepMetric, z.ZodArray<z.ZodNumber>>);
const baselineSchema = z.object({
  format: z.literal(BASELINE_FORMAT),
  version: z.literal(BASELINE_VERSION),
  scenario: z.string(),
  createdAt: z.string(),
  host: hostSchema,
  entries: z.array(
    z.object({
      id: z.string().min(1),
      kind: z.enum(['profile', 'point']),
      settings: z.record(z.string(), z.union([z.string(), z.number()])),
      samples: samplesSchema,
    }),
  ),
});
const profileSchema = z.looseObject({
  name: z.string(),
  status: z.string(),
  config: z.looseObject({ flags: z.record(z.string(), z.string()) }),
  metrics: z.looseObject({ busyErrors: z.record(z.string(), z.number()) }),
});
/**
 * The parts of a results.json a baseline is made from (a run's profiles, or a sweep's trials and points),
 * each profile or trial as `run` reads it; the rest is not checked.
 */
export function resultsSchemaOf<Run extends z.ZodType>(run: Run) {
  return z.looseObject({
    scenario: z.string(),
    startedAt: z.string(),
    host: hostSchema,
    profiles: z.array(run).optional(),
    trials: z.array(z.looseObject({ pointId: z.string(), result: run })).optional(),
    points: z.array(z.looseObject({ id: z.string(), settings: z.record(z.string(), z.union([z.string(), z.number()])) })).optional(),
  });
}
const resultsSchema = resultsSchemaOf(profileSchema)
  .refine((r) => r.profiles !== undefined || (r.trials !== undefined && r.points !== undefined), {
    message: 'has neither profiles[] nor trials[] with points[]',
  });

export const EXPECTED = `expected a baseline file (written by --save-baseline), a ${RESULTS_FILE}, or a report folder containing one`;

export function issues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
    .join('; ');
}

/** The JSON of a baseline file or a results.json (a report folder's), with the file it came from; errors say what was expected. */
export async function readBaselineJson(path: string): Promise<{ file: string; data: unknown }> {
  let file = path;
  try {
    if ((await stat(path)).isDirectory()) file = join(path, RESULTS_FILE);
  } catch {
    throw new BaselineError(path, `not found; ${EXPECTED}`);
  }
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new BaselineError(path, file === path ? `cannot be read; ${EXPECTED}` : `the folder has no ${RESULTS_FILE}; ${EXPECTED}`);
  }
  if (text.trim() === '') throw new BaselineError(file, `is empty; ${EXPECTED}`);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new BaselineError(file, `is not complete JSON (${(err as Error).message}): truncated or not a lockbench file; ${EXPECTED}`);
  }
  return { file, data };
}

/** Whether the JSON is a baseline file (written by --save-baseline) rather than a results.json. */
export function isBaselineFile(data: unknown): data is Record<string, unknown> {
  return typeof data === 'object' && data !== null && (data as Record<string, unknown>).format === BASELINE_FORMAT;
}

/** Reads a baseline of lockbench's own figures from a baseline file, a results.json, or a report folder; errors say what was expected. */
export async function loadBaseline(path: string): Promise<Baseline> {
  const { file, data } = await readBaselineJson(path);
  if (isBaselineFile(data) && typeof data.workload === 'object' && data.workload !== null) {
    const name = (data.workload as { name?: unknown }).name;
    throw new BaselineError(file, `was saved from a run of workload "${String(name)}": it holds that workload's figures, not lockbench's own scenario's`);
  }
  return parseBaseline(file, data);
}

/** A baseline of lockbench's own figures from the JSON of a baseline file or a results.json. */
export function parseBaseline(file: string, data: unknown): Baseline {
  const record = typeof data === 'object' && data !== null ? (data as Record<string, unknown>) : {};
  if (record.format === BASELINE_FORMAT) {
    if (record.version !== BASELINE_VERSION) {
      throw new BaselineError(file, `is a version ${String(record.version)} baseline; this lockbench reads version ${BASELINE_VERSION}`);
    }
    const parsed = baselineSchema.safeParse(data);
    if (!parsed.success) throw new BaselineError(file, `is a baseline file with missing or malformed fields (${issues(parsed.error)})`);
    return parsed.data;
  }
  const parsed = resultsSchema.safeParse(data);
  if (!parsed.success) {
    throw new BaselineError(file, `is neither a baseline (format "${BASELINE_FORMAT}") nor a lockbench ${RESULTS_FILE} (${issues(parsed.error)}); ${EXPECTED}`);
  }
  return toBaseline(parsed.data as unknown as BaselineSource);
}

/** Fewer repeats than this on either side: the change is shown, with no verdict. */
export const MIN_SAMPLES = 3;
/**
 * The smallest change in milliseconds that counts, whatever the tolerance: the observer times a hold to
 * within 2 ms plus a sample gap, and scheduling on a shared 2-core machine moves a p99 by as much.
 */
export const MIN_EFFECT_MS = 10;
/** Default smallest change that counts, as a share of the baseline's median (`--tolerance`). */
export const DEFAULT_TOLERANCE = 0.1;
/** Default significance level of the rank test. */
export const DEFAULT_ALPHA = 0.05;
/** The metrics a criterion judges: a significant regression of one fails the gate. Busy errors are shown beside. */
export const GATED_METRICS: readonly SweepMetric[] = ['importWallMs', 'maxLockHoldMs', 'catalogP99Ms', 'workflowWriteP99Ms', 'requestSuccessRate'];

export interface CompareOptions {
  /** Default {@link DEFAULT_TOLERANCE}. */
  tolerance?: number;
  /** Default {@link DEFAULT_ALPHA}. */
  alpha?: number;
  /** Ids of the gated profiles or points; their {@link GATED_METRICS} gate. Default: none. */
  gated?: readonly string[];
  /** Where the baseline was read from, for the report. */
  source?: string;
}

/** The smallest two-sided exact p of a rank test between m and n samples: complete separation. */
function smallestP(m: number, n: number): number {
  let ways = 1; // (m + n choose m)
  for (let i = 1; i <= m; i++) ways = (ways * (n + i)) / i;
  return 2 / ways;
}

/** What a comparison needs to know of a figure: its unit (`ms` and `ratio` are read) and which way is better. */
export interface FigureScale {
  unit: string;
  better: 'lower' | 'higher';
}

/**
 * Whether a change is at least the tolerance. For a rate where higher is better (a success rate) the
 * effect is taken on the failure share (1 - rate): 100 % -> 98 % is a 2 % change of the rate, but
 * failures appearing where there were none, which is what a success criterion is about.
 */
function largeEnough({ unit, better }: FigureScale, old: number, current: number, tolerance: number): boolean {
  const [a, b] = unit === 'ratio' && better === 'higher' ? [1 - old, 1 - current] : [old, current];
  if (a === b) return false;
  // A few milliseconds are the instrument's and the machine's noise, not an effect, however large a
  // share of a small figure they are (a 15 ms hold measured at 20 ms).
  if (unit === 'ms' && Math.abs(b - a) < MIN_EFFECT_MS) return false;
  if (a === 0) return true;
  return Math.abs((b - a) / a) >= tolerance;
}

/** One figure's repeats against the baseline's: medians, change, rank test and verdict (the rule of every baseline). */
export function compareSamples(
  scale: FigureScale,
  old: number[],
  current: number[],
  tolerance: number,
  alpha: number,
): Pick<BaselineRow, 'old' | 'new' | 'changePct' | 'p' | 'verdict' | 'detectable'> {
  const oldMedian = old.length > 0 ? median(old) : null;
  const newMedian = current.length > 0 ? median(current) : null;
  const changePct =
    oldMedian === null || newMedian === null ? null : oldMedian === 0 ? (newMedian === 0 ? 0 : null) : ((newMedian - oldMedian) / Math.abs(oldMedian)) * 100;
  const detectable = old.length >= MIN_SAMPLES && current.length >= MIN_SAMPLES && smallestP(old.length, current.length) < alpha;
  const base = { old: oldMedian, new: newMedian, changePct, detectable };
  if (oldMedian === null || newMedian === null) return { ...base, p: null, verdict: 'not-measured' };
  if (old.length < MIN_SAMPLES || current.length < MIN_SAMPLES) return { ...base, p: null, verdict: 'too-few-samples' };
  const { p } = mannWhitneyU(old, current);
  if (p >= alpha || !largeEnough(scale, oldMedian, newMedian, tolerance)) return { ...base, p, verdict: 'no-change' };
  const improved = scale.better === 'lower' ? newMedian < oldMedian : newMedian > oldMedian;
  return { ...base, p, verdict: improved ? 'better' : 'worse' };
}

/** What judges a row: the tolerance, the rank test's alpha, and whether its profile or point gates. */
export interface RowJudge {
  tolerance: number;
  alpha: number;
  /** The entry is gated; which of its rows gate is the caller's to say. */
  gated: boolean;
}

/**
 * A comparison of either kind of baseline: the entries both runs have, matched by id, their rows from
 * `rowsOf`, what only one side has, and the gated regressions.
 */
export function compareEntries<E extends { id: string }, R extends Pick<BaselineRow, 'gated' | 'verdict'>>(
  old: Pick<Baseline, 'scenario' | 'createdAt' | 'host'> & { entries: E[] },
  current: { entries: E[] },
  options: CompareOptions,
  rowsOf: (before: E, entry: E, judge: RowJudge) => R[],
): Omit<BaselineComparison, 'rows' | 'regressions'> & { rows: R[]; regressions: R[] } {
  const tolerance = options.tolerance ?? DEFAULT_TOLERANCE;
  const alpha = options.alpha ?? DEFAULT_ALPHA;
  const gated = new Set(options.gated ?? []);
  const oldById = new Map(old.entries.map((e) => [e.id, e]));
  const rows: R[] = [];
  for (const entry of current.entries) {
    const before = oldById.get(entry.id);
    if (before) rows.push(...rowsOf(before, entry, { tolerance, alpha, gated: gated.has(entry.id) }));
  }
  const currentIds = new Set(current.entries.map((e) => e.id));
  const regressions = rows.filter((r) => r.gated && r.verdict === 'worse');
  return {
    baseline: { scenario: old.scenario, createdAt: old.createdAt, host: old.host, ...(options.source === undefined ? {} : { source: options.source }) },
    tolerance,
    alpha,
    rows,
    onlyInBaseline: old.entries.filter((e) => !currentIds.has(e.id)).map((e) => e.id),
    onlyInRun: current.entries.filter((e) => !oldById.has(e.id)).map((e) => e.id),
    regressions,
    pass: regressions.length === 0,
  };
}

/** This run against a baseline, per shared profile or point and per metric; the plan has checked tolerance and alpha (harness/plan/baseline.ts). */
export function compareToBaseline(old: Baseline, current: Baseline, options: CompareOptions = {}): BaselineComparison {
  return compareEntries(old, current, options, (before, entry, { tolerance, alpha, gated }) =>
    SWEEP_METRICS.map((metric) => ({
      entryId: entry.id,
      metric,
      unit: METRIC_UNITS[metric],
      better: METRIC_BETTER[metric],
      ...compareSamples({ unit: METRIC_UNITS[metric], better: METRIC_BETTER[metric] }, before.samples[metric], entry.samples[metric], tolerance, alpha),
      oldSamples: before.samples[metric].length,
      newSamples: entry.samples[metric].length,
      gated: gated && GATED_METRICS.includes(metric),
    })),
  );
}

/**
 * `--baseline` and `--save-baseline`, checked before anything runs: the one place a baseline is read (a
 * baseline file, a run's results.json, or a report folder holding one), made to fit the run about to
 * start, and refused with a message naming the file when it cannot (exit 2); and `--tolerance` and the
 * rank test's alpha. harness/analyze/baseline.ts compares with what it is given.
 *
 * Every run's baseline keeps its workload's figures (harness/model/baseline.ts), whether the workload came
 * from a file or is the scenario's own. A baseline an earlier lockbench wrote over the scenario's metrics
 * (importWallMs, ...) still compares for a run of that scenario's own workload: each metric is read as the
 * criterion harness/plan/criteria.json judges it by (`metric` -> `id`, the ids the scenario's workload
 * uses), so a committed baseline keeps gating until it is saved again.
 */
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { BASELINE_FORMAT, BASELINE_VERSION, betterOf, keepFigure, toBaseline, workloadOfResults, type Baseline, type BaselineEntry, type BaselineSource, type WorkloadIdentity } from '../model/baseline.ts';
import { STREAM_BASELINE_FIGURES, SWEEP_METRICS, type SweepMetric } from '../model/results.ts';
import type { Workload } from '../model/workload-plan.ts';
import { UsageError } from '../shared/usage-error.ts';
import { loadCriteria } from './criteria.ts';
import type { RunPlan } from './run.ts';

/** What `loadBaseline` reads in a report folder. */
export const RESULTS_FILE = 'results.json';

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

export interface BaselineCompareAsked {
  /** The smallest change that counts, as a share of the baseline's median (0.1 = 10 %). */
  tolerance?: number;
  /** Significance level of the rank test, between 0 and 1. */
  alpha?: number;
}

/** Refuses a tolerance below 0 or an alpha outside (0, 1), naming the flag; a value not given is not checked. */
export function checkBaselineCompare({ tolerance, alpha }: BaselineCompareAsked): void {
  if (tolerance !== undefined && !(tolerance >= 0)) throw new UsageError(`--tolerance must be a share >= 0 (0.1 = 10 %), got ${tolerance}`, '--tolerance');
  if (alpha !== undefined && !(alpha > 0 && alpha < 1)) throw new UsageError(`alpha must be between 0 and 1, got ${alpha}`, 'alpha');
}

/** The workload a run's baseline is of, as far as reading one needs it. */
export interface BaselineRun {
  workload: Pick<Workload, 'name' | 'streams' | 'criteria'>;
  /** The scenario the run is of (results.json's `scenario`). */
  scenario: string;
  /** The workload is the scenario's own (scenarios/<scenario>.workload.json), not a `--workload` file. */
  scenarioOwn: boolean;
}

/** What a command was asked to do with a baseline: the paths of `--baseline` and `--save-baseline`. */
export interface BaselineAsked {
  baseline?: string | undefined;
  saveBaseline?: string | undefined;
}

/**
 * The workload whose figures a planned run's baseline keeps: the `--workload` file's, or the one its
 * scenario carries; null when no baseline was asked for. A run whose trials carry no workload (a target
 * described as the marketplace, run without `--workload`, judged by criteria.json) has nothing to keep its
 * figures by: asking it for a baseline is refused, naming the flag.
 */
export function baselineRunOf(plan: Pick<RunPlan, 'options' | 'workload' | 'trials'>, asked: BaselineAsked): BaselineRun | null {
  if (asked.baseline === undefined && asked.saveBaseline === undefined) return null;
  if (plan.workload) return { workload: plan.workload.workload, scenario: plan.options.scenario, scenarioOwn: false };
  const own = plan.trials[0]?.scenarioWorkload;
  if (own) return { workload: own.workload, scenario: plan.options.scenario, scenarioOwn: true };
  // Every trial carries a workload (a file's, or its scenario's, adapted to a described target): one without is a defect.
  throw new Error('the run carries no workload, so it has no baseline to keep or compare');
}

/** The name and streams of the run's workload: what its saved baseline is matched on. */
export const identityOf = (run: BaselineRun): WorkloadIdentity => ({ name: run.workload.name, streams: run.workload.streams.map((s) => s.name) });

const EXPECTED = `expected a baseline file (written by --save-baseline), a ${RESULTS_FILE}, or a report folder containing one`;

function issues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
    .join('; ');
}

/** The JSON of a baseline file or a results.json (a report folder's), with the file it came from; errors say what was expected. */
async function readBaselineJson(path: string): Promise<{ file: string; data: unknown }> {
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
  try {
    return { file, data: JSON.parse(text) };
  } catch (err) {
    throw new BaselineError(file, `is not complete JSON (${(err as Error).message}): truncated or not a lockbench file; ${EXPECTED}`);
  }
}

const hostSchema = z.object({ cpus: z.number(), cpuModel: z.string(), node: z.string(), platform: z.string(), totalMemoryBytes: z.number() });
const settingsSchema = z.record(z.string(), z.union([z.string(), z.number()]));
const figureSchema = z.union([
  z.strictObject({ criterion: z.string().min(1), distance: z.literal(true).optional() }),
  z.strictObject({ stream: z.string().min(1), figure: z.enum(STREAM_BASELINE_FIGURES) }),
]);
const fileHeader = { format: z.literal(BASELINE_FORMAT), version: z.literal(BASELINE_VERSION), scenario: z.string(), createdAt: z.string(), host: hostSchema };
const entryHeader = { id: z.string().min(1), kind: z.enum(['profile', 'point']), settings: settingsSchema };
const baselineSchema = z.object({
  ...fileHeader,
  workload: z.object({ name: z.string(), streams: z.array(z.string()) }),
  entries: z.array(
    z.object({ ...entryHeader, figures: z.array(z.object({ figure: figureSchema, unit: z.string(), better: z.enum(['lower', 'higher']), samples: z.array(z.number()) })) }),
  ),
});
/** A baseline file an earlier lockbench wrote: per entry, the samples of every one of the scenario's metrics. */
const metricsBaselineSchema = z.object({
  ...fileHeader,
  entries: z.array(z.object({ ...entryHeader, samples: z.object(Object.fromEntries(SWEEP_METRICS.map((m) => [m, z.array(z.number())])) as Record<SweepMetric, z.ZodArray<z.ZodNumber>>) })),
});

const workloadResultSchema = z.looseObject({
  name: z.string(),
  streams: z.array(
    z.looseObject({
      stream: z.string(),
      lockErrors: z.looseObject({ total: z.number(), fast: z.number(), timedOut: z.number(), unknown: z.number() }),
      otherErrors: z.number(),
      p50Ms: z.number().nullable(),
      p99Ms: z.number().nullable(),
    }),
  ),
  criteria: z.array(z.looseObject({ id: z.string(), comparison: z.string(), threshold: z.number().nullable(), measured: z.number().nullable(), unit: z.string() })),
});
/** A profile or trial as a results.json holds it: its workload's result, or (an earlier lockbench's) only the scenario's metrics. */
const runSchema = z.looseObject({
  name: z.string(),
  status: z.string(),
  config: z.looseObject({ flags: z.record(z.string(), z.string()) }),
  workload: workloadResultSchema.optional(),
  metrics: z.looseObject(Object.fromEntries(SWEEP_METRICS.filter((m) => m !== 'busyErrors').map((m) => [m, z.number().nullable()]))).optional(),
});
const resultsSchema = z
  .looseObject({
    scenario: z.string(),
    startedAt: z.string(),
    host: hostSchema,
    profiles: z.array(runSchema).optional(),
    trials: z.array(z.looseObject({ pointId: z.string(), result: runSchema })).optional(),
    points: z.array(z.looseObject({ id: z.string(), settings: settingsSchema })).optional(),
  })
  .refine((r) => r.profiles !== undefined || (r.trials !== undefined && r.points !== undefined), { message: 'has neither profiles[] nor trials[] with points[]' });
type ParsedResults = z.infer<typeof resultsSchema>;
type ParsedRun = z.infer<typeof runSchema>;

/** What a baseline of the scenario's metrics holds, before it is read as the run's criteria. */
interface MetricsBaseline {
  scenario: string;
  createdAt: string;
  host: Baseline['host'];
  entries: (Omit<BaselineEntry, 'figures'> & { samples: Partial<Record<SweepMetric, number[]>> })[];
}

/** Per entry of a results.json written before runs kept their workload's figures: each metric's figures. */
function metricsOfResults(results: ParsedResults): MetricsBaseline {
  const samplesOf = (runs: readonly ParsedRun[]) => {
    const completed = runs.filter((r) => r.status === 'completed');
    return Object.fromEntries(SWEEP_METRICS.map((m) => [m, completed.flatMap((r) => (typeof r.metrics?.[m] === 'number' ? [keepFigure(r.metrics[m])] : []))]));
  };
  const entries =
    results.trials && results.points
      ? results.points.map((p) => ({ id: p.id, kind: 'point' as const, settings: p.settings, samples: samplesOf(results.trials!.filter((t) => t.pointId === p.id).map((t) => t.result)) }))
      : (results.profiles ?? []).filter((p) => p.status === 'completed').map((p) => ({ id: p.name, kind: 'profile' as const, settings: p.config.flags, samples: samplesOf([p]) }));
  return { scenario: results.scenario, createdAt: results.startedAt, host: results.host, entries };
}

/**
 * A baseline of the scenario's metrics read as the run's criteria: each metric that criteria.json judges
 * becomes the figure of the criterion of that id which the run's workload has (the scenario's own
 * workloads use criteria.json's ids); the rest (busy errors, a criterion the workload lacks) is left out.
 */
function fromScenarioMetrics(file: string, saved: MetricsBaseline, run: BaselineRun): Baseline {
  const runIds = new Set(run.workload.criteria.map((c) => c.id));
  if (!run.scenarioOwn || saved.scenario !== run.scenario) {
    throw new BaselineError(
      file,
      `was written by an earlier lockbench over the ${saved.scenario} scenario's metrics (importWallMs, catalogP99Ms, ...), which a run of workload "${run.workload.name}" does not keep: ` +
        `save a new baseline from a run of workload "${run.workload.name}" (--save-baseline) and compare with that`,
    );
  }
  const judged = loadCriteria().flatMap((c) => ((SWEEP_METRICS as readonly string[]).includes(c.metric) && runIds.has(c.id) ? [{ ...c, metric: c.metric as SweepMetric }] : []));
  return {
    format: BASELINE_FORMAT,
    version: BASELINE_VERSION,
    scenario: saved.scenario,
    createdAt: saved.createdAt,
    host: saved.host,
    workload: identityOf(run),
    readFrom: 'scenario-metrics',
    entries: saved.entries.map(({ samples, ...entry }) => ({
      ...entry,
      figures: judged.map((c) => ({ figure: { criterion: c.id }, unit: c.unit, better: betterOf(c.comparison), samples: [...(samples[c.metric] ?? [])] })),
    })),
  };
}

const quoted = (names: readonly string[]) => names.map((n) => `"${n}"`).join(', ');

/** Refuses a baseline saved from another workload than the run's: its name or its streams differ. */
function checkFits(file: string, baseline: Baseline, run: BaselineRun): void {
  const saved = baseline.workload;
  const differences: string[] = [];
  if (saved.name !== run.workload.name) differences.push(`it was saved from workload "${saved.name}", this run is workload "${run.workload.name}"`);
  const streams = run.workload.streams.map((s) => s.name);
  const onlySaved = saved.streams.filter((s) => !streams.includes(s));
  const onlyRun = streams.filter((s) => !saved.streams.includes(s));
  if (onlySaved.length > 0) differences.push(`streams only in the baseline: ${quoted(onlySaved)}`);
  if (onlyRun.length > 0) differences.push(`streams only in this run: ${quoted(onlyRun)}`);
  if (differences.length > 0) throw new BaselineError(file, `does not fit this run: ${differences.join('; ')}; compare runs of the same workload`);
}

/**
 * Reads a baseline for `run` from a baseline file, a results.json, or a report folder, and checks it is of
 * the run's workload; errors name the file and say what was expected or what differs.
 */
export async function loadBaseline(path: string, run: BaselineRun): Promise<Baseline> {
  const { file, data } = await readBaselineJson(path);
  const record = typeof data === 'object' && data !== null ? (data as Record<string, unknown>) : {};
  let baseline: Baseline;
  if (record.format === BASELINE_FORMAT) {
    if (record.version !== BASELINE_VERSION) throw new BaselineError(file, `is a version ${String(record.version)} baseline; this lockbench reads version ${BASELINE_VERSION}`);
    if ('workload' in record) {
      const parsed = baselineSchema.safeParse(data);
      if (!parsed.success) throw new BaselineError(file, `is a baseline file with missing or malformed fields (${issues(parsed.error)})`);
      baseline = parsed.data;
    } else {
      const parsed = metricsBaselineSchema.safeParse(data);
      if (!parsed.success) throw new BaselineError(file, `is a baseline file with missing or malformed fields (${issues(parsed.error)})`);
      baseline = fromScenarioMetrics(file, parsed.data, run);
    }
  } else {
    const parsed = resultsSchema.safeParse(data);
    if (!parsed.success) {
      throw new BaselineError(file, `is neither a baseline (format "${BASELINE_FORMAT}") nor a lockbench ${RESULTS_FILE} (${issues(parsed.error)}); ${EXPECTED}`);
    }
    const source = parsed.data as unknown as BaselineSource;
    const workload = workloadOfResults(source);
    baseline = workload ? toBaseline(source, workload) : fromScenarioMetrics(file, metricsOfResults(parsed.data), run);
  }
  checkFits(file, baseline, run);
  return baseline;
}

/**
 * Baselines of a run from a workload: the workload's own figures (each criterion's measured value, and per
 * stream latency, lock errors and other errors) per profile or point, kept and compared with the rule of
 * lockbench's own baselines (harness/analyze/baseline.ts: rank test, tolerance, minimum effect). A baseline
 * only compares runs of the same workload: any other pairing is refused before anything runs.
 */
import { z } from 'zod';
import type { ProfileResult, WorkloadBaselineComparison, WorkloadBaselineRow, WorkloadFigure } from '../model/results.ts';
import { ranWorkloadFile, STREAM_BASELINE_FIGURES, type StreamBaselineFigure } from '../model/results.ts';
import type { StreamFigures, WorkloadCriterionResult, WorkloadResult } from '../model/workload.ts';
import type { Workload } from '../model/workload-plan.ts';
import {
  BASELINE_FORMAT,
  BASELINE_VERSION,
  BaselineError,
  compareSamples,
  compareEntries,
  EXPECTED,
  hostSchema,
  isBaselineFile,
  issues,
  parseBaseline,
  readBaselineJson,
  resultsSchemaOf,
  RESULTS_FILE,
  toBaseline,
  type Baseline,
  type BaselineSource,
  type CompareOptions,
  type FigureScale,
} from './baseline.ts';

/** The workload a baseline was saved from: what a later run must match. */
export interface WorkloadIdentity {
  name: string;
  /** Its streams' names, in file order. */
  streams: string[];
}

/** One figure of a profile or point with the figure of every completed repeat. */
export interface WorkloadBaselineFigure extends FigureScale {
  figure: WorkloadFigure;
  samples: number[];
}

export interface WorkloadBaselineEntry {
  /** The profile's name or the point's id: what a later run is matched on. */
  id: string;
  kind: 'profile' | 'point';
  settings: Record<string, string | number>;
  figures: WorkloadBaselineFigure[];
}

/** A baseline file of a workload run: lockbench's baseline file with `workload`, and figures in place of `samples`. */
export interface WorkloadBaseline {
  format: typeof BASELINE_FORMAT;
  version: typeof BASELINE_VERSION;
  scenario: string;
  createdAt: string;
  host: Baseline['host'];
  workload: WorkloadIdentity;
  entries: WorkloadBaselineEntry[];
}

/** Either kind of baseline; `workload` tells them apart. */
export type AnyBaseline = Baseline | WorkloadBaseline;

export function isWorkloadBaseline(baseline: AnyBaseline): baseline is WorkloadBaseline {
  return 'workload' in baseline;
}

/** Six significant digits, as lockbench's own baselines keep. */
const keep = (value: number) => Number(value.toPrecision(6));

/** `<`/`<=` judge a figure that should stay low, `>`/`>=` one that should stay high; a `==` check is kept as its distance from the threshold. */
function criterionFigure(c: WorkloadCriterionResult): WorkloadBaselineFigure {
  if (c.comparison === '==') {
    const distance = c.measured === null || c.threshold === null ? null : Math.abs(c.measured - c.threshold);
    return { figure: { criterion: c.id, distance: true }, unit: c.unit, better: 'lower', samples: distance === null ? [] : [keep(distance)] };
  }
  return { figure: { criterion: c.id }, unit: c.unit, better: c.comparison.startsWith('<') ? 'lower' : 'higher', samples: c.measured === null ? [] : [keep(c.measured)] };
}

const STREAM_FIGURE_UNITS: Record<StreamBaselineFigure, string> = {
  p50Ms: 'ms',
  p99Ms: 'ms',
  lockErrors: 'count',
  lockErrorsFast: 'count',
  lockErrorsTimedOut: 'count',
  otherErrors: 'count',
};

/** A stream's figure; the fast / timed-out split is not measured when some lock errors could not be split (no busy timeout declared). */
function streamValue(s: StreamFigures, figure: StreamBaselineFigure): number | null {
  const split = s.lockErrors.unknown === 0;
  switch (figure) {
    case 'p50Ms':
      return s.p50Ms;
    case 'p99Ms':
      return s.p99Ms;
    case 'lockErrors':
      return s.lockErrors.total;
    case 'lockErrorsFast':
      return split ? s.lockErrors.fast : null;
    case 'lockErrorsTimedOut':
      return split ? s.lockErrors.timedOut : null;
    case 'otherErrors':
      return s.otherErrors;
  }
}

/** The figures of one repeat, in the workload's order: criteria, then streams. */
function figuresOf(result: WorkloadResult): WorkloadBaselineFigure[] {
  const streams = result.streams.flatMap((s) =>
    STREAM_BASELINE_FIGURES.map((figure) => {
      const value = streamValue(s, figure);
      return { figure: { stream: s.stream, figure }, unit: STREAM_FIGURE_UNITS[figure], better: 'lower' as const, samples: value === null ? [] : [keep(value)] };
    }),
  );
  return [...result.criteria.map(criterionFigure), ...streams];
}

/** The key a figure is matched on between two runs. */
export function figureKey(figure: WorkloadFigure): string {
  return 'criterion' in figure ? JSON.stringify(['criterion', figure.criterion]) : JSON.stringify(['stream', figure.stream, figure.figure]);
}

/** Every repeat's figures merged per figure, in the order they first appear. */
function mergeRepeats(repeats: readonly WorkloadResult[]): WorkloadBaselineFigure[] {
  const merged = new Map<string, WorkloadBaselineFigure>();
  for (const repeat of repeats) {
    for (const f of figuresOf(repeat)) {
      const known = merged.get(figureKey(f.figure));
      if (known) known.samples.push(...f.samples);
      else merged.set(figureKey(f.figure), f);
    }
  }
  return [...merged.values()];
}

type Repeat = Pick<ProfileResult, 'status' | 'workload'>;
const completedWorkloads = (repeats: readonly Repeat[]): WorkloadResult[] =>
  repeats.flatMap((r) => (r.status === 'completed' && r.workload ? [r.workload] : []));

/**
 * The workload file a run's profiles (or a sweep's trials) ran; null when none ran one. A default run's
 * seed workload is not one: its baseline is the scenario's.
 */
export function workloadOfResults(results: BaselineSource): WorkloadIdentity | null {
  if (!ranWorkloadFile(results)) return null;
  const runs: readonly Repeat[] = [...(results.profiles ?? []), ...(results.trials ?? []).map((t) => t.result)];
  const ran = runs.find((r) => r.workload)?.workload;
  return ran ? { name: ran.name, streams: ran.streams.map((s) => s.stream) } : null;
}

/** The baseline of a workload run: per completed profile, or per point of a sweep (its completed trials), the workload's figures. */
export function toWorkloadBaseline(results: BaselineSource, workload: WorkloadIdentity): WorkloadBaseline {
  const entries: WorkloadBaselineEntry[] =
    results.points && results.trials
      ? results.points.map((point) => ({
          id: point.id,
          kind: 'point' as const,
          settings: { ...point.settings } as Record<string, string | number>,
          figures: mergeRepeats(completedWorkloads(results.trials!.filter((t) => t.pointId === point.id).map((t) => t.result))),
        }))
      : (results.profiles ?? [])
          .filter((p) => p.status === 'completed' && p.workload)
          .map((p) => ({ id: p.name, kind: 'profile' as const, settings: { ...p.config.flags }, figures: mergeRepeats([p.workload!]) }));
  return { format: BASELINE_FORMAT, version: BASELINE_VERSION, scenario: results.scenario, createdAt: results.startedAt, host: results.host, workload, entries };
}

/** The baseline of a run, of whichever kind it is: a workload's figures when its profiles ran one. */
export function toRunBaseline(results: BaselineSource): AnyBaseline {
  const workload = workloadOfResults(results);
  return workload ? toWorkloadBaseline(results, workload) : toBaseline(results);
}

const figureSchema = z.union([
  z.strictObject({ criterion: z.string().min(1), distance: z.literal(true).optional() }),
  z.strictObject({ stream: z.string().min(1), figure: z.enum(STREAM_BASELINE_FIGURES) }),
]);
const workloadBaselineSchema = z.object({
  format: z.literal(BASELINE_FORMAT),
  version: z.literal(BASELINE_VERSION),
  scenario: z.string(),
  createdAt: z.string(),
  host: hostSchema,
  workload: z.object({ name: z.string(), streams: z.array(z.string()) }),
  entries: z.array(
    z.object({
      id: z.string().min(1),
      kind: z.enum(['profile', 'point']),
      settings: z.record(z.string(), z.union([z.string(), z.number()])),
      figures: z.array(z.object({ figure: figureSchema, unit: z.string(), better: z.enum(['lower', 'higher']), samples: z.array(z.number()) })),
    }),
  ),
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
const runSchema = z.looseObject({ name: z.string(), status: z.string(), config: z.looseObject({ flags: z.record(z.string(), z.string()) }), workload: workloadResultSchema.optional() });
/** The parts of a workload run's results.json its baseline is made from. */
const workloadResultsSchema = resultsSchemaOf(runSchema);

/** Whether a results.json is of a run from a workload file (a default run's profiles carry their seed workload's result too). */
function ranWorkload(data: unknown): boolean {
  const options = typeof data === 'object' && data !== null ? (data as { options?: unknown }).options : undefined;
  return typeof options === 'object' && options !== null && ranWorkloadFile({ options: options as Record<string, unknown> });
}

/**
 * Reads a baseline of either kind from a baseline file, a results.json, or a report folder: a workload's
 * figures when it was saved from (or is the results of) a run from a workload, lockbench's own otherwise.
 */
export async function loadRunBaseline(path: string): Promise<AnyBaseline> {
  const { file, data } = await readBaselineJson(path);
  if (isBaselineFile(data) && 'workload' in data) {
    if (data.version !== BASELINE_VERSION) throw new BaselineError(file, `is a version ${String(data.version)} baseline; this lockbench reads version ${BASELINE_VERSION}`);
    const parsed = workloadBaselineSchema.safeParse(data);
    if (!parsed.success) throw new BaselineError(file, `is a workload baseline file with missing or malformed fields (${issues(parsed.error)})`);
    return parsed.data;
  }
  if (!isBaselineFile(data) && ranWorkload(data)) {
    const parsed = workloadResultsSchema.safeParse(data);
    if (!parsed.success) throw new BaselineError(file, `is a ${RESULTS_FILE} of a workload run with missing or malformed fields (${issues(parsed.error)}); ${EXPECTED}`);
    const source = parsed.data as unknown as BaselineSource;
    return toWorkloadBaseline(source, workloadOfResults(source)!);
  }
  return parseBaseline(file, data);
}

const quoted = (names: readonly string[]) => names.map((n) => `"${n}"`).join(', ');

/**
 * Refuses a baseline that does not fit the run about to start: one saved from a workload run for a run of
 * lockbench's own scenario, the reverse, or one of another workload (its name or its streams differ).
 * `path` is what the user gave; `run` the workload about to run, or null for lockbench's own scenario.
 */
export function checkBaselineFits(path: string, baseline: AnyBaseline, run: Pick<Workload, 'name' | 'streams'> | null): void {
  if (!isWorkloadBaseline(baseline)) {
    if (run === null) return;
    throw new BaselineError(
      path,
      `was saved from a run of lockbench's own scenario (${baseline.scenario}), not from a workload; this run is workload "${run.name}": ` +
        `compare with a baseline saved from a run of workload "${run.name}" (--save-baseline)`,
    );
  }
  const saved = baseline.workload;
  if (run === null) {
    throw new BaselineError(
      path,
      `was saved from a run of workload "${saved.name}" (streams ${quoted(saved.streams)}); this run is lockbench's own scenario, not a workload: ` +
        'give the same --workload, or a baseline saved from a run without --workload',
    );
  }
  const differences: string[] = [];
  if (saved.name !== run.name) differences.push(`it was saved from workload "${saved.name}", this run is workload "${run.name}"`);
  const streams = run.streams.map((s) => s.name);
  const onlySaved = saved.streams.filter((s) => !streams.includes(s));
  const onlyRun = streams.filter((s) => !saved.streams.includes(s));
  if (onlySaved.length > 0) differences.push(`streams only in the baseline: ${quoted(onlySaved)}`);
  if (onlyRun.length > 0) differences.push(`streams only in this run: ${quoted(onlyRun)}`);
  if (differences.length > 0) throw new BaselineError(path, `does not fit this run: ${differences.join('; ')}; compare runs of the same workload`);
}

/** This workload run against a baseline of the same workload, per shared profile or point and figure; a gated profile's criteria gate. */
export function compareToWorkloadBaseline(old: WorkloadBaseline, current: WorkloadBaseline, options: CompareOptions = {}): WorkloadBaselineComparison {
  const comparison = compareEntries(old, current, options, (before, entry, { tolerance, alpha, gated }) => {
    const oldFigures = new Map(before.figures.map((f) => [figureKey(f.figure), f]));
    const newFigures = new Map(entry.figures.map((f) => [figureKey(f.figure), f]));
    // A figure on one side only is compared too: it reads "not measured", never a pass.
    return [...new Set([...newFigures.keys(), ...oldFigures.keys()])].map((key): WorkloadBaselineRow => {
      const now = newFigures.get(key);
      const then = oldFigures.get(key);
      const scale = (now ?? then)!;
      const oldSamples = then?.samples ?? [];
      const newSamples = now?.samples ?? [];
      return {
        entryId: entry.id,
        figure: scale.figure,
        unit: scale.unit,
        better: scale.better,
        ...compareSamples(scale, oldSamples, newSamples, tolerance, alpha),
        oldSamples: oldSamples.length,
        newSamples: newSamples.length,
        // The criteria judge the run, so they gate; the streams' figures are shown beside them.
        gated: gated && 'criterion' in scale.figure,
      };
    });
  });
  return { ...comparison, workload: current.workload.name };
}

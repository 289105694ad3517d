/**
 * A baseline: a small versioned file of a run's figures, meant to be committed, kept in the words of the
 * workload its trials ran (a workload file's, or the scenario's own: scenarios/<scenario>.workload.json):
 * each criterion's measured value by its id, and per stream latency, lock errors and other errors, per
 * profile or sweep point, one figure per completed repeat. What a run keeps is defined here, once: the
 * plan reads a saved baseline (or a results.json) into this shape, analyze compares two of them.
 */
import type { HostInfo, ProfileResult, RunResults, StreamBaselineFigure, WorkloadFigure } from './results.ts';
import { STREAM_BASELINE_FIGURES } from './results.ts';
import type { PointResult, TrialRecord } from './sweep.ts';
import type { StreamFigures, WorkloadCriterionResult, WorkloadResult } from './workload.ts';

export const BASELINE_FORMAT = 'lockbench-baseline';
export const BASELINE_VERSION = 1;

/** The workload a baseline was saved from: what a later run must match. */
export interface WorkloadIdentity {
  name: string;
  /** Its streams' names, in file order. */
  streams: string[];
}

/** One figure of a profile or point, with its scale and the figure of every completed repeat. */
export interface BaselineFigure {
  figure: WorkloadFigure;
  /** `ms` and `ratio` are read by the comparison (harness/analyze/baseline.ts). */
  unit: string;
  better: 'lower' | 'higher';
  samples: number[];
}

export interface BaselineEntry {
  /** The profile's name or the point's id: what a later run is matched on. */
  id: string;
  kind: 'profile' | 'point';
  /** The profile's target flags, or the point's varied settings. */
  settings: Record<string, string | number>;
  figures: BaselineFigure[];
}

export interface Baseline {
  format: typeof BASELINE_FORMAT;
  version: typeof BASELINE_VERSION;
  scenario: string;
  /** When the run the figures come from started (ISO 8601). */
  createdAt: string;
  host: HostInfo;
  workload: WorkloadIdentity;
  entries: BaselineEntry[];
  /**
   * Set (in memory only, never saved) when the figures were read from a baseline an earlier lockbench
   * wrote over the scenario's metrics (importWallMs, ...): it holds only the criteria those metrics are
   * judged by, so the streams' figures and the other criteria are not compared.
   */
  readFrom?: 'scenario-metrics';
}

/** A run's results as far as a baseline needs them; a sweep adds its trials and points. */
export type BaselineSource = Pick<RunResults, 'startedAt' | 'host'> & {
  scenario: string;
  profiles?: readonly Pick<ProfileResult, 'name' | 'status' | 'config' | 'workload'>[];
  trials?: readonly (Pick<TrialRecord, 'pointId'> & { result: Pick<ProfileResult, 'status' | 'workload'> })[];
  points?: readonly Pick<PointResult, 'id' | 'settings'>[];
};

/** Six significant digits: enough for any figure here, and the file stays small and readable in a diff. */
export const keepFigure = (value: number) => Number(value.toPrecision(6));

/** `<`/`<=` judge a figure that should stay low, `>`/`>=` one that should stay high. */
export const betterOf = (comparison: string): 'lower' | 'higher' => (comparison.startsWith('<') ? 'lower' : 'higher');

/** A `==` check is kept as its distance from the threshold. */
function criterionFigure(c: WorkloadCriterionResult): BaselineFigure {
  if (c.comparison === '==') {
    const distance = c.measured === null || c.threshold === null ? null : Math.abs(c.measured - c.threshold);
    return { figure: { criterion: c.id, distance: true }, unit: c.unit, better: 'lower', samples: distance === null ? [] : [keepFigure(distance)] };
  }
  return { figure: { criterion: c.id }, unit: c.unit, better: betterOf(c.comparison), samples: c.measured === null ? [] : [keepFigure(c.measured)] };
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
function figuresOf(result: WorkloadResult): BaselineFigure[] {
  const streams = result.streams.flatMap((s) =>
    STREAM_BASELINE_FIGURES.map((figure) => {
      const value = streamValue(s, figure);
      return { figure: { stream: s.stream, figure }, unit: STREAM_FIGURE_UNITS[figure], better: 'lower' as const, samples: value === null ? [] : [keepFigure(value)] };
    }),
  );
  return [...result.criteria.map(criterionFigure), ...streams];
}

/** The key a figure is matched on between two runs. */
export function figureKey(figure: WorkloadFigure): string {
  return 'criterion' in figure ? JSON.stringify(['criterion', figure.criterion]) : JSON.stringify(['stream', figure.stream, figure.figure]);
}

/** Every repeat's figures merged per figure, in the order they first appear. */
export function mergeFigures(repeats: readonly (readonly BaselineFigure[])[]): BaselineFigure[] {
  const merged = new Map<string, BaselineFigure>();
  for (const figures of repeats) {
    for (const f of figures) {
      const known = merged.get(figureKey(f.figure));
      if (known) known.samples.push(...f.samples);
      else merged.set(figureKey(f.figure), { ...f, samples: [...f.samples] });
    }
  }
  return [...merged.values()];
}

type Repeat = Pick<ProfileResult, 'status' | 'workload'>;
const completedFigures = (repeats: readonly Repeat[]): BaselineFigure[][] =>
  repeats.flatMap((r) => (r.status === 'completed' && r.workload ? [figuresOf(r.workload)] : []));

/** The workload a run's profiles (or a sweep's trials) ran, a file's or the scenario's own; null when none ran one. */
export function workloadOfResults(results: BaselineSource): WorkloadIdentity | null {
  const runs: readonly Repeat[] = [...(results.profiles ?? []), ...(results.trials ?? []).map((t) => t.result)];
  const ran = runs.find((r) => r.workload)?.workload;
  return ran ? { name: ran.name, streams: ran.streams.map((s) => s.stream) } : null;
}

/**
 * The baseline of a run: per point of a sweep (from its completed trials), otherwise per profile that
 * completed, the workload's figures of every repeat.
 */
export function toBaseline(results: BaselineSource, workload: WorkloadIdentity): Baseline {
  const entries: BaselineEntry[] =
    results.points && results.trials
      ? results.points.map((point) => ({
          id: point.id,
          kind: 'point' as const,
          settings: { ...point.settings } as Record<string, string | number>,
          figures: mergeFigures(completedFigures(results.trials!.filter((t) => t.pointId === point.id).map((t) => t.result))),
        }))
      : (results.profiles ?? [])
          .filter((p) => p.status === 'completed' && p.workload)
          .map((p) => ({ id: p.name, kind: 'profile' as const, settings: { ...p.config.flags }, figures: mergeFigures(completedFigures([p])) }));
  return { format: BASELINE_FORMAT, version: BASELINE_VERSION, scenario: results.scenario, createdAt: results.startedAt, host: results.host, workload, entries };
}

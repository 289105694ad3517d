/**
 * What a run from a workload records (results.json): each stream's figures and each criterion's result.
 * Types only, with no imports from the run layer, so that the results model can hold them.
 */
import type { CriterionComparison, ResolvedExecutor, SqlAction, WorkloadCriterion } from './workload-plan.ts';
import type { NotJudged } from './not-judged.ts';

export type CriterionUnit = 'ms' | 'ratio' | 'count' | 'per-second' | 'rows';

/** Why a criterion has no figure or failed beside its comparison. */
export type CriterionCode = 'no-samples' | 'window-unknown' | 'window-empty' | 'not-counted' | 'not-acknowledged' | 'integrity-failed' | 'integrity-unknown';

export interface WorkloadCriterionResult {
  id: string;
  type: WorkloadCriterion['type'];
  /** A no-loss check compares with `==`. */
  comparison: CriterionComparison;
  threshold: number | null;
  measured: number | null;
  unit: CriterionUnit;
  pass: boolean;
  /**
   * The stream the criterion judges, for those that name one (latency, throughput, wall, no-loss, and an
   * outcomes criterion over one stream). Absent for lock criteria and in results written before it was kept.
   */
  stream?: string;
  /** How many samples the figure rests on, of how many of the stream (where it counts samples). */
  basis?: { counted: number; of: number };
  code?: CriterionCode;
  /** Set when the trial did not run to the end (then `pass` is false and the figure is not judged): as a scenario criterion's. */
  notJudged?: NotJudged;
  /** A latency criterion with a window: what it judged, and its stream over the whole run beside. Absent otherwise and in results written before it was kept. */
  windowed?: WindowedLatency;
}

/**
 * A latency criterion judged inside another stream's window, with the same stream's figures over the whole
 * run beside it: requests sent while the window stream ran are the contended ones, and a figure taken over
 * the whole run would be diluted by the rest. `measured` and `basis` of the criterion are the in-window side.
 */
export interface WindowedLatency {
  /** The stream whose latency is judged. */
  stream: string;
  /** The percentile the criterion judges, 0 to 100. */
  percentile: number;
  /** The stream whose window bounds what is judged. */
  windowStream: string;
  /** That stream's first request sent to its last answer, epoch ms; null when it has no samples. */
  window: { startMs: number; endMs: number } | null;
  /** The p50 of what started inside the window, ms; null when nothing did (or the window is unknown). */
  p50Ms: number | null;
  /** The stream over the whole run: the judged percentile and the p50, ms (null without samples), and how many samples they rest on. */
  wholeRun: { measured: number | null; p50Ms: number | null; counted: number };
}

/** One stream's counts and latency over the whole run. */
export interface StreamFigures {
  stream: string;
  kind: 'http' | 'sql';
  requests: number;
  successes: number;
  partial: number;
  lockErrors: { total: number; fast: number; timedOut: number; unknown: number };
  /** Errors that are not lock errors: `noAnswer.total` plus `errorAnswers` for a request stream. */
  otherErrors: number;
  /**
   * Of the other errors, the requests that got no HTTP answer at all (status 0), by the client's error
   * (`timeout`, `reset`, `refused`, `aborted`, ...; `unknown` where the samples do not say). Absent for SQL
   * streams, whose writes always end with SQLite's word, and in results written before it was kept.
   */
  noAnswer?: { total: number; byKind: Record<string, number> };
  /** Of the other errors, the answers with an HTTP status the stream's rules class as an error. Absent as `noAnswer` is. */
  errorAnswers?: number;
  /** First byte sent to last byte read (a write: scheduled to committed), in ms; null without samples. */
  p50Ms: number | null;
  p99Ms: number | null;
  /** What the answers acknowledged as stored; null when the stream does not say. */
  acknowledged: number | null;
}

/** What each iteration of a stream sends: an HTTP request template, or a SQL write transaction. */
export type StreamAction =
  | { kind: 'http'; method: string; /** The path template, `{name}` placeholders as the file writes them. */ path: string }
  | ({ kind: 'sql'; /** How many statements each transaction runs (0: a plain lock holder). */ statements: number } & Pick<SqlAction, 'procedure' | 'transaction' | 'holdMs' | 'threads'>);

/** One stream as the trial ran it: its executor (durations in ms), when it started and ended, what it sent. */
export interface StreamDefinition {
  name: string;
  executor: ResolvedExecutor;
  /** When it started after the run started, in ms. */
  startTimeMs: number;
  /** Ended once that stream had finished plus `tailMs`; null when the executor's own end applied. */
  endsAfter: { stream: string; tailMs: number } | null;
  action: StreamAction;
}

/** What results.json keeps of a trial run from a workload. */
export interface WorkloadResult {
  name: string;
  /** The workload file. */
  source: string;
  /**
   * What the workload asked for, as this trial ran it (a sweep point's stream figures set): its description
   * and its streams in file order. Absent in results written before it was kept.
   */
  definition?: { description: string | null; streams: StreamDefinition[] };
  busyTimeoutMs: number | null;
  streams: StreamFigures[];
  criteria: WorkloadCriterionResult[];
  /**
   * Where the lock figures come from: the observer (every holder); when it did not watch, the holders' own
   * spans (the target's, which it reports, and the side writers'); or nowhere (then they are not measured).
   */
  lockSource: 'observed' | 'self-reported' | 'none';
}


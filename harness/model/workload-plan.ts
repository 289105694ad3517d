/**
 * A workload as plan resolves it and every later layer reads it: streams in file order with their names,
 * every duration in milliseconds, answers merged, the criteria that judge the run. Plain data (regexes as
 * text), so it can be passed to a driver thread as it is. The file's schema (harness/plan/workload/schema.ts)
 * validates into these shapes.
 */
import type { Json } from './json.ts';
import type { RankedCriterion } from './rank.ts';

/** How a criterion compares its figure with its threshold. */
export const COMPARISONS = ['<', '<=', '>', '>=', '=='] as const;
export type CriterionComparison = (typeof COMPARISONS)[number];

/**
 * Answer outcomes a criterion can count. A lock error is either fast or timed out; `no-answer` is the part
 * of `error` that got no HTTP answer at all (timeout, reset, refused), which only a request stream has.
 */
export const OUTCOMES = ['success', 'partial', 'error', 'lock-error', 'lock-error-fast', 'lock-error-timed-out', 'not-success', 'no-answer'] as const;
export type OutcomeSelector = (typeof OUTCOMES)[number];

/** The classes an answer falls in, tried in this order: a lock error first, since it often shares a status with plain errors. */
export const ANSWER_CLASSES = ['lockError', 'partial', 'success'] as const;

/** An answer matches a class when its status is listed (or no list is given) and its body matches the pattern (when given). */
export interface AnswerRule {
  status?: number[] | undefined;
  /** A regular expression (JavaScript syntax). */
  body?: string | undefined;
}
export type AnswerRules = { [K in (typeof ANSWER_CLASSES)[number]]?: AnswerRule | undefined };

/** How a SQL stream opens its write transactions. */
export const TRANSACTION_MODES = ['immediate', 'deferred', 'exclusive'] as const;
/** Named writes for schemas SQL statements cannot express alone; `workflow-executions` is lockbench's own target's. */
export const SQL_PROCEDURES = ['workflow-executions'] as const;

type Order = 'cycle' | 'random';

/** One value generator as the file writes it: exactly one of its keys. */
export type Generator = {
  sequence?: { start: number; step: number; cycle?: number | undefined };
  int?: { min: number; max: number };
  pick?: { from: Json[]; order: Order };
  uuid?: Record<string, never>;
  csv?: { file: string; column?: string | undefined; order: Order };
  list?: { count: number; as: string; item: Json; every?: { n: number; item: Json } | undefined; values: Record<string, Generator> };
};

/** A CSV file's rows, by column name, as the loader read them. */
export type CsvRow = Readonly<Record<string, string>>;

/** A generator as a run uses it: CSV files already read. */
export type ResolvedGenerator = Omit<Generator, 'csv' | 'list'> & {
  csv?: { rows: readonly CsvRow[]; column?: string | undefined; order: Order };
  list?: { count: number; as: string; item: Json; every?: { n: number; item: Json } | undefined; values: Readonly<Record<string, ResolvedGenerator>> };
};

export type ResolvedExecutor =
  | { type: 'constant-arrival-rate'; rate: number; timeUnitMs: number; durationMs: number; preAllocatedVUs: number; maxVUs: number }
  | { type: 'ramping-arrival-rate'; startRate: number; timeUnitMs: number; stages: { target: number; durationMs: number }[]; preAllocatedVUs: number; maxVUs: number }
  | { type: 'per-vu-iterations'; vus: number; iterations: number; maxDurationMs: number }
  | { type: 'constant-vus'; vus: number; durationMs: number };

export interface HttpAction {
  kind: 'http';
  method: string;
  path: string;
  headers: Record<string, string>;
  body: Json | null;
  /** Timeout of each request, in ms. */
  timeoutMs: number;
  values: Record<string, ResolvedGenerator>;
  answers: AnswerRules;
  /** Dot path of the acknowledged count in the JSON answer; null when the stream does not say. */
  acknowledged: string | null;
}

export interface SqlAction {
  kind: 'sql';
  /** Statements run in each write transaction (parameters :id, :n, :nowMs); empty for a plain lock holder. */
  statements: string[];
  procedure: (typeof SQL_PROCEDURES)[number] | null;
  transaction: (typeof TRANSACTION_MODES)[number];
  /** How long each transaction stays open after its statements, in ms (0: commit at once). */
  holdMs: number;
  threads: number;
  /** Each connection's busy timeout, in ms; null: the target's own, when it has one. */
  busyTimeoutMs: number | null;
}

export interface WorkloadStream {
  name: string;
  executor: ResolvedExecutor;
  /** When it starts after the run starts, in ms. */
  startTimeMs: number;
  /** How long iterations still running when it ends may go on, in ms. */
  gracefulStopMs: number;
  /** Ends once that stream has finished plus `tailMs`; the executor's duration is then its longest. */
  endsAfter: { stream: string; tailMs: number } | null;
  tags: Record<string, string>;
  action: HttpAction | SqlAction;
}

/**
 * One criterion of the workload, as the file gives it (defaults applied). A judged criterion compares its
 * figure with `threshold`; `window` names a stream whose window bounds what is judged.
 */
export type WorkloadCriterion =
  | { type: 'latency'; stream: string; percentile: number; window?: string | undefined; id: string; description?: string | undefined; comparison: CriterionComparison; threshold: number }
  | {
      type: 'outcomes';
      stream?: string | undefined;
      outcomes: OutcomeSelector[];
      measure: 'rate' | 'count';
      window?: string | undefined;
      id: string;
      description?: string | undefined;
      comparison: CriterionComparison;
      threshold: number;
    }
  | { type: 'throughput'; stream: string; outcomes: OutcomeSelector[]; window?: string | undefined; id: string; description?: string | undefined; comparison: CriterionComparison; threshold: number }
  | { type: 'wall'; stream: string; id: string; description?: string | undefined; comparison: CriterionComparison; threshold: number }
  | { type: 'max-lock-hold'; window?: string | undefined; id: string; description?: string | undefined; comparison: CriterionComparison; threshold: number }
  | { type: 'lock-duty-cycle'; window?: string | undefined; id: string; description?: string | undefined; comparison: CriterionComparison; threshold: number }
  | { type: 'no-loss'; id: string; description?: string | undefined; stream: string; count: string; integrity: boolean };

export interface Workload {
  name: string;
  description: string | null;
  seed: number;
  /** The app's busy timeout and the line under which a lock error is fast, in ms; null when not declared. */
  lockErrors: { busyTimeoutMs: number; fastBelowMs: number } | null;
  streams: WorkloadStream[];
  criteria: WorkloadCriterion[];
  /** What a sweep ranks the points that meet every criterion by, in order; empty when the file gives no `rank` (no point is ranked). */
  rank: RankedCriterion[];
}

/** A resolved workload and where it came from. */
export interface LoadedWorkload {
  workload: Workload;
  /** The workload file, or a label for one built in code. */
  source: string;
  /** The folder its relative paths (CSV files) are resolved from. */
  baseDir: string;
}

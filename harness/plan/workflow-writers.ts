/** Options of the workflow writers: named defaults, one resolve-and-validate function. */
import { DEFAULT_WAL_AUTOCHECKPOINT } from '../../target/options.ts';
import { SEED_WORKFLOW_COUNT } from '../../target/db/schema.ts';
import { DEFAULT_BUSY_TIMEOUT_MS } from '../../target/options.ts';

/** Worker threads, each with its own connection to the database file (a run's default: harness/plan/options.ts). */
export const DEFAULT_WRITER_THREADS = 2;
/**
 * Writes allowed in flight (issued, not yet answered) before a scheduled write is counted as not
 * issued instead of queued without bound behind a held lock. Above the longest busy timeout of the
 * profiles (30 s) times the default rate (600 writes), so a default run issues and measures every
 * scheduled write: a write left out would be missing from the p99 exactly when it matters.
 */
export const DEFAULT_MAX_IN_FLIGHT = 1024;
/** SQLite busy_timeout of each writer connection, in milliseconds: the target's own default. */
export const DEFAULT_WRITER_BUSY_TIMEOUT_MS = DEFAULT_BUSY_TIMEOUT_MS;
/** The workflows the target seeds, `wf-1` .. `wf-N`, which the writers execute. */
export const DEFAULT_WORKFLOW_IDS: readonly string[] = Array.from({ length: SEED_WORKFLOW_COUNT }, (_, i) => `wf-${i + 1}`);
/** Lock spans kept for the timeline; beyond this only the histograms keep counting. */
export const MAX_RECORDED_SPANS = 50_000;
/**
 * Per-write samples kept for judging part of the run after it (the import window): hours at the
 * default rate. Beyond this only the histograms keep counting, and in-window figures are not given.
 */
export const MAX_RECORDED_WRITE_SAMPLES = 200_000;

export interface WorkflowWriterOptionsInput {
  /** The target's SQLite file (already created, migrated and seeded). */
  dbPath: string;
  /** Write transactions issued per second across all writer threads (open model: on schedule). */
  writesPerSecond: number;
  /** Worker threads, each with its own connection to the database file. */
  threads: number;
  /** Writes in flight (issued, not yet answered) before a scheduled one counts as not issued. */
  maxInFlight: number;
  busyTimeoutMs?: number;
  /**
   * PRAGMA wal_autocheckpoint of the writers' connections, in pages: the target's setting, so that
   * "checkpoints off" holds for every connection that commits (any committer runs the autocheckpoint).
   */
  walAutocheckpoint?: number;
  workflowIds?: readonly string[];
  /** Keep a span per lock hold (owner "workflow-writer") for the timeline. */
  recordSpans?: boolean;
  /** Prefix of the execution ids this run creates; unique per run by default. */
  executionIdPrefix?: string;
  /**
   * A foreign target's workflow write (its description's `sql.workflowWrite.statements`, named
   * parameters :executionId and :nowMs): each write is these statements in one transaction, a new
   * execution each. Null: the built-in target's executions and steps.
   */
  sqlWrite?: readonly string[] | null;
  /**
   * How long each write transaction stays open after its statements, in ms (0: commit at once): with
   * no statements, a plain holder of the write lock, the side actor people add to provoke contention.
   */
  holdMs?: number;
  /** How each write transaction begins; default immediate (the built-in target's executions need it). */
  transaction?: WriterTransaction;
  /** The first write is due this long after the writers start, in ms (a stream's startTime). */
  startDelayMs?: number;
  /**
   * Writes are due for this long from the first one's due time, in ms (a stream's duration); the writes in
   * flight then may finish. Null (default): until the writers are stopped.
   */
  durationMs?: number | null;
}

/** How a write transaction begins: SQLite's BEGIN modes. */
export type WriterTransaction = 'immediate' | 'deferred' | 'exclusive';

/** How write transactions begin unless asked otherwise. */
export const DEFAULT_WRITER_TRANSACTION: WriterTransaction = 'immediate';
const TRANSACTIONS: readonly WriterTransaction[] = ['immediate', 'deferred', 'exclusive'];

export type WorkflowWriterOptions = Required<WorkflowWriterOptionsInput>;

/**
 * The writers' options as a trial plans them before anything starts: all but the two the run names when
 * it starts the writers, the database file its target uses and the prefix of its writes' ids.
 */
export type PlannedWriterInput = Omit<WorkflowWriterOptionsInput, 'dbPath' | 'executionIdPrefix'>;
export type PlannedWriterOptions = Omit<WorkflowWriterOptions, 'dbPath' | 'executionIdPrefix'>;

const KNOWN_KEYS = new Set<string>([
  'writesPerSecond',
  'threads',
  'maxInFlight',
  'busyTimeoutMs',
  'walAutocheckpoint',
  'workflowIds',
  'recordSpans',
  'sqlWrite',
  'holdMs',
  'transaction',
  'startDelayMs',
  'durationMs',
]);

function nonNegativeInt(option: string, value: number): number {
  if (!Number.isInteger(value) || value < 0) throw new WorkflowWriterOptionError(option, `must be an integer >= 0, got ${value}`);
  return value;
}

export class WorkflowWriterOptionError extends Error {
  constructor(
    readonly option: string,
    message: string,
  ) {
    super(`workflow writers: ${option} ${message}`);
    this.name = 'WorkflowWriterOptionError';
  }
}

function positiveInt(option: string, value: number, max?: number): number {
  if (!Number.isInteger(value) || value < 1 || (max !== undefined && value > max)) {
    throw new WorkflowWriterOptionError(option, `must be an integer from 1${max === undefined ? '' : ` to ${max}`}, got ${value}`);
  }
  return value;
}

/** The writers' options with their named defaults, each checked; a misspelled key or a bad value throws, naming it. */
export function planWorkflowWriters(input: PlannedWriterInput): PlannedWriterOptions {
  for (const key of Object.keys(input)) {
    if (!KNOWN_KEYS.has(key)) {
      throw new WorkflowWriterOptionError(key, `is not an option; expected one of ${[...KNOWN_KEYS].join(', ')}`);
    }
  }
  const { writesPerSecond } = input;
  if (!Number.isFinite(writesPerSecond) || writesPerSecond <= 0) {
    throw new WorkflowWriterOptionError('writesPerSecond', `must be a number > 0, got ${writesPerSecond}`);
  }
  const busyTimeoutMs = input.busyTimeoutMs ?? DEFAULT_WRITER_BUSY_TIMEOUT_MS;
  if (!Number.isInteger(busyTimeoutMs) || busyTimeoutMs < 0) {
    throw new WorkflowWriterOptionError('busyTimeoutMs', `must be an integer >= 0, got ${busyTimeoutMs}`);
  }
  const transaction = input.transaction ?? DEFAULT_WRITER_TRANSACTION;
  if (!TRANSACTIONS.includes(transaction)) throw new WorkflowWriterOptionError('transaction', `must be one of ${TRANSACTIONS.join(', ')}, got ${String(transaction)}`);
  const sqlWrite = input.sqlWrite ?? null;
  // The built-in target's executions read their stages first: they are written in immediate transactions only.
  if (transaction !== 'immediate' && sqlWrite === null) throw new WorkflowWriterOptionError('transaction', `${transaction} needs sqlWrite statements`);
  const workflowIds = input.workflowIds ?? DEFAULT_WORKFLOW_IDS;
  if (workflowIds.length === 0) throw new WorkflowWriterOptionError('workflowIds', 'must name at least one workflow');
  return {
    writesPerSecond,
    threads: positiveInt('threads', input.threads, 64),
    maxInFlight: positiveInt('maxInFlight', input.maxInFlight),
    busyTimeoutMs,
    walAutocheckpoint: nonNegativeInt('walAutocheckpoint', input.walAutocheckpoint ?? DEFAULT_WAL_AUTOCHECKPOINT),
    workflowIds,
    recordSpans: input.recordSpans ?? true,
    sqlWrite,
    holdMs: nonNegativeInt('holdMs', input.holdMs ?? 0),
    transaction,
    startDelayMs: nonNegativeInt('startDelayMs', input.startDelayMs ?? 0),
    durationMs: input.durationMs == null ? null : nonNegativeInt('durationMs', input.durationMs),
  };
}

/**
 * Messages between the workflow-writer scheduler (main thread) and its piscina workers. Each task is
 * exactly one write transaction.
 */
import type { BarrierTask } from '../../shared/every-thread.ts';
import type { WriterTransaction } from '../../plan/workflow-writers.ts';

/** What a worker needs to open its own connection; passed once as piscina `workerData`. */
export interface WriterWorkerConfig {
  dbPath: string;
  /** SQLite busy_timeout of the worker's connection, in milliseconds. */
  busyTimeoutMs: number;
  /** PRAGMA wal_autocheckpoint of the worker's connection, in pages (0: never). */
  walAutocheckpoint: number;
  /** A foreign target's write statements (:executionId, :n, :nowMs); null for the built-in target's schema. */
  sqlWrite: readonly string[] | null;
  /** How long each write transaction stays open after its statements, in ms (0: commit at once). */
  holdMs: number;
  /** How each write transaction begins (BEGIN IMMEDIATE, DEFERRED or EXCLUSIVE). */
  transaction: WriterTransaction;
  /** One Int32 that a stop sets to 1 (and notifies): a write waiting for the lock gives up at once. */
  stopBuffer: SharedArrayBuffer;
}

export type WriterTask =
  /** Opens the connection (if not yet open), then waits at the barrier, so every thread gets one; no write. */
  | ({ kind: 'warm-up' } & BarrierTask)
  /** Closes the thread's connection, then waits at the barrier, so every thread gets one (../threads/every-thread.ts). */
  | ({ kind: 'close' } & BarrierTask)
  /** INSERTs one workflow_executions row (origin 'writer') and one execution_steps row per stage. */
  | { kind: 'create-execution'; executionId: string; workflowId: string }
  /** Runs the configured `sqlWrite` statements for one new execution (a foreign target's schema), write `n` (from 0) of the schedule. */
  | { kind: 'sql-write'; executionId: string; n: number }
  /** UPDATEs one step's status; `finishExecution` also marks the execution succeeded. */
  | {
      kind: 'update-step';
      executionId: string;
      index: number;
      status: 'running' | 'succeeded';
      finishExecution: boolean;
    };

/** The outcome of one task. Times are epoch milliseconds (fractional) taken in the worker. */
export interface WriterTaskResult {
  ok: boolean;
  /** A stop ended the write before it committed (it waited for the lock, or for its COMMIT): nothing was written. */
  stopped?: boolean;
  /** `err.code` of the SQLite error that ended the transaction, when not ok. */
  errorCode?: string;
  /** When BEGIN was called. */
  beginMs: number;
  /**
   * When the write lock was held (BEGIN IMMEDIATE or EXCLUSIVE returned; in a deferred transaction, its
   * first write returned); absent when it was never acquired.
   */
  heldMs?: number;
  /** When COMMIT or ROLLBACK returned. */
  endMs: number;
  /** Steps written by a create-execution task. */
  steps?: number;
  threadId: number;
  pid: number;
}

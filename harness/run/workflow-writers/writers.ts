/**
 * Workflow writers: a piscina pool of worker threads, each with its own connection to the target's
 * database file, that simulate workflow executions while k6 runs. Writes are issued on a fixed
 * schedule (open model), so a held write lock shows up as latency instead of silently lowering the
 * rate; latency is measured from each write's scheduled time.
 */
import { Piscina } from 'piscina';
import { entryPoint } from '../../shared/entry-points.ts';
import { epochOfPerformance } from '../../shared/clock.ts';
import { fileURLToPath } from 'node:url';
import { createLatencyHistogram } from '../../shared/latency-histogram.ts';
import type { ErrorCounts, RecordedLockSpan, WorkflowWriterResult, WriteSample } from '../../model/results.ts';
import {
  MAX_RECORDED_SPANS,
  MAX_RECORDED_WRITE_SAMPLES,
  type PlannedWriterOptions,
  type WorkflowWriterOptions,
} from '../../plan/workflow-writers.ts';
import type { WriterTask, WriterTaskResult, WriterWorkerConfig } from './protocol.ts';
import { runOnEveryThread } from '../../shared/every-thread.ts';
import { writeSchedule } from './schedule.ts';

const WORKER_URL = new URL('./worker.ts', import.meta.url);

/** Error code recorded when a worker thread failed outside SQLite (it crashed, or could not open the file). */
export const WORKER_FAILURE_CODE = 'WORKER_ERROR';

/** One simulated execution: its create write, then a running and a succeeded write per step. */
interface Execution {
  id: string;
  workflowId: string;
  /** Steps, known once the create write committed. */
  steps: number | null;
  /** Index of the next write: 0 = create, k >= 1 = step update k. */
  nextWrite: number;
}

export interface WorkflowWriterStopOptions {
  /**
   * Wait for every in-flight write to be answered (true), or end at once (false, on Ctrl-C): writes
   * waiting for the lock or still queued give up and count as abandoned; one holding the lock finishes.
   */
  drain?: boolean;
}

/** Counts so far, for progress lines and for waiting on a condition instead of a fixed sleep. */
export interface WorkflowWriterProgress {
  scheduled: number;
  notIssued: number;
  inFlight: number;
  /** Writes answered (succeeded + failed). */
  writes: number;
  failed: number;
  /** Executions whose last write was answered: every step of them succeeded. */
  finishedExecutions: number;
}

export interface WorkflowWriterHandle {
  readonly options: WorkflowWriterOptions;
  progress(): WorkflowWriterProgress;
  /** Resolves once `condition` holds; checked after every scheduled and every answered write. */
  until(condition: (progress: WorkflowWriterProgress) => boolean): Promise<void>;
  /** Stops issuing writes, (optionally) drains, closes the pool and returns what was measured. */
  stop(options?: WorkflowWriterStopOptions): Promise<WorkflowWriterResult>;
  /** Writers warmed up but waiting for the load: their schedule starts from its t0 (epoch ms). */
  begin?(startedAtMs: number): void;
  /**
   * A stream of the load ended at `endedAtMs` (epoch ms): writers whose stream ends after it (`endsAfter`)
   * issue no write due from then plus their tail; the writes in flight finish.
   */
  streamEnded?(stream: string, endedAtMs: number): void;
  /** Ends the schedule at `atMs` (epoch ms): no write due at or after it is issued; a later end than it has changes nothing. */
  endAt?(atMs: number): void;
}

export interface WorkflowWriters {
  readonly options: WorkflowWriterOptions;
  /** Starts the threads and opens every connection, so the schedule does not pay for it. */
  warmUp(): Promise<void>;
  /**
   * Begins issuing writes on schedule, from now or from `originEpochMs` (epoch ms: the load's t0), the
   * first due `startDelayMs` after it, none due at or after `endAtMs` (epoch ms) when given. Only once.
   */
  start(originEpochMs?: number, endAtMs?: number): WorkflowWriterHandle;
  /** Ends every wait, closes every connection, then the pool (cleanup after a failed warm-up). */
  close(): Promise<void>;
}

function stepWrite(execution: Execution, steps: number): WriterTask {
  const k = execution.nextWrite;
  return {
    kind: 'update-step',
    executionId: execution.id,
    index: Math.floor((k - 1) / 2),
    status: (k - 1) % 2 === 0 ? 'running' : 'succeeded',
    finishExecution: k === 2 * steps,
  };
}

/** What the run names when it starts the writers: the database file its target uses, and the prefix of its writes' ids. */
export interface WriterStart {
  dbPath: string;
  /** Default: one of {@link executionIdPrefix}'s, unique to this start. */
  executionIdPrefix?: string;
}

/** A prefix for the ids of the writes one start of the writers makes, unique to it: its stem, the time, this process. */
export function executionIdPrefix(stem = 'wx'): string {
  return `${stem}-${Date.now().toString(36)}-${process.pid}`;
}

/** Builds the pool (threads start now) without issuing any write, with the options the plan resolved. */
export function createWorkflowWriters(planned: PlannedWriterOptions, at: WriterStart): WorkflowWriters {
  const options: WorkflowWriterOptions = { ...planned, dbPath: at.dbPath, executionIdPrefix: at.executionIdPrefix ?? executionIdPrefix() };
  const stopBuffer = new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT);
  const workerConfig: WriterWorkerConfig = {
    dbPath: options.dbPath,
    busyTimeoutMs: options.busyTimeoutMs,
    walAutocheckpoint: options.walAutocheckpoint,
    sqlWrite: options.sqlWrite,
    stopBuffer,
    holdMs: options.holdMs,
    transaction: options.transaction,
  };
  const worker = entryPoint(fileURLToPath(WORKER_URL));
  const pool = new Piscina<WriterTask, WriterTaskResult>({
    filename: worker.file,
    minThreads: options.threads,
    maxThreads: options.threads,
    // Never retire an idle writer: reopening its connection mid-run would add to a write's latency.
    idleTimeout: Number.POSITIVE_INFINITY,
    workerData: workerConfig,
    execArgv: worker.execArgv,
  });
  let started = false;

  async function warmUp(): Promise<void> {
    await runOnEveryThread(pool, options.threads, (barrier): WriterTask => ({ kind: 'warm-up', ...barrier }));
  }

  /** Every write still waiting for the lock, or queued, gives up at once. */
  function abandonWaits(): void {
    Atomics.store(new Int32Array(stopBuffer), 0, 1);
    Atomics.notify(new Int32Array(stopBuffer), 0);
  }

  let closed: Promise<void> | undefined;
  /**
   * Closes every thread's connection, then destroys the pool: its threads are idle by then, so none is
   * terminated inside a native SQLite call (piscina's own close may terminate a thread mid-call).
   */
  function closePool(): Promise<void> {
    closed ??= (async () => {
      try {
        await runOnEveryThread(pool, options.threads, (barrier): WriterTask => ({ kind: 'close', ...barrier }));
      } finally {
        await pool.destroy();
      }
    })();
    return closed;
  }

  function start(originEpochMs?: number, endAtMs?: number): WorkflowWriterHandle {
    if (started) throw new Error('workflow writers: start() was already called');
    started = true;

    const latency = createLatencyHistogram();
    const lockWait = createLatencyHistogram();
    const lockHold = createLatencyHistogram();
    const errorsByCode: ErrorCounts = {};
    const spans: RecordedLockSpan[] = [];
    const samples: WriteSample[] = [];
    const pending = new Set<Promise<void>>();
    /** Executions whose previous write committed and that have writes left, oldest first. */
    const ready: Execution[] = [];
    const acknowledged = { executions: 0, steps: 0, finishedExecutions: 0 };
    const counts = { scheduled: 0, notIssued: 0, succeeded: 0, failed: 0, abandoned: 0 };
    let executionSeq = 0;
    let stopped = false;
    let stopping: Promise<WorkflowWriterResult> | undefined;

    // The schedule's origin: the first write is due then (an origin just past is caught up at once).
    const startPerf = (originEpochMs === undefined ? performance.now() : originEpochMs - epochOfPerformance(0)) + options.startDelayMs;
    const schedule = writeSchedule(startPerf, options.writesPerSecond, options.durationMs);
    // Before the first tick: an origin in the past catches up at once, up to this end only.
    if (endAtMs !== undefined) schedule.endAt(endAtMs - epochOfPerformance(0));
    let timer: NodeJS.Timeout | undefined;

    const waiters = new Set<{ condition: (p: WorkflowWriterProgress) => boolean; resolve: () => void }>();
    function progress(): WorkflowWriterProgress {
      return {
        scheduled: counts.scheduled,
        notIssued: counts.notIssued,
        inFlight: pending.size,
        writes: counts.succeeded + counts.failed,
        failed: counts.failed,
        finishedExecutions: acknowledged.finishedExecutions,
      };
    }
    function notify(): void {
      if (waiters.size === 0) return;
      const now = progress();
      for (const waiter of waiters) {
        if (waiter.condition(now)) {
          waiters.delete(waiter);
          waiter.resolve();
        }
      }
    }

    function countError(code: string): void {
      errorsByCode[code] = (errorsByCode[code] ?? 0) + 1;
    }

    /** Records an answered write's latency, from its scheduled time (a performance.now() value), and how its transaction went. */
    function recordAnswer(dueAt: number, ok: boolean, result?: WriterTaskResult): void {
      const latencyMs = performance.now() - dueAt;
      latency.record(latencyMs);
      if (samples.length >= MAX_RECORDED_WRITE_SAMPLES) return;
      const sample: WriteSample = { scheduledAtMs: epochOfPerformance(dueAt), latencyMs, ok };
      if (result) {
        sample.waitMs = (result.heldMs ?? result.endMs) - result.beginMs;
        if (result.heldMs !== undefined) sample.holdMs = result.endMs - result.heldMs;
        if (!ok) {
          sample.errorCode = result.errorCode ?? 'UNKNOWN';
          sample.failedAfterMs = result.endMs - result.beginMs;
        }
      }
      samples.push(sample);
    }

    /** The next write, the `n`-th of the schedule (from 0): a step of an execution under way, else a new execution. */
    function nextTask(n: number): { execution: Execution; task: WriterTask } {
      const execution = ready.shift();
      if (execution && execution.steps !== null) return { execution, task: stepWrite(execution, execution.steps) };
      executionSeq += 1;
      const fresh: Execution = {
        id: `${options.executionIdPrefix}-${executionSeq}`,
        workflowId: options.workflowIds[(executionSeq - 1) % options.workflowIds.length]!,
        steps: null,
        nextWrite: 0,
      };
      if (options.sqlWrite !== null) return { execution: fresh, task: { kind: 'sql-write', executionId: fresh.id, n } };
      return { execution: fresh, task: { kind: 'create-execution', executionId: fresh.id, workflowId: fresh.workflowId } };
    }

    function settle(execution: Execution, task: WriterTask, dueAt: number, result: WriterTaskResult): void {
      if (result.stopped) {
        // Never answered: a stop ended its wait, and it wrote nothing.
        counts.abandoned += 1;
        return;
      }
      recordAnswer(dueAt, result.ok, result);
      lockWait.record((result.heldMs ?? result.endMs) - result.beginMs);
      if (result.heldMs !== undefined) {
        lockHold.record(result.endMs - result.heldMs);
        if (options.recordSpans && spans.length < MAX_RECORDED_SPANS) {
          spans.push({
            owner: 'workflow-writer',
            kind: task.kind === 'update-step' ? 'workflow-step' : 'workflow-execution',
            requestId: execution.id,
            startMs: result.heldMs,
            endMs: result.endMs,
            waitMs: result.heldMs - result.beginMs,
            pid: result.pid,
            thread: result.threadId,
          });
        }
      }
      if (!result.ok) {
        counts.failed += 1;
        countError(result.errorCode ?? 'UNKNOWN');
        // A failed write ends its execution: the next write would depend on rows that may be missing.
        return;
      }
      counts.succeeded += 1;
      if (task.kind === 'sql-write') {
        // One write is the whole execution: nothing follows it.
        acknowledged.executions += 1;
        acknowledged.finishedExecutions += 1;
      } else if (task.kind === 'create-execution') {
        execution.steps = result.steps ?? 0;
        acknowledged.executions += 1;
        acknowledged.steps += execution.steps;
      } else if (task.kind === 'update-step' && task.finishExecution) {
        acknowledged.finishedExecutions += 1;
      }
      execution.nextWrite += 1;
      if (execution.steps !== null && execution.nextWrite <= 2 * execution.steps) ready.push(execution);
    }

    function issue(n: number, dueAt: number): void {
      counts.scheduled += 1;
      // A write not issued keeps its number, as a dropped iteration keeps its {n}.
      if (pending.size >= options.maxInFlight) {
        counts.notIssued += 1;
        return;
      }
      const { execution, task } = nextTask(n);
      const write = pool.run(task).then(
        (result) => settle(execution, task, dueAt, result),
        () => {
          counts.failed += 1;
          countError(WORKER_FAILURE_CODE);
          recordAnswer(dueAt, false);
        },
      );
      pending.add(write);
      void write.finally(() => {
        pending.delete(write);
        notify();
      });
    }

    function tick(): void {
      if (stopped) return;
      const now = performance.now();
      // Issue every write that has come due, including any the timer was late for, none past the end.
      while (!schedule.over(counts.scheduled) && schedule.dueAt(counts.scheduled) <= now) issue(counts.scheduled, schedule.dueAt(counts.scheduled));
      notify();
      // Past its duration the schedule issues nothing more; the writes in flight finish, and the stop collects them.
      if (schedule.over(counts.scheduled)) return;
      timer = setTimeout(tick, Math.max(0, schedule.dueAt(counts.scheduled) - performance.now()));
    }
    tick();

    const handle: WorkflowWriterHandle = {
      options,
      progress,
      // The timer, asleep until the next write is due, finds the schedule over when it wakes.
      endAt: (atMs) => schedule.endAt(atMs - epochOfPerformance(0)),
      until(condition) {
        if (condition(progress())) return Promise.resolve();
        return new Promise((resolve) => waiters.add({ condition, resolve }));
      },
      stop(stopOptions = {}) {
        // Also cuts short a drain already under way (a Ctrl-C while the writers were draining).
        if (stopOptions.drain === false) abandonWaits();
        stopping ??= finish(stopOptions.drain ?? true);
        return stopping;
      },
    };

    async function finish(drain: boolean): Promise<WorkflowWriterResult> {
      const durationMs = Math.max(0, performance.now() - startPerf);
      stopped = true;
      clearTimeout(timer);
      if (!drain) abandonWaits();
      await Promise.allSettled([...pending]);
      await closePool();
      const result: WorkflowWriterResult = {
        writesPerSecond: options.writesPerSecond,
        durationMs,
        scheduled: counts.scheduled,
        notIssued: counts.notIssued,
        writes: counts.succeeded + counts.failed,
        succeeded: counts.succeeded,
        failed: counts.failed,
        abandoned: counts.abandoned,
        errorsByCode,
        latency: latency.summary(),
        lockWait: lockWait.summary(),
        lockHold: lockHold.summary(),
        acknowledged,
        executionIdPrefix: options.executionIdPrefix,
        samples,
      };
      if (options.recordSpans) result.spans = spans;
      return result;
    }
    return handle;
  }

  return {
    options,
    warmUp,
    start,
    async close() {
      abandonWaits();
      await closePool();
    },
  };
}

/** Creates the pool, warms every connection, and starts issuing writes on schedule. */
export async function startWorkflowWriters(planned: PlannedWriterOptions, at: WriterStart): Promise<WorkflowWriterHandle> {
  const writers = createWorkflowWriters(planned, at);
  try {
    await writers.warmUp();
  } catch (err) {
    await writers.close();
    throw err;
  }
  return writers.start();
}

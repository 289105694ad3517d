import { threadId } from 'node:worker_threads';
import { openConnection, type Connection, type ConnectionSettings } from '../db/connection.ts';
import type { BeginMode, ConnectionPolicy } from '../options.ts';
import { CodedError, TARGET_STOPPING, toDbFailure } from '../locks/errors.ts';
import { nowMs } from '../locks/clock.ts';
import { executeRead, executeWrite, isWriteTask, type DbTask, type ReadOutcome, type WriteOutcome } from '../db/tasks.ts';
import { meetAtBarrier, type BarrierTask } from '../../harness/shared/every-thread.ts';
import { isStopRaised, watchStopFlag } from '../locks/hold.ts';

/** What a thread needs to run DB tasks: where the database is and how to connect to it. */
export interface RunnerConfig {
  dbPath: string;
  settings: ConnectionSettings;
  begin: BeginMode;
  connections: ConnectionPolicy;
  /** The target's stop flag (../locks/hold.ts): once raised, work in hand rolls back and no task connects. */
  stopBuffer: SharedArrayBuffer;
}

/**
 * Work every thread of a pool must do once: `warmUp` opens its connection (see `Executor.warmUp`),
 * `close` closes it (see `Executor.close`). Each task waits at a barrier until all `parties` have
 * started, so each lands on its own thread.
 */
export interface ThreadTask extends BarrierTask {
  op: 'warmUp' | 'close';
}

function isThreadTask(task: DbTask | ThreadTask): task is ThreadTask {
  return task.op === 'warmUp' || task.op === 'close';
}

/**
 * Runs DB tasks on the calling thread. With `pooled` connections it keeps one connection for the
 * thread's life; with `per-request` it opens a connection and applies the pragmas for every task, as a
 * session factory rebuilt per call does.
 */
export class TaskRunner {
  private connection: Connection | undefined;
  private stopped = false;

  constructor(private readonly config: RunnerConfig) {
    watchStopFlag(config.stopBuffer);
  }

  run(task: DbTask | ThreadTask): WriteOutcome | ReadOutcome {
    if (isThreadTask(task)) return this.onThread(task);
    let db: Connection;
    try {
      db = this.acquire();
    } catch (err) {
      // Never connected, so never locked: the failure is returned like any other, not thrown to the route.
      const failure = toDbFailure(err);
      return isWriteTask(task) ? { ok: false, failure, timing: { waitMs: 0, holdMs: 0, startMs: undefined, endMs: nowMs(), threadId } } : { ok: false, failure };
    }
    try {
      return isWriteTask(task) ? executeWrite(db, this.config.begin, task) : executeRead(db, task);
    } finally {
      if (this.config.connections === 'per-request') db.close();
    }
  }

  private onThread(task: ThreadTask): ReadOutcome {
    try {
      if (task.op === 'warmUp') this.acquire();
      if (task.op === 'close') this.stopped = true;
      if (task.op === 'close' || this.config.connections === 'per-request') this.close();
    } catch (err) {
      return { ok: false, failure: toDbFailure(err) };
    }
    meetAtBarrier(task);
    return { ok: true, value: null };
  }

  close(): void {
    this.connection?.close();
    this.connection = undefined;
  }

  private acquire(): Connection {
    // A task that reaches the thread after shutdown closed its connection must not open a new one: the
    // thread is about to end, and a connection it holds then would leave the -wal file behind.
    if (this.stopped || isStopRaised(this.config.stopBuffer)) throw new CodedError(TARGET_STOPPING, 'the target is stopping; its database connections are closed');
    if (this.config.connections === 'per-request') return openConnection(this.config.dbPath, this.config.settings);
    this.connection ??= openConnection(this.config.dbPath, this.config.settings);
    return this.connection;
  }
}

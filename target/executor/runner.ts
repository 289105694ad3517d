import { openConnection, type Connection, type ConnectionSettings } from '../db/connection.ts';
import type { BeginMode, ConnectionPolicy } from '../options.ts';
import { toDbFailure } from '../locks/errors.ts';
import { executeRead, executeWrite, isWriteTask, type DbTask, type ReadOutcome, type WriteOutcome } from '../db/tasks.ts';

/** What a thread needs to run DB tasks: where the database is and how to connect to it. */
export interface RunnerConfig {
  dbPath: string;
  settings: ConnectionSettings;
  begin: BeginMode;
  connections: ConnectionPolicy;
}

/** Starts a thread's connection; see `Executor.warmUp`. */
export interface WarmUpTask {
  op: 'warmUp';
  barrier: SharedArrayBuffer;
  parties: number;
}

/** Longest a warm-up task waits for the other threads to start, in milliseconds. */
export const WARM_UP_TIMEOUT_MS = 30_000;

/**
 * Runs DB tasks on the calling thread. With `pooled` connections it keeps one connection for the
 * thread's life; with `per-request` it opens a connection and applies the pragmas for every task, as a
 * session factory rebuilt per call does.
 */
export class TaskRunner {
  private connection: Connection | undefined;

  constructor(private readonly config: RunnerConfig) {}

  run(task: DbTask | WarmUpTask): WriteOutcome | ReadOutcome {
    if (task.op === 'warmUp') return this.warmUp(task);
    const db = this.acquire();
    try {
      return isWriteTask(task) ? executeWrite(db, this.config.begin, task) : executeRead(db, task);
    } finally {
      if (this.config.connections === 'per-request') db.close();
    }
  }

  private warmUp(task: WarmUpTask): ReadOutcome {
    const counter = new Int32Array(task.barrier);
    try {
      this.acquire();
      if (this.config.connections === 'per-request') this.close();
    } catch (err) {
      return { ok: false, failure: toDbFailure(err) };
    }
    Atomics.add(counter, 0, 1);
    Atomics.notify(counter, 0);
    const deadline = Date.now() + WARM_UP_TIMEOUT_MS;
    for (let seen = Atomics.load(counter, 0); seen < task.parties && Date.now() < deadline; seen = Atomics.load(counter, 0)) {
      Atomics.wait(counter, 0, seen, deadline - Date.now());
    }
    return { ok: true, value: null };
  }

  close(): void {
    this.connection?.close();
    this.connection = undefined;
  }

  private acquire(): Connection {
    if (this.config.connections === 'per-request') return openConnection(this.config.dbPath, this.config.settings);
    this.connection ??= openConnection(this.config.dbPath, this.config.settings);
    return this.connection;
  }
}

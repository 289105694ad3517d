import { openConnection, type Connection, type ConnectionSettings } from '../db/connection.ts';
import type { BeginMode, ConnectionPolicy } from '../options.ts';
import { executeRead, executeWrite, isWriteTask, type DbTask, type ReadOutcome, type WriteOutcome } from '../db/tasks.ts';

/** What a thread needs to run DB tasks: where the database is and how to connect to it. */
export interface RunnerConfig {
  dbPath: string;
  settings: ConnectionSettings;
  begin: BeginMode;
  connections: ConnectionPolicy;
}

/**
 * Runs DB tasks on the calling thread. With `pooled` connections it keeps one connection for the
 * thread's life; with `per-request` it opens a connection and applies the pragmas for every task, as a
 * session factory rebuilt per call does.
 */
export class TaskRunner {
  private connection: Connection | undefined;

  constructor(private readonly config: RunnerConfig) {}

  run(task: DbTask): WriteOutcome | ReadOutcome {
    const db = this.acquire();
    try {
      return isWriteTask(task) ? executeWrite(db, this.config.begin, task) : executeRead(db, task);
    } finally {
      if (this.config.connections === 'per-request') db.close();
    }
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

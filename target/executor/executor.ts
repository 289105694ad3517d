import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import type { ExecutorKind } from '../options.ts';
import type { ReadOutcome, ReadTask, WriteOutcome, WriteTask } from '../db/tasks.ts';
import { TaskRunner, type RunnerConfig } from './runner.ts';

/** Where the target's DB work runs. */
export interface Executor {
  write(task: WriteTask): Promise<WriteOutcome>;
  read(task: ReadTask): Promise<ReadOutcome>;
  close(): Promise<void>;
}

export interface ExecutorConfig extends RunnerConfig {
  poolSize: number;
}

const WORKER_FILE = fileURLToPath(new URL('./worker.ts', import.meta.url));

/** DB work on piscina worker threads, each with its own connection, like a web framework's thread pool. */
function createPoolExecutor(config: ExecutorConfig): Executor {
  const pool = new Piscina({
    filename: WORKER_FILE,
    minThreads: config.poolSize,
    maxThreads: config.poolSize,
    idleTimeout: Number.POSITIVE_INFINITY,
    workerData: { dbPath: config.dbPath, settings: config.settings, begin: config.begin, connections: config.connections } satisfies RunnerConfig,
    // The worker is TypeScript: load it through tsx whatever started this process (tsx, vitest, node).
    execArgv: [...process.execArgv, '--import', 'tsx'],
  });
  return {
    write: (task) => pool.run(task) as Promise<WriteOutcome>,
    read: (task) => pool.run(task) as Promise<ReadOutcome>,
    close: () => pool.destroy(),
  };
}

/** DB work on the event loop: while a task waits for or holds the lock, no other route is served. */
function createInlineExecutor(config: ExecutorConfig): Executor {
  const runner = new TaskRunner(config);
  return {
    write: async (task) => runner.run(task) as WriteOutcome,
    read: async (task) => runner.run(task) as ReadOutcome,
    close: async () => runner.close(),
  };
}

export const EXECUTORS: ReadonlyMap<ExecutorKind, (config: ExecutorConfig) => Executor> = new Map([
  ['pool', createPoolExecutor],
  ['inline', createInlineExecutor],
]);

export function createExecutor(kind: ExecutorKind, config: ExecutorConfig): Executor {
  const create = EXECUTORS.get(kind);
  if (create === undefined) throw new Error(`unknown executor ${kind}`);
  return create(config);
}

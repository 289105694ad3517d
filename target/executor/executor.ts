import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import { entryPoint } from '../../harness/shared/entry-points.ts';
import type { ExecutorKind } from '../options.ts';
import type { ReadOutcome, ReadTask, WriteOutcome, WriteTask } from '../db/tasks.ts';
import { runOnEveryThread } from '../../harness/shared/every-thread.ts';
import { raiseStopFlag } from '../locks/hold.ts';
import { TaskRunner, type RunnerConfig, type ThreadTask } from './runner.ts';
import { closeLast } from '../db/connection.ts';

/** Where the target's DB work runs. */
export interface Executor {
  /** Resolves once every thread has started and connected, so the first requests don't pay for it. */
  warmUp(): Promise<void>;
  write(task: WriteTask): Promise<WriteOutcome>;
  read(task: ReadTask): Promise<ReadOutcome>;
  /**
   * Ends the work in hand: a transaction blocked in its work rolls back at once, and tasks not yet
   * started fail with TARGET_STOPPING. Called first on shutdown, so no request holds the stop up.
   */
  stop(): void;
  /** Stops (see `stop`), closes every connection (so SQLite checkpoints and removes the -wal and -shm files), then the threads. */
  close(): Promise<void>;
}

export interface ExecutorConfig extends Omit<RunnerConfig, 'stopBuffer'> {
  poolSize: number;
}

/** A runner's configuration with a fresh stop flag. */
function withStopFlag(config: Omit<RunnerConfig, 'stopBuffer'>): RunnerConfig {
  return { ...config, stopBuffer: new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT) };
}

const WORKER_FILE = fileURLToPath(new URL('./worker.ts', import.meta.url));

/** DB work on piscina worker threads, each with its own connection, like a web framework's thread pool. */
function createPoolExecutor(config: ExecutorConfig): Executor {
  const { poolSize, ...rest } = config;
  const runner = withStopFlag(rest);
  const stop = () => raiseStopFlag(runner.stopBuffer);
  const worker = entryPoint(WORKER_FILE);
  const pool = new Piscina({
    filename: worker.file,
    minThreads: poolSize,
    maxThreads: poolSize,
    idleTimeout: Number.POSITIVE_INFINITY,
    workerData: runner satisfies RunnerConfig,
    // Its bundle, or the TypeScript source through tsx whatever started this process (tsx, vitest, node).
    execArgv: worker.execArgv,
  });
  /** Runs `op` once on every thread. */
  const onEveryThread = async (op: ThreadTask['op']) => {
    const outcomes = await runOnEveryThread(pool, poolSize, (barrier): ThreadTask => ({ op, ...barrier })) as ReadOutcome[];
    return outcomes.find((o): o is Extract<ReadOutcome, { ok: false }> => !o.ok);
  };
  return {
    async warmUp() {
      const failed = await onEveryThread('warmUp');
      if (failed) throw Object.assign(new Error(`DB worker could not start: ${failed.failure.code}: ${failed.failure.message}`), { code: failed.failure.code });
    },
    write: (task) => pool.run(task) as Promise<WriteOutcome>,
    read: (task) => pool.run(task) as Promise<ReadOutcome>,
    stop,
    close: async () => {
      stop();
      try {
        await onEveryThread('close');
      } finally {
        await pool.destroy();
      }
      // The threads closed together: one of them may not have known it was the last.
      closeLast(rest.dbPath, rest.settings.busyTimeoutMs);
    },
  };
}

/** DB work on the event loop: while a task waits for or holds the lock, no other route is served. */
function createInlineExecutor(config: ExecutorConfig): Executor {
  const { poolSize: _, ...rest } = config;
  const runnerConfig = withStopFlag(rest);
  const runner = new TaskRunner(runnerConfig);
  const stop = () => raiseStopFlag(runnerConfig.stopBuffer);
  return {
    warmUp: async () => {
      const outcome = runner.run({ op: 'readSources' }) as ReadOutcome;
      if (!outcome.ok) throw Object.assign(new Error(`could not open the database: ${outcome.failure.code}: ${outcome.failure.message}`), { code: outcome.failure.code });
    },
    write: async (task) => runner.run(task) as WriteOutcome,
    read: async (task) => runner.run(task) as ReadOutcome,
    stop,
    close: async () => {
      stop();
      runner.close();
    },
  };
}

export const EXECUTOR_FACTORIES: ReadonlyMap<ExecutorKind, (config: ExecutorConfig) => Executor> = new Map([
  ['pool', createPoolExecutor],
  ['inline', createInlineExecutor],
]);

export function createExecutor(kind: ExecutorKind, config: ExecutorConfig): Executor {
  const create = EXECUTOR_FACTORIES.get(kind);
  if (create === undefined) throw new Error(`unknown executor ${kind}`);
  return create(config);
}

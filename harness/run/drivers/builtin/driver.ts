/** lockbench's own load driver: the scenario description run on undici in a thread of its own. */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { MessageChannel } from 'node:worker_threads';
import { Piscina } from 'piscina';
import { entryPoint } from '../../../shared/entry-points.ts';
import type { DriverRunInput, LoadDriver } from '../types.ts';
import type { DriverInfo } from '../../../model/results.ts';
import type { DriverRun } from '../../../model/driver-run.ts';
import type { BuiltinTask, BuiltinTaskResult, ParentMessage, WorkerMessage } from './protocol.ts';

const WORKER_FILE = fileURLToPath(new URL('./worker.ts', import.meta.url));

/** The version of undici the driver thread sends with, read without loading undici into this thread. */
export function undiciVersion(): string {
  const require = createRequire(import.meta.url);
  return (require('undici/package.json') as { version: string }).version;
}

type DriverPool = Piscina<BuiltinTask, BuiltinTaskResult>;

/** A thread for one run: it starts, and loads its modules (undici's alone take ~0.2 s), at once. */
function startPool(importsTypeScript: boolean): DriverPool {
  const worker = entryPoint(WORKER_FILE, { importsTypeScript });
  return new Piscina<BuiltinTask, BuiltinTaskResult>({
    filename: worker.file,
    minThreads: 1,
    maxThreads: 1,
    idleTimeout: 0,
    execArgv: worker.execArgv,
  });
}

export function createBuiltinDriver(): LoadDriver {
  /**
   * The next run's thread, started when the driver is prepared and after each run, so that it has
   * loaded while the next trial's stack starts rather than after its load was due. Idle, it does not
   * keep the process alive (piscina unrefs idle threads).
   */
  let spare: { pool: DriverPool; importsTypeScript: boolean } | null = null;
  const takePool = async (importsTypeScript: boolean): Promise<DriverPool> => {
    const taken = spare;
    spare = null;
    if (taken?.importsTypeScript === importsTypeScript) return taken.pool;
    await taken?.pool.destroy();
    return startPool(importsTypeScript);
  };
  return {
    name: 'builtin',
    prepare(): Promise<DriverInfo> {
      spare ??= { pool: startPool(false), importsTypeScript: false };
      return Promise.resolve({ name: 'builtin', version: undiciVersion() });
    },
    async run(input: DriverRunInput): Promise<DriverRun> {
      const startedAtMs = Date.now();
      const started = performance.now();
      // A target's adapter module may be TypeScript, which the thread then imports through tsx.
      const adapter = input.target?.description.adapter;
      const importsTypeScript = adapter !== undefined && /\.[cm]?ts$/.test(adapter);
      const pool = await takePool(importsTypeScript);
      const channel = new MessageChannel();
      channel.port1.on('message', (message: WorkerMessage) => {
        if (message.type === 'started') input.onStart?.(message.startedAtMs);
        else if (message.type === 'stream-ended') input.onStreamEnd?.(message.stream, message.endedAtMs);
        else input.onProgress?.(message.progress);
      });
      const abort = () => channel.port1.postMessage({ type: 'abort' } satisfies ParentMessage);
      if (input.signal.aborted) abort();
      else input.signal.addEventListener('abort', abort, { once: true });
      let result: BuiltinTaskResult;
      try {
        const task: BuiltinTask = {
          description: input.description,
          baseUrl: input.baseUrl,
          ...(input.target ? { target: input.target } : {}),
          ...(input.workload && input.answersPath ? { workload: { workload: input.workload, answersPath: input.answersPath } } : {}),
          samplesPath: input.samplesPath,
          summaryPath: input.summaryPath,
          port: channel.port2,
        };
        result = await pool.run(task, { transferList: [channel.port2] });
      } catch (err) {
        result = { ok: false, message: `the driver thread failed: ${(err as Error).message}` };
      } finally {
        input.signal.removeEventListener('abort', abort);
        channel.port1.close();
        await pool.destroy();
        if (!input.signal.aborted) spare = { pool: startPool(importsTypeScript), importsTypeScript };
      }
      const durationMs = performance.now() - started;
      if (!result.ok) {
        return { completed: false, aborted: input.signal.aborted, failure: result.message, startedAtMs, durationMs, summary: null, files: { summary: null, log: null, samples: null } };
      }
      return {
        completed: !result.aborted,
        aborted: result.aborted,
        startedAtMs: result.startedAtMs,
        durationMs: result.endedAtMs - result.startedAtMs,
        summary: result.summary,
        files: { summary: input.summaryPath, log: null, samples: input.samplesPath },
      };
    },
  };
}

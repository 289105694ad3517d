/** lockbench's own load driver: the scenario description run on undici in a thread of its own. */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { MessageChannel } from 'node:worker_threads';
import { Piscina } from 'piscina';
import { entryPoint } from '../../entry-points.ts';
import type { DriverInfo, DriverRun, DriverRunInput, LoadDriver } from '../types.ts';
import type { BuiltinTask, BuiltinTaskResult, ParentMessage, WorkerMessage } from './protocol.ts';

const WORKER_FILE = fileURLToPath(new URL('./worker.ts', import.meta.url));

/** The version of undici the driver thread sends with, read without loading undici into this thread. */
export function undiciVersion(): string {
  const require = createRequire(import.meta.url);
  return (require('undici/package.json') as { version: string }).version;
}

export function createBuiltinDriver(): LoadDriver {
  return {
    name: 'builtin',
    prepare(): Promise<DriverInfo> {
      return Promise.resolve({ name: 'builtin', version: undiciVersion() });
    },
    async run(input: DriverRunInput): Promise<DriverRun> {
      const startedAtMs = Date.now();
      const started = performance.now();
      // A target's adapter module may be TypeScript, which the thread then imports through tsx.
      const adapter = input.target?.description.adapter;
      const worker = entryPoint(WORKER_FILE, { importsTypeScript: adapter !== undefined && /\.[cm]?ts$/.test(adapter) });
      const pool = new Piscina<BuiltinTask, BuiltinTaskResult>({
        filename: worker.file,
        minThreads: 1,
        maxThreads: 1,
        idleTimeout: 0,
        execArgv: worker.execArgv,
      });
      const channel = new MessageChannel();
      channel.port1.on('message', (message: WorkerMessage) => input.onProgress?.(message.progress));
      const abort = () => channel.port1.postMessage({ type: 'abort' } satisfies ParentMessage);
      if (input.signal.aborted) abort();
      else input.signal.addEventListener('abort', abort, { once: true });
      let result: BuiltinTaskResult;
      try {
        const task: BuiltinTask = {
          description: input.description,
          baseUrl: input.baseUrl,
          ...(input.target ? { target: input.target } : {}),
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

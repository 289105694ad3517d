import { Worker } from 'node:worker_threads';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export interface UnavailableInterval {
  startMs: number;
  endMs: number;
}

/** Starts an independent BEGIN IMMEDIATE probe on a worker thread, resolving once it probes; `stop()` returns what it saw. */
export async function startLockProbe(dbPath: string): Promise<{ stop(): Promise<{ intervals: UnavailableInterval[]; probes: number }> }> {
  const stop = new SharedArrayBuffer(4);
  // The probe is TypeScript: register tsx inside the thread before loading it.
  const file = pathToFileURL(join(import.meta.dirname, 'probe-worker.ts')).href;
  const worker = new Worker(`import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(file)}); })`, {
    eval: true,
    workerData: { dbPath, stop },
  });
  const failed = new Promise<never>((_, reject) => worker.once('error', reject));
  const message = <T>() => Promise.race([new Promise<T>((resolve) => worker.once('message', resolve)), failed]);
  await message<{ ready: true }>();
  const result = message<{ intervals: UnavailableInterval[]; probes: number }>();
  return {
    stop: async () => {
      Atomics.store(new Int32Array(stop), 0, 1);
      const value = await result;
      await worker.terminate();
      return value;
    },
  };
}

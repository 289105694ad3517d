import { Worker } from 'node:worker_threads';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export interface UnavailableInterval {
  startMs: number;
  endMs: number;
}

/** What the probe saw: when the write lock was unavailable, how many probes, and the longest gap between two. */
export interface ProbeResult {
  intervals: UnavailableInterval[];
  probes: number;
  /** The longest time between two consecutive probes, in ms: how late the probe may have seen a lock taken or let go. */
  maxGapMs: number;
}

/** Starts an independent BEGIN IMMEDIATE probe on a worker thread, resolving once it probes; `stop()` returns what it saw. */
export async function startLockProbe(dbPath: string): Promise<{ stop(): Promise<ProbeResult> }> {
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
  const result = message<ProbeResult>();
  return {
    stop: async () => {
      Atomics.store(new Int32Array(stop), 0, 1);
      const value = await result;
      await worker.terminate();
      return value;
    },
  };
}

/**
 * The target's memory and the WAL file's size over a load, sampled once a second from outside: the
 * target's resident set from /proc/<pid>/status, the WAL from its file size. Cheap enough for every run;
 * the soak is where it matters (is memory flat, does the checkpoint policy keep the WAL bounded).
 */
import { readFile, stat } from 'node:fs/promises';
import type { ResourceSample } from '../model/results.ts';

/** How often the monitor samples, in ms. */
export const RESOURCE_SAMPLE_INTERVAL_MS = 1_000;

async function rssBytes(pid: number): Promise<number | null> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const kb = /^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1];
    return kb === undefined ? null : Number(kb) * 1024;
  } catch {
    return null;
  }
}

async function sizeOf(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch {
    return 0; // no WAL file (yet, or checkpointed away on close)
  }
}

export interface ResourceMonitor {
  stop(): Promise<ResourceSample[]>;
}

/** Samples now and then every interval until stopped; the target's memory only where its pid is known. */
export function monitorResources(pid: number | null, dbPath: string, intervalMs = RESOURCE_SAMPLE_INTERVAL_MS): ResourceMonitor {
  const samples: ResourceSample[] = [];
  const sample = async () => {
    const [targetRssBytes, walBytes] = await Promise.all([pid === null ? null : rssBytes(pid), sizeOf(`${dbPath}-wal`)]);
    samples.push({ atMs: Date.now(), targetRssBytes, walBytes });
  };
  let pending = sample();
  const timer = setInterval(() => {
    pending = pending.then(sample);
  }, intervalMs);
  return {
    async stop() {
      clearInterval(timer);
      await pending.then(sample);
      return samples;
    },
  };
}

/**
 * The spans and samples files a run wrote into its report folder, read back for report.html: per profile,
 * and for a sweep per trial, as results.json names them.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readSamples } from './drivers/samples.ts';
import type { SpansFile, Timeline } from '../model/timeline.ts';
import type { ProfileResult } from '../model/results.ts';

async function readOrNull<T>(read: () => Promise<T>): Promise<T | null> {
  try {
    return await read();
  } catch {
    return null;
  }
}

/** What results.json says of a run's files: per profile, and for a sweep per trial (`trials[].result`). */
export interface RunFiles {
  profiles: readonly Pick<ProfileResult, 'name' | 'files'>[];
  trials?: readonly { trialId: string; result: Pick<ProfileResult, 'files'> }[];
}

/** Each profile's and each trial's spans and samples, read from the files results.json names; null where one is missing. */
export async function readTimelines(runDir: string, results: RunFiles): Promise<Timeline[]> {
  const entries = [...results.profiles.map((p) => ({ id: p.name, files: p.files })), ...(results.trials ?? []).map((t) => ({ id: t.trialId, files: t.result.files }))];
  return Promise.all(
    entries.map(async ({ id, files }) => ({
      id,
      spans: files.spans === null ? null : await readOrNull(async () => JSON.parse(await readFile(join(runDir, files.spans!), 'utf8')) as SpansFile),
      samples: files.samples === null ? null : await readOrNull(() => readSamples(join(runDir, files.samples!))),
    })),
  );
}

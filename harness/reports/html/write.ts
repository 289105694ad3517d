/** Writes report.html into a run's report folder, from the results and the spans and samples files beside them. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readSamples } from '../../drivers/samples.ts';
import { writeFileAtomic } from '../../fs/atomic.ts';
import type { ProfileResult } from '../../results.ts';
import type { ReportResults, Timeline } from './input.ts';
import { renderReportHtml } from './page.ts';
import type { SpansFile } from './timeline.ts';

/** The page's file name in the report folder. */
export const REPORT_HTML = 'report.html';

/** Renders report.html from the run's results and per profile or trial its spans and samples, and writes it atomically; returns its path. */
export async function writeReportHtml(runDir: string, results: ReportResults, timelines: readonly Timeline[]): Promise<string> {
  const path = join(runDir, REPORT_HTML);
  await writeFileAtomic(path, await renderReportHtml({ results, timelines: [...timelines] }));
  return path;
}

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

/** Writes report.html into a run's report folder. */
import { join } from 'node:path';
import { REPORT_FILES, writeFileAtomic } from '../write.ts';
import type { ReportResults, Timeline } from './input.ts';
import { renderReportHtml } from './page.ts';

/** Renders report.html from the run's results and per profile or trial its spans and samples, and writes it atomically; returns its path. */
export async function writeReportHtml(runDir: string, results: ReportResults, timelines: readonly Timeline[]): Promise<string> {
  const path = join(runDir, REPORT_FILES.html);
  await writeFileAtomic(path, await renderReportHtml({ results, timelines: [...timelines] }));
  return path;
}

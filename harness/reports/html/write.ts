/** Writes report.html into a run's report folder, from the results and per profile or trial its spans and samples. */
import { join } from 'node:path';
import { writeFileAtomic } from '../../shared/atomic.ts';

import type { ReportResults } from './input.ts';
import type { Timeline } from '../../model/timeline.ts';
import { renderReportHtml } from './page.ts';

/** The page's file name in the report folder. */
export const REPORT_HTML = 'report.html';

/** Renders report.html from the run's results and per profile or trial its spans and samples, and writes it atomically; returns its path. */
export async function writeReportHtml(runDir: string, results: ReportResults, timelines: readonly Timeline[]): Promise<string> {
  const path = join(runDir, REPORT_HTML);
  await writeFileAtomic(path, await renderReportHtml({ results, timelines: [...timelines] }));
  return path;
}

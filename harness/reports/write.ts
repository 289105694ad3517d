/** Writes a run's report folder and points `latest` at it. */
import { mkdir, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { writeFileAtomic } from '../shared/atomic.ts';
import { workloadBaselineJunitSuite } from './workload-baseline.ts';
import { reportResultsOf } from './html/input.ts';
import { REPORT_HTML, writeReportHtml } from './html/write.ts';
import type { Timeline } from '../model/timeline.ts';
import { basename, dirname, join } from 'node:path';
import type { RunResults, ScenarioName } from '../model/results.ts';
import { renderJunit } from './junit.ts';
import { renderMarkdown } from './markdown.ts';

/** The names of the files every run writes, beside the per-profile k6 summaries and target logs. */
export const REPORT_FILES = { results: 'results.json', summary: 'summary.md', junit: 'junit.xml', html: REPORT_HTML } as const;
/** The link in the reports root that names the newest run's folder. */
export const LATEST_LINK = 'latest';

/** `2026-11-28T07-45-12-345Z`: sortable, and valid in file names everywhere. */
export function reportTimestamp(date: Date): string {
  return date.toISOString().replace(/:/g, '-').replace('.', '-');
}

/** Creates `<root>/<timestamp>-<scenario>/` and returns its path. */
export async function createRunFolder(root: string, scenario: string, startedAt: Date): Promise<string> {
  const dir = join(root, `${reportTimestamp(startedAt)}-${scenario}`);
  await mkdir(dir, { recursive: true });
  return dir;
}

/**
 * Writes `content` to `path` so a reader sees the old file or the new one, never half of one: into a
 * temporary file beside it, then renamed over it.
 */
export function renderResultsJson(results: RunResults): string {
  return `${JSON.stringify(results, null, 2)}\n`;
}

/** Writes results.json, summary.md, junit.xml and report.html (its charts from `timelines`) into `dir`. */
export async function writeReports(results: RunResults, dir: string, timelines: readonly Timeline[]): Promise<void> {
  await writeFileAtomic(join(dir, REPORT_FILES.results), renderResultsJson(results));
  await writeFileAtomic(join(dir, REPORT_FILES.summary), renderMarkdown(results));
  const baselineSuites = results.workloadBaseline ? workloadBaselineJunitSuite(results.workloadBaseline, results.scenario) : [];
  await writeFileAtomic(join(dir, REPORT_FILES.junit), renderJunit(results, baselineSuites));
  await writeReportHtml(dir, reportResultsOf(results), timelines);
}

/** Points `<root>/latest` at `dir` (a relative link, replaced atomically). */
export async function pointLatest(root: string, dir: string): Promise<void> {
  const temporary = join(root, `.${LATEST_LINK}-${process.pid}`);
  await rm(temporary, { force: true });
  await symlink(basename(dir), temporary);
  await rename(temporary, join(root, LATEST_LINK));
}

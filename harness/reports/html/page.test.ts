import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { renderReportHtml } from './page.ts';
import { baselineReportInput, longReportInput, recordedReportInput, sweepReportInput, SWEEP_TRIAL_ID } from './testing.ts';
import { writeReportHtml } from './write.ts';

/** The report's size limit for the default run, in bytes. */
const MAX_DEFAULT_REPORT_BYTES = 2 * 1024 * 1024;

const charts = (html: string) => [...html.matchAll(/<figure class="chart" data-chart="(\w+)"(?: data-profile="([^"]+)")?/g)].map((m) => `${m[1]}${m[2] ? ` ${m[2]}` : ''}`);

/** Everything a page could fetch: script, external sources, links and CSS URLs that are not in-page anchors. */
function externalReferences(html: string): string[] {
  return [...html.matchAll(/<script|\bsrc=|<link|(?:href|url)\(?=?"?(?!#)[a-z]+:|@import/gi)].map((m) => m[0]);
}

describe('report.html', () => {
  it('draws the recorded run: the before profile\'s lock timeline, the staged profile\'s latency charts, and says what is missing', async () => {
    const html = await renderReportHtml(recordedReportInput());
    expect(charts(html)).toEqual(['timeline before', 'latency staged', 'distribution staged']);
    expect(html).toContain('No lock spans or request samples were recorded for this profile.');
    expect(html).toContain('longest hold 3,049 ms (observed)');
  });

  it('is one file that needs nothing else: no script, no external source, link or URL', async () => {
    const html = await renderReportHtml(recordedReportInput());
    expect(externalReferences(html)).toEqual([]);
  });

  it('keeps the ids of its charts unique, so one chart\'s clip paths never clip another', async () => {
    const html = await renderReportHtml(sweepReportInput());
    const ids = [...html.matchAll(/\bid="([^"]+)"/g)].map((m) => m[1]);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('has the criteria with their verdicts, each profile\'s configuration, the driver and the host', async () => {
    const input = recordedReportInput();
    const html = await renderReportHtml(input);
    expect(html).toContain('<title>lockbench concurrent: PASS</title>');
    expect(html).toMatch(/<td class="fail">3,049 ms \(observed\) FAIL<\/td>/);
    expect(html).toContain('<td>--import-mode</td><td>monolithic</td>');
    expect(html).toContain('driver k6 2.2.0');
    expect(html).toContain('2 CPUs (Intel(R) Xeon(R) Processor)');
    const withDriver = await renderReportHtml({ ...input, results: { ...input.results, k6: undefined, driver: { name: 'builtin', version: '0.1.0' } } });
    expect(withDriver).toContain('driver builtin 0.1.0');
  });

  it('draws a sweep against the varied value with the recommendation, and each trial given a timeline', async () => {
    const html = await renderReportHtml(sweepReportInput());
    expect(charts(html)).toEqual(['sweep', `latency ${SWEEP_TRIAL_ID}`, `distribution ${SWEEP_TRIAL_ID}`]);
    expect(html).toContain(`<section id="profile-${SWEEP_TRIAL_ID}" class="profile">`);
    expect(html).toContain('Recommended: <b>batchSize=10</b>');
    expect(html).toContain('<h2>Sweep: batchSize</h2>');
  });

  it('draws a baseline comparison, old beside new', async () => {
    const html = await renderReportHtml(baselineReportInput());
    expect(charts(html)[0]).toBe('baseline');
    expect(html).toContain('<td>maxLockHoldMs</td><td>staged</td><td>9.8</td><td>13.95</td><td>+42.3 %</td><td class="fail">worse</td>');
  });

  it('stays under 2 MB for a default run, and for one twenty times as long', async () => {
    const size = async (times: number) => Buffer.byteLength(await renderReportHtml(longReportInput(times)));
    const defaultRun = await size(1);
    const long = await size(20);
    expect(defaultRun).toBeLessThan(MAX_DEFAULT_REPORT_BYTES);
    expect(long).toBeLessThan(MAX_DEFAULT_REPORT_BYTES);
  });
});

describe('writeReportHtml', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it('writes report.html into the run folder and leaves no temporary file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lockbench-report-html-'));
    dirs.push(dir);
    const { results, timelines } = recordedReportInput();
    const path = await writeReportHtml(dir, results, timelines);
    expect(path).toBe(join(dir, 'report.html'));
    expect(await readdir(dir)).toEqual(['report.html']);
    expect(await readFile(path, 'utf8')).toMatch(/^<!doctype html>/);
  });
});

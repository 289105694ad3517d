import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { pageTitle, renderReportHtml, shownTrial } from './page.ts';
import { reportResultsOf } from './input.ts';
import { recordedWindowedResults, recordedWorkloadResults } from '../testing.ts';
import { renderTerminal } from '../terminal.ts';
import { baselineReportInput, longReportInput, recordedReportInput, recordedRunInput } from './testing.ts';
import { writeReportHtml } from './write.ts';

/** The report's size limit for the default run, in bytes. */
const MAX_DEFAULT_REPORT_BYTES = 2 * 1024 * 1024;

const charts = (html: string) => [...html.matchAll(/<figure class="chart" data-chart="(\w+)"(?: data-profile="([^"]+)")?/g)].map((m) => `${m[1]}${m[2] ? ` ${m[2]}` : ''}`);

/** One chart's figure, its SVG and caption. */
function figureOf(html: string, kind: string, profile: string): string {
  const start = html.indexOf(`<figure class="chart" data-chart="${kind}" data-profile="${profile}"`);
  expect(start, `${kind} chart of ${profile}`).toBeGreaterThanOrEqual(0);
  return html.slice(start, html.indexOf('</figure>', start));
}

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

  it("captions a timeline with only what its profile had: side writers and self-timed holds where there were some", async () => {
    const foreign = await recordedRunInput('foreign');
    const profile = foreign.results.profiles[0]!.name;
    const withBoth = figureOf(await renderReportHtml(foreign), 'timeline', profile);
    expect(withBoth).toContain('the side writers split by SQL stream and thread');
    expect(withBoth).toContain('self-reported holds (the holder timed its own transaction) are orange');
    // An app observed from outside alone, with no SQL stream beside it.
    const alone = {
      ...foreign,
      timelines: foreign.timelines.map((t) => ({ ...t, spans: t.spans && { ...t.spans, target: [], workflowWriters: [] } })),
    };
    const caption = figureOf(await renderReportHtml(alone), 'timeline', profile);
    expect(caption).toContain('one row per holder process (by command and pid). ');
    expect(caption).not.toMatch(/side writers|self-reported|orange/);
  });

  it('is one file that needs nothing else: no script, no external source, link or URL', async () => {
    const html = await renderReportHtml(recordedReportInput());
    expect(externalReferences(html)).toEqual([]);
  });

  it('keeps the ids of its charts unique, so one chart\'s clip paths never clip another', async () => {
    const html = await renderReportHtml(await recordedRunInput('sweep'));
    const ids = [...html.matchAll(/\bid="([^"]+)"/g)].map((m) => m[1]);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('has the criteria with their verdicts, each profile\'s configuration, the driver and the host', async () => {
    const input = await recordedRunInput('concurrent');
    const html = await renderReportHtml(input);
    expect(html).toContain('<title>lockbench concurrent: PASS</title>');
    expect(html).toContain('<tr><td>lock-hold</td><td>&lt; 500 ms</td><td class="fail">3,092 ms FAIL</td><td class="pass">309 ms pass</td><td class="pass">16.9 ms pass</td><td class="pass">pass</td></tr>');
    expect(html).toContain('<td>--import-mode</td><td>monolithic</td>');
    expect(html).toContain('driver builtin 7.30.2');
    expect(html).toContain('2 CPUs (AMD EPYC)');
    const withDriver = await renderReportHtml({ ...input, results: { ...input.results, driver: { name: 'k6', version: '2.2.0' } } });
    expect(withDriver).toContain('driver k6 2.2.0');
  });

  it('titles a sweep by what it varied and found, not as a concurrent run', async () => {
    const html = await renderReportHtml(await recordedRunInput('sweep'));
    expect(html).toContain('<title>lockbench sweep of workload concurrent on staged (batchSize = 5, 25): recommended batchSize=5</title>');
    expect(html).toContain('<h2>Sweep: batchSize</h2>');
    expect(html).toContain('Recommended: <b>batchSize=5</b>');
  });

  it('titles a run from a workload by the workload\'s name, as the terminal names it, not as a concurrent run', async () => {
    const results = recordedWorkloadResults();
    const html = await renderReportHtml({ results: reportResultsOf(results), timelines: [] });
    expect(html).toContain('<title>lockbench workload marketplace: FAIL</title>');
    expect(html).toContain('<h1>lockbench workload marketplace: FAIL</h1>');
    expect(renderTerminal(results).split('\n')[0]).toMatch(/^lockbench workload marketplace: FAIL /);
  });

  it('puts a workload\'s latency judged inside a window beside the whole run\'s under its criteria, and says it in the notes', async () => {
    const html = await renderReportHtml({ results: reportResultsOf(recordedWindowedResults()), timelines: [] });
    const section = html.slice(html.indexOf('<h3>Latency judged inside a window</h3>'), html.indexOf('<h3>Streams</h3>'));
    expect(section).toContain('<th>latency judged inside a window, beside the whole run</th><th>monolithic</th><th>batched</th>');
    // A figure breaks only between its p50 and its p99 (no-break spaces elsewhere); the label wraps, down to a width that keeps it readable.
    expect(section).toContain('<td class="label">catalog-edits p50 / p99 whole run (n)</td><td>4,219\u00a0ms / 11,082\u00a0ms\u00a0(244)</td><td>1,848\u00a0ms / 10,078\u00a0ms\u00a0(251)</td>');
    expect(html).toMatch(/<li>batched: edits-p99 judges the 230 of 251 catalog-edits requests that started inside the source-imports window/);
    const before = await renderReportHtml({ results: reportResultsOf(recordedWorkloadResults()), timelines: [] });
    expect(before).not.toContain('Latency judged inside a window');
  });

  it('titles a sweep of a workload by the workload, and counts its points that met every criterion instead of recommending one', () => {
    const { profiles, ...results } = reportResultsOf(recordedWorkloadResults());
    const [failing, passing] = profiles;
    // A point of a workload's sweep passes by the workload's criteria (harness/analyze/workload-points.ts), as its trials say.
    const point = (id: string, pass: boolean) => ({ id, settings: { batchSize: Number(id) }, repeats: 1, trialIds: [id], failedTrials: [], metrics: {}, criteria: [], pass });
    const sweep = {
      ...results,
      profiles: [],
      plan: { base: 'batched', axes: [{ key: 'batchSize', values: [5, 10] }], repeat: 1, seed: 1, trialOrder: ['5', '10'] },
      points: [point('5', false), point('10', true)],
      trials: [
        { ...failing!, id: '5', pointId: '5' },
        { ...passing!, id: '10', pointId: '10', workload: { ...passing!.workload!, criteria: passing!.workload!.criteria.map((c) => ({ ...c, pass: true })) } },
      ],
    };
    expect(pageTitle(sweep)).toBe('lockbench sweep of workload marketplace on batched (batchSize = 5, 10): 1 of 2 point(s) meet every criterion');
    expect(pageTitle({ ...sweep, gate: { gate: 'batchSize=10', gatedPoints: ['10'], pass: false, failures: [] }, pass: false })).toBe(
      'lockbench sweep of workload marketplace on batched (batchSize = 5, 10): gate FAIL',
    );
  });

  it("judges a sweep's criteria per point, the median over its repeats, and tables each point's streams", async () => {
    const html = await renderReportHtml(await recordedRunInput('sweep'));
    const criteria = html.slice(html.indexOf('<section id="criteria">'), html.indexOf('</section>', html.indexOf('<section id="criteria">')));
    expect(criteria).toContain('<th>batchSize=5 (median of 2)</th><th>batchSize=25 (median of 2)</th>');
    for (const id of ['lock-hold', 'import-wall', 'catalog-p99', 'success', 'workflow-p99', 'no-loss']) expect(criteria).toContain(`<td>${id}</td>`);
    expect(criteria).toContain('<tr><td>import-wall</td><td>&lt; 4,000 ms</td><td class="pass">3,034 ms pass</td><td class="pass">3,156 ms pass</td></tr>');
    const sweep = html.slice(html.indexOf('<section id="sweep">'), html.indexOf('</section>', html.indexOf('<section id="sweep">')));
    expect(sweep).toContain('<tr><td>batchSize-5</td><td>imports</td><td>2</td><td>10</td>');
  });

  it('draws one timeline per point from that point\'s own trial, and says nothing is missing', async () => {
    const html = await renderReportHtml(await recordedRunInput('sweep'));
    expect(charts(html)).toEqual([
      'sweep',
      'timeline batchSize-5.r1', 'latency batchSize-5.r1', 'distribution batchSize-5.r1',
      'timeline batchSize-25.r1', 'latency batchSize-25.r1', 'distribution batchSize-25.r1',
    ]);
    expect(html).not.toContain('class="missing"');
    expect(html).toMatch(/Charts of <b>batchSize-25\.r[12]<\/b>, the repeat whose lock-hold is nearest the point's median/);
  });

  it("draws each stream's p99 against the varied value, named for people, in its unit, never by a results.json key", async () => {
    const html = await renderReportHtml(await recordedRunInput('sweep'));
    expect(html.match(/importWallMs|maxLockHoldMs|catalogP99Ms|workflowWriteP99Ms|requestSuccessRate|busyErrors/g)).toBeNull();
    for (const stream of ['imports', 'catalog', 'reads', 'workflow']) expect(html).toContain(`aria-label="Y-axis titled '${stream} p99 (ms)'`);
  });

  it("draws a default run judged by its seed workload from the workload's criteria: thresholds, the window band, the criteria", async () => {
    const input = await recordedRunInput('seed-workload');
    // As the workload's judgement writes them: no scenario criterion, the workload's result on every profile.
    expect(input.results.profiles.map((p) => [p.criteria.length, p.workload?.criteria.length])).toEqual([[0, 6], [0, 6], [0, 6]]);
    const html = await renderReportHtml(input);
    // Named as its scenario, as the terminal's headline names it.
    expect(html).toMatch(/<h1>lockbench concurrent: (PASS|FAIL)<\/h1>/);
    expect(charts(html)).toEqual(['before', 'seed-fix', 'staged'].flatMap((p) => ['timeline', 'latency', 'distribution'].map((kind) => `${kind} ${p}`)));
    // The band is the window its criteria judged in, named by the stream whose window it is.
    for (const kind of ['timeline', 'latency']) {
      const chart = figureOf(html, kind, 'staged');
      expect(chart, kind).toMatch(/fill="#f2c94c" opacity="0.22"/);
      expect(chart, kind).toContain('>imports window</text>');
      expect(chart, kind).toContain('The shaded band is the imports window (catalog-p99, workflow-p99 judged inside it).');
    }
    const distribution = figureOf(html, 'distribution', 'staged');
    expect(distribution).toContain('>catalog-p99 &lt; 500 ms (imports window)</text>');
    // The workflow writes have no request samples in a default run: no chart, so no threshold of theirs.
    expect(distribution).not.toContain('workflow-p99');
    expect(html).not.toContain('(import window)');
    const criteria = html.slice(html.indexOf('<section id="criteria">'), html.indexOf('</section>', html.indexOf('<section id="criteria">')));
    expect(criteria).toContain('<th>criterion</th><th>threshold</th><th>before</th><th>seed-fix</th><th>staged (gated)</th><th>gate</th>');
    expect(criteria).toContain('<tr><td>catalog-p99</td><td>&lt; 500 ms</td><td class="fail">15,187 ms FAIL</td><td class="fail">5,929 ms FAIL</td><td class="pass">67.3 ms pass</td><td class="pass">pass</td></tr>');
    expect(criteria).toContain('<h3>Latency judged inside a window</h3>');
    const staged = html.slice(html.indexOf('<section id="profile-staged"'), html.indexOf('</section>', html.indexOf('<section id="profile-staged"')));
    expect(staged).toContain('<tr><td>no-loss</td><td>== acknowledged</td><td>500 rows</td><td class="pass">pass</td></tr>');
  });

  it("draws today's recorded default run from its seed workload's criteria: the imports window, its latency thresholds", async () => {
    const html = await renderReportHtml(await recordedRunInput('concurrent'));
    const staged = figureOf(html, 'distribution', 'staged');
    expect(staged).toContain('>catalog-p99 &lt; 500 ms (imports window)</text>');
    expect(staged).toContain("The second curve is the requests sent inside the window the stream's latency is judged in.");
    const timeline = figureOf(html, 'timeline', 'staged');
    expect(timeline).toContain('>imports window</text>');
    expect(timeline).toContain('The shaded band is the imports window (catalog-p99, workflow-p99 judged inside it). The outlined bar is the longest hold.');
    expect(html).toContain('<h3>Streams</h3>');
  });

  it('draws a baseline comparison, old beside new', async () => {
    const html = await renderReportHtml(baselineReportInput());
    expect(charts(html)[0]).toBe('baseline');
    expect(html).toContain('<td>max lock hold</td><td>staged</td><td>9.8 ms</td><td>13.9 ms</td><td>+42.3 %</td><td class="fail">worse</td>');
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

describe("a sweep point's charts", () => {
  // Any workload's repeats: its own criteria, none of the seed's figures.
  const base = reportResultsOf(recordedWorkloadResults()).profiles[0]!;
  const repeat = (id: string, p99: number | null, status = 'completed') => ({
    ...base,
    id,
    name: id,
    pointId: '8',
    status: status as typeof base.status,
    workload: { ...base.workload!, criteria: [{ id: 'orders-p99', type: 'latency' as const, comparison: '<' as const, threshold: 500, measured: p99, unit: 'ms' as const, pass: true }] },
  });
  const point = (measured: number | null) => ({
    id: '8', settings: { vus: 8 }, repeats: 3, trialIds: ['8.r1', '8.r2', '8.r3'], failedTrials: [], metrics: {}, pass: true,
    criteria: [{ id: 'orders-p99', description: '', metric: 'latency', comparison: '<' as const, threshold: 500, measured, unit: 'ms', pass: true, requires: [] }],
  });

  it("are the repeat whose figure of the workload's first measured criterion is nearest the point's median", () => {
    const trials = [repeat('8.r1', 90), repeat('8.r2', 40), repeat('8.r3', 35)];
    const shown = shownTrial(point(40), trials);
    expect(shown.trial?.id).toBe('8.r2');
    expect(shown.by).toBe('orders-p99');
  });

  it('are the first completed repeat when no criterion has a median, and say so', () => {
    const trials = [repeat('8.r1', null, 'errored'), repeat('8.r2', null), repeat('8.r3', null)];
    expect(shownTrial(point(null), trials)).toEqual({ trial: trials[1], by: null });
  });
});

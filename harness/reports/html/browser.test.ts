/**
 * report.html opened from disk in a real browser (Debian's chromium driven by playwright-core): every
 * chart drawn, no errors, no network, one timeline row per holder; a foreign target's timeline one row per
 * process, its legend naming the streams; two recorded default runs (each judged by its seed workload), a
 * recorded sweep and a recorded foreign run (each with its own workload) at 1,000, 1,400 and 1,920 px wide, each timeline whole inside the page and no section empty; a workload
 * run's Run section at 1,400 and 800 px, its tables inside the window.
 * Leaves the recorded run's report and screenshots of each page in KEPT_REPORT_DIR for a person to look at.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOLD_FILLS } from './charts.ts';
import type { ReportHtmlInput } from './input.ts';
import { baselineReportInput, FOREIGN_ROWS, RECORDED_BEFORE_ROWS, recordedReportInput, recordedRunInput, type RecordedRun } from './testing.ts';
import { reportResultsOf } from './input.ts';
import { recordedWindowedResults, shopWorkloadResults } from '../testing.ts';
import { writeReportHtml } from './write.ts';

/** Debian's chromium; CI installs it with apt-get. */
const CHROMIUM = '/usr/bin/chromium';
/**
 * Where the recorded run's report and the screenshots are left for a person to look at; replaced on every
 * run. Named after the checkout, so two checkouts tested at once do not remove each other's.
 */
const KEPT_REPORT_DIR = join(tmpdir(), `lockbench-report-html-${basename(process.cwd())}`);
/** Window widths the page must fit, in px: a small laptop, a common laptop, a full-HD screen. */
const WIDTHS = [1000, 1400, 1920] as const;
/** Widths whose full-page screenshots are kept. */
const SCREENSHOT_WIDTHS: readonly number[] = [1000, 1920];

interface Opened {
  page: Page;
  consoleErrors: string[];
  /** Requests for anything that is not a file, each refused. */
  network: string[];
  dir: string;
}

let browser: Browser;
const dirs: string[] = [];

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: the report is tested in Debian's chromium; install it with \`apt-get install chromium\``);
  }
  // As root, chromium's sandbox cannot start.
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: process.getuid?.() === 0 ? ['--no-sandbox'] : [] });
});

afterAll(async () => {
  await browser?.close();
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

/**
 * Writes the report into a run folder (a fresh temporary one unless `keepIn` is given) and opens it from
 * disk, recording errors and refusing the network.
 */
async function open(input: ReportHtmlInput, keepIn?: string, width = 1280): Promise<Opened> {
  let dir: string;
  if (keepIn === undefined) {
    dir = await mkdtemp(join(tmpdir(), 'lockbench-report-browser-'));
    dirs.push(dir);
  } else {
    await rm(keepIn, { recursive: true, force: true });
    await mkdir(keepIn, { recursive: true });
    dir = keepIn;
  }
  const path = await writeReportHtml(dir, input.results, input.timelines);
  const context = await browser.newContext({ viewport: { width, height: 900 } });
  const consoleErrors: string[] = [];
  const network: string[] = [];
  await context.route('**/*', async (route) => {
    const url = route.request().url();
    if (url.startsWith('file:')) return route.continue();
    network.push(url);
    return route.abort();
  });
  const page = await context.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => consoleErrors.push(error.message));
  await page.goto(pathToFileURL(path).href, { waitUntil: 'load' });
  return { page, consoleErrors, network, dir };
}

/** Width and height of every chart's SVG as laid out. */
async function chartSizes(page: Page): Promise<{ chart: string; width: number; height: number }[]> {
  return page.$$eval('figure.chart', (figures) =>
    figures.map((figure) => {
      const box = figure.querySelector('svg')?.getBoundingClientRect();
      return { chart: `${figure.getAttribute('data-chart')} ${figure.getAttribute('data-profile') ?? ''}`.trim(), width: box?.width ?? 0, height: box?.height ?? 0 };
    }),
  );
}

describe('report.html in chromium', () => {
  it('draws every chart of the recorded run, logs no error, asks for nothing over the network, and saves a screenshot', async () => {
    const { page, consoleErrors, network, dir } = await open(recordedReportInput(), KEPT_REPORT_DIR);
    const sizes = await chartSizes(page);
    expect(sizes.map((s) => s.chart)).toEqual(['timeline before', 'latency staged', 'distribution staged']);
    for (const size of sizes) {
      expect(size.width, size.chart).toBeGreaterThan(100);
      expect(size.height, size.chart).toBeGreaterThan(50);
    }
    expect(consoleErrors).toEqual([]);
    expect(network).toEqual([]);
    const screenshot = join(dir, 'report.png');
    await page.screenshot({ path: screenshot, fullPage: true });
    expect(existsSync(screenshot)).toBe(true);
  });

  it('has one timeline row per holder the spans contain', async () => {
    const { page } = await open(recordedReportInput());
    // The row labels are the y axis's labels: vega gives each axis an aria label naming its direction.
    const rows = await page.$$eval('figure[data-chart="timeline"][data-profile="before"] g[aria-roledescription="axis"][aria-label^="Y-axis"] .role-axis-label text', (texts) =>
      texts.map((t) => t.textContent),
    );
    expect(rows).toEqual(RECORDED_BEFORE_ROWS);
  });

  it('has one timeline row per holder process of a foreign target, and a legend naming the streams its holds were attributed to', async () => {
    const { page } = await open(await recordedRunInput('foreign'));
    const timeline = 'figure[data-chart="timeline"][data-profile="wal-immediate"]';
    const rows = await page.$$eval(`${timeline} g[aria-roledescription="axis"][aria-label^="Y-axis"] .role-axis-label text`, (texts) => texts.map((t) => t.textContent));
    expect(rows).toEqual(FOREIGN_ROWS);
    const legend = await page.$$eval(`${timeline} .role-legend-label text`, (texts) => texts.map((t) => t.textContent));
    // The recorded run's attribution (results.json): catalog-edits exactly and as one of several, holds across streams.
    expect(legend).toEqual(['catalog-edits', 'catalog-edits: one of several', 'across streams', 'not the target', 'self-reported']);
    // Every legend colour is drawn: a bar of each kind is in the chart.
    const fills = await page.$$eval(`${timeline} g.mark-rect.role-mark path`, (paths) => [...new Set(paths.map((p) => p.getAttribute('fill')))]);
    const swatches = await page.$$eval(`${timeline} .role-legend-symbol path`, (paths) => paths.map((p) => p.getAttribute('fill')));
    expect(swatches).toHaveLength(legend.length);
    for (const swatch of swatches) expect(fills).toContain(swatch);
  });

  it('draws a sweep and a baseline comparison as well', async () => {
    for (const input of [await recordedRunInput('sweep'), baselineReportInput()]) {
      const { page, consoleErrors, network } = await open(input);
      const sizes = await chartSizes(page);
      expect(sizes.length).toBeGreaterThan(0);
      for (const size of sizes) expect(size.width * size.height, size.chart).toBeGreaterThan(0);
      expect(consoleErrors).toEqual([]);
      expect(network).toEqual([]);
    }
  });
});

/** Where one timeline's last hold is drawn, against the boxes that could hide it; px in the viewport. */
interface LastHold {
  profile: string;
  /** Right edge of the bar that ends last, and of the plot's x axis. */
  holdRight: number;
  axisRight: number;
  /** The figure's box, which scrolls what does not fit. */
  figureLeft: number;
  figureRight: number;
  figureScrolls: boolean;
  viewportWidth: number;
}

async function lastHolds(page: Page): Promise<LastHold[]> {
  return page.$$eval(
    'figure.chart[data-chart="timeline"]',
    (figures, fills) =>
      figures.map((figure) => {
        const bars = [...figure.querySelectorAll('g.mark-rect.role-mark path')].filter((p) => fills.includes(p.getAttribute('fill') ?? ''));
        const holdRight = Math.max(...bars.map((b) => b.getBoundingClientRect().right));
        const xAxis = figure.querySelector('g[aria-roledescription="axis"][aria-label^="X-axis"] .role-axis-domain line');
        const box = figure.getBoundingClientRect();
        return {
          profile: figure.getAttribute('data-profile') ?? '',
          holdRight,
          axisRight: xAxis?.getBoundingClientRect().right ?? Number.NaN,
          figureLeft: box.left,
          figureRight: box.right,
          figureScrolls: figure.scrollWidth > figure.clientWidth,
          viewportWidth: figure.ownerDocument.documentElement.clientWidth,
        };
      }),
    HOLD_FILLS,
  );
}

/** Sections with nothing in them but a heading, tables without rows, lists without items, and "missing" notes. */
async function emptyParts(page: Page): Promise<string[]> {
  return page.$$eval('section', (sections) =>
    sections.flatMap((section) => {
      const name = section.id || section.querySelector('h2')?.textContent || '?';
      const empty: string[] = [];
      const content = [...section.children].filter((c) => c.tagName !== 'H2' && ((c.textContent ?? '').trim() !== '' || c.querySelector('svg') !== null));
      if (content.length === 0) empty.push(`${name}: nothing under its heading`);
      for (const body of section.querySelectorAll('tbody')) if (!body.querySelector('tr')) empty.push(`${name}: a table without rows`);
      for (const list of section.querySelectorAll('ul')) if (!list.querySelector('li')) empty.push(`${name}: a list without items`);
      for (const missing of section.querySelectorAll('.missing')) empty.push(`${name}: ${missing.textContent}`);
      return empty;
    }),
  );
}

describe.each(['concurrent', 'sweep', 'foreign', 'seed-workload'] as RecordedRun[])('the recorded %s run\'s page', (run) => {
  it.each(WIDTHS)('shows every timeline whole at %i px: its last hold inside the page, nothing scrolled away; no section is empty', async (width) => {
    const keep = SCREENSHOT_WIDTHS.includes(width) ? join(KEPT_REPORT_DIR, `${run}-${width}`) : undefined;
    const { page, consoleErrors, network, dir } = await open(await recordedRunInput(run), keep, width);
    const holds = await lastHolds(page);
    expect(holds.length, 'timelines drawn').toBeGreaterThanOrEqual({ concurrent: 3, sweep: 2, foreign: 1, 'seed-workload': 3 }[run]);
    for (const h of holds) {
      // The time axis runs to the last hold's end (or later, to the last request): all of it in view is all of the chart.
      expect(h.holdRight, `${h.profile}: last hold on the time axis`).toBeLessThanOrEqual(h.axisRight + 1);
      expect(h.holdRight, h.profile).toBeGreaterThan(h.figureLeft);
      expect(h.axisRight, `${h.profile}: time axis inside the figure`).toBeLessThanOrEqual(h.figureRight + 0.5);
      expect(h.axisRight, `${h.profile}: time axis inside the window`).toBeLessThanOrEqual(h.viewportWidth + 0.5);
      expect(h.figureScrolls, `${h.profile}: figure needs no scrolling`).toBe(false);
    }
    const pageScrolls = await page.$eval('html', (html) => html.scrollWidth > html.clientWidth);
    expect(pageScrolls, 'the page scrolls sideways').toBe(false);
    const scrolledCharts = await page.$$eval('figure.chart', (figures) =>
      figures.filter((f) => f.scrollWidth > f.clientWidth).map((f) => `${f.getAttribute('data-chart')} ${f.getAttribute('data-profile') ?? ''}`),
    );
    expect(scrolledCharts, 'charts wider than the page').toEqual([]);
    // A profile's timeline and latency chart share one time axis, drawn at the same place.
    const timeAxes = await page.$$eval('figure.chart[data-chart="timeline"], figure.chart[data-chart="latency"]', (figures) =>
      figures.map((f) => {
        const line = f.querySelector('g[aria-roledescription="axis"][aria-label^="X-axis"] .role-axis-domain line')!.getBoundingClientRect();
        return { chart: f.getAttribute('data-chart'), profile: f.getAttribute('data-profile'), left: line.left, right: line.right };
      }),
    );
    for (const timeline of timeAxes.filter((a) => a.chart === 'timeline')) {
      const latency = timeAxes.find((a) => a.chart === 'latency' && a.profile === timeline.profile)!;
      expect(Math.abs(latency.left - timeline.left), `${timeline.profile}: time axes start together`).toBeLessThan(2);
      expect(Math.abs(latency.right - timeline.right), `${timeline.profile}: time axes end together`).toBeLessThan(2);
    }
    expect(await emptyParts(page)).toEqual([]);
    expect(consoleErrors).toEqual([]);
    expect(network).toEqual([]);
    if (keep) await page.screenshot({ path: join(dir, `${run}-${width}.png`), fullPage: true });
  });
});

/** Widths a workload run's Run section must fit, in px: a common laptop and a narrow window. */
const RUN_SECTION_WIDTHS = [1400, 800] as const;

describe("a workload run's page", () => {
  it.each(RUN_SECTION_WIDTHS)('shows the Run section whole at %i px: every table inside the window, its streams named, the page not scrolling sideways', async (width) => {
    const keep = join(KEPT_REPORT_DIR, `workload-${width}`);
    const { page, consoleErrors, network, dir } = await open({ results: reportResultsOf(shopWorkloadResults()), timelines: [] }, keep, width);
    const run = await page.$eval('#run', (section) => ({
      text: section.textContent ?? '',
      viewportWidth: section.ownerDocument.documentElement.clientWidth,
      widest: Math.max(...[...section.querySelectorAll('table, td, th')].map((e) => e.getBoundingClientRect().right)),
      scrolled: [...section.querySelectorAll('table')].filter((t) => t.scrollWidth > t.clientWidth).length,
    }));
    for (const stream of ['orders', 'restock', 'stock-report']) expect(run.text).toContain(stream);
    expect(run.widest, 'a Run table past the window').toBeLessThanOrEqual(run.viewportWidth + 0.5);
    expect(run.scrolled, 'Run tables that scroll').toBe(0);
    expect(await page.$eval('html', (html) => html.scrollWidth > html.clientWidth), 'the page scrolls sideways').toBe(false);
    expect(consoleErrors).toEqual([]);
    expect(network).toEqual([]);
    await (await page.$('#run'))!.screenshot({ path: join(dir, `run-${width}.png`) });
  });
});

describe('a run of four profiles', () => {
  it('fits the latency judged inside a window in a 1,000 px window without scrolling it', async () => {
    // The FastAPI example's two recorded profiles twice over, named as the examples' four journal and transaction modes.
    const two = recordedWindowedResults();
    const names = ['deferred', 'immediate', 'wal', 'wal-immediate'];
    const results = { ...two, profiles: names.map((name, i) => ({ ...two.profiles[i % 2]!, name, gated: name === 'wal-immediate' })) };
    const { page, consoleErrors, network } = await open({ results: reportResultsOf(results), timelines: [] }, undefined, 1000);
    const table = await page.$eval('#criteria', (section) => {
      const windowed = [...section.querySelectorAll('table')].find((t) => (t.textContent ?? '').includes('latency judged inside a window'))!;
      return { scrolls: windowed.scrollWidth > windowed.clientWidth, right: windowed.getBoundingClientRect().right, viewportWidth: section.ownerDocument.documentElement.clientWidth, columns: windowed.querySelectorAll('thead th').length };
    });
    expect(table.columns).toBe(5);
    expect(table.scrolls, 'the table scrolls inside itself').toBe(false);
    expect(table.right).toBeLessThanOrEqual(table.viewportWidth + 0.5);
    expect(consoleErrors).toEqual([]);
    expect(network).toEqual([]);
  });
});

/**
 * report.html opened from disk in a real browser (Debian's chromium driven by playwright-core): every
 * chart drawn, no errors, no network, one timeline row per holder. Saves report.png beside the report.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReportHtmlInput } from './input.ts';
import { baselineReportInput, RECORDED_BEFORE_ROWS, recordedReportInput, sweepReportInput } from './testing.ts';
import { writeReportHtml } from './write.ts';

/** Debian's chromium; CI installs it with apt-get. */
const CHROMIUM = '/usr/bin/chromium';
/** Where the recorded run's report and its screenshot are left for a person to look at; replaced on every run. */
const KEPT_REPORT_DIR = join(tmpdir(), 'lockbench-report-html');

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
async function open(input: ReportHtmlInput, keepIn?: string): Promise<Opened> {
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
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
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

  it('draws a sweep and a baseline comparison as well', async () => {
    for (const input of [sweepReportInput(), baselineReportInput()]) {
      const { page, consoleErrors, network } = await open(input);
      const sizes = await chartSizes(page);
      expect(sizes.length).toBeGreaterThan(0);
      for (const size of sizes) expect(size.width * size.height, size.chart).toBeGreaterThan(0);
      expect(consoleErrors).toEqual([]);
      expect(network).toEqual([]);
    }
  });
});

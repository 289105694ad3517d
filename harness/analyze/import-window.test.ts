import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ImportsSummary, SummaryFile } from '../../scenarios/lib/contract.ts';
import type { RequestSample, RunResults } from '../model/results.ts';
import { importWindowOf, startedInWindow, windowLatency, type ImportWindow } from './import-window.ts';
import { samplesFromK6Csv } from '../run/drivers/k6/csv.ts';
import { serviceTimeMs, startedMs } from '../model/request-times.ts';

/** The staged profile of one real default run: its k6 summary, its k6 CSV samples (see drivers/k6/csv.test.ts), its results.json. */
const summary = JSON.parse(readFileSync(new URL('../run/drivers/k6/fixtures/k6-summary-staged.json', import.meta.url), 'utf8')) as SummaryFile;
const catalog = samplesFromK6Csv(readFileSync(new URL('../run/drivers/k6/fixtures/k6-samples-staged.csv', import.meta.url), 'utf8')).filter(
  (s) => s.stream === 'catalog',
);
const recorded = (JSON.parse(readFileSync(new URL('../run/fixtures/results-concurrent.json', import.meta.url), 'utf8')) as RunResults).profiles.find(
  (p) => p.name === 'staged',
)!;
const TIMING = { startOf: startedMs, latencyOf: (s: RequestSample) => serviceTimeMs(s)! };
const window = importWindowOf(summary.lockbench.imports)!;

/** The recorded catalog update that started first after `ms`. */
function firstStartedAfter(ms: number): RequestSample {
  return catalog.filter((s) => startedMs(s) > ms).reduce((a, b) => (startedMs(a) <= startedMs(b) ? a : b));
}

describe('importWindowOf', () => {
  it('spans the first import request sent to the last import answer', () => {
    expect(window).toEqual({ startMs: summary.lockbench.imports.firstStartEpochMs, endMs: summary.lockbench.imports.lastEndEpochMs });
    expect(window.endMs - window.startMs).toBe(summary.lockbench.imports.wallMs);
  });

  it('is unknown when some import never answered', () => {
    const unanswered: ImportsSummary = { ...summary.lockbench.imports, completed: 4, wallMs: null };
    expect(importWindowOf(unanswered)).toBeNull();
    expect(importWindowOf(null)).toBeNull();
  });
});

describe('catalog updates inside the import window, on a recorded staged run', () => {
  it('keeps only the updates that started inside it: the figures the run recorded', () => {
    const latency = windowLatency(catalog, window, TIMING, { code: 'samples-not-read' });
    // The same counts; the figures to the microsecond epoch times keep (sent = end - duration).
    expect(latency).toMatchObject({ inWindow: recorded.importWindow!.catalog.inWindow, total: recorded.importWindow!.catalog.total });
    expect(latency.p50Ms).toBeCloseTo(recorded.importWindow!.catalog.p50Ms!, 3);
    expect(latency.p99Ms).toBeCloseTo(recorded.importWindow!.catalog.p99Ms!, 3);
    expect(latency).toMatchObject({ inWindow: 61, total: 401 });
    // Uncontended updates before and after the imports dilute the whole-run p99.
    expect(latency.p99Ms).toBeGreaterThan(summary.lockbench.latency.catalog!.p99Ms!);
  });

  it('does not count an update that started just after the window closed, and counts it once the window reaches it', () => {
    const after = firstStartedAfter(window.endMs);
    expect(after.sentMs! - window.endMs).toBeLessThan(50); // one update interval at 20/s
    expect(startedInWindow(catalog, window, TIMING.startOf)).not.toContain(after);

    const closingJustBefore: ImportWindow = { ...window, endMs: after.sentMs! - 0.001 };
    const closingOnIt: ImportWindow = { ...window, endMs: after.sentMs! };
    expect(startedInWindow(catalog, closingJustBefore, TIMING.startOf)).toHaveLength(61);
    expect(startedInWindow(catalog, closingOnIt, TIMING.startOf)).toHaveLength(62);
  });

  it('does not count an update that started just before the window opened', () => {
    const first = firstStartedAfter(window.startMs);
    const openingJustAfter: ImportWindow = { ...window, startMs: first.sentMs! + 0.001 };
    expect(startedInWindow(catalog, openingJustAfter, TIMING.startOf)).not.toContain(first);
    expect(startedInWindow(catalog, openingJustAfter, TIMING.startOf)).toHaveLength(60);
  });

  it('has null figures, with the reason, for an empty window, an unknown window or samples not read', () => {
    // Between two updates 50 ms apart: nothing started inside.
    const first = firstStartedAfter(window.startMs);
    const empty: ImportWindow = { startMs: first.sentMs! + 0.001, endMs: first.sentMs! + 1 };
    const notRead = { code: 'samples-not-read' } as const;
    expect(windowLatency(catalog, empty, TIMING, notRead)).toEqual({ inWindow: 0, total: 401, p50Ms: null, p99Ms: null, reason: { code: 'window-empty' } });
    expect(windowLatency(catalog, null, TIMING, notRead)).toEqual({ inWindow: null, total: 401, p50Ms: null, p99Ms: null, reason: { code: 'window-unknown' } });
    expect(windowLatency(null, window, TIMING, notRead)).toEqual({ inWindow: null, total: null, p50Ms: null, p99Ms: null, reason: notRead });
  });
});

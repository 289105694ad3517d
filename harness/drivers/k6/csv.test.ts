import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { summarizeLatencies } from '../stats/percentile.ts';
import { K6CsvError, parseCsv, requestSamplesFromCsv, type RequestSample } from './k6-samples.ts';
import type { SummaryFile } from './metrics.ts';

/**
 * Recorded from the staged profile of a real default run (k6 v2.2.0, K6_CSV_TIME_FORMAT=unix_micro):
 * the header and the first 40 rows as written, then only the http_req_duration rows (every one of
 * them), to keep the file small. k6-summary-staged.json is the same run's summary.
 */
const csv = readFileSync(new URL('./fixtures/k6-samples-staged.csv', import.meta.url), 'utf8');
const summary = JSON.parse(readFileSync(new URL('./fixtures/k6-summary-staged.json', import.meta.url), 'utf8')) as SummaryFile;
const samples = requestSamplesFromCsv(csv);
const of = (scenario: string): RequestSample[] => samples.filter((s) => s.scenario === scenario);

describe('requestSamplesFromCsv on a recorded run', () => {
  it('reads one sample per request of every scenario, as many as k6 counted', () => {
    for (const scenario of ['imports', 'catalog', 'reads']) {
      expect(of(scenario), scenario).toHaveLength(summary.metrics[`http_reqs{scenario:${scenario}}`]!.values.count!);
    }
    expect(samples).toHaveLength(of('imports').length + of('catalog').length + of('reads').length);
  });

  it('gives the latencies k6 summarized: the same p50, p99 and max as the summary', () => {
    const k6 = summary.metrics['http_req_duration{scenario:catalog}']!.values;
    const catalog = summarizeLatencies(of('catalog').map((s) => s.durationMs));
    expect(catalog.p50Ms).toBeCloseTo(k6.med!, 6);
    expect(catalog.p99Ms).toBeCloseTo(k6['p(99)']!, 6);
    expect(catalog.maxMs).toBeCloseTo(k6.max!, 6);
  });

  it('takes the timestamp as the end of a request: the imports end at the last answer and start just after they were sent', () => {
    const imports = summary.lockbench.imports;
    for (const s of of('imports')) expect(s.startMs).toBeCloseTo(s.endMs - s.durationMs, 6);
    const ends = of('imports').map((s) => s.endMs);
    const starts = of('imports').map((s) => s.startMs);
    // Date.now() in the script truncates to the millisecond; k6 builds the 100-entry body before sending.
    expect(Math.max(...ends) - imports.lastEndEpochMs!).toBeGreaterThanOrEqual(0);
    expect(Math.max(...ends) - imports.lastEndEpochMs!).toBeLessThan(1);
    expect(Math.min(...starts) - imports.firstStartEpochMs!).toBeGreaterThanOrEqual(0);
    expect(Math.min(...starts) - imports.firstStartEpochMs!).toBeLessThan(50);
  });
});

describe('requestSamplesFromCsv on broken input', () => {
  it('names a missing column', () => {
    expect(() => requestSamplesFromCsv('metric_name,timestamp,metric_value\n')).toThrow(K6CsvError);
    expect(() => requestSamplesFromCsv('metric_name,timestamp,metric_value\n')).toThrow(/no "scenario" column/);
    expect(() => requestSamplesFromCsv('')).toThrow(/empty/);
  });

  it('skips a last row cut short by an interrupted write', () => {
    const [header, row] = csv.split('\n').filter((line) => line.startsWith('metric_name') || line.startsWith('http_req_duration,'));
    expect(requestSamplesFromCsv(`${header}\n${row}\n${row!.slice(0, 40)}`)).toHaveLength(1);
  });
});

describe('parseCsv', () => {
  it('reads quoted fields with commas, doubled quotes and line breaks, as Go writes them', () => {
    expect(parseCsv('a,"b,c","say ""hi""","two\nlines"\r\nx,,z\n')).toEqual([
      ['a', 'b,c', 'say "hi"', 'two\nlines'],
      ['x', '', 'z'],
    ]);
  });
});

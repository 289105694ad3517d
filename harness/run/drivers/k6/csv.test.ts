import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { SummaryFile } from '../../../../scenarios/lib/contract.ts';
import { summarizeLatencies } from '../../../shared/percentile.ts';
import { parseSamplesCsv } from '../../../model/samples-file.ts';
import { samplesCsv } from '../samples.ts';
import { serviceTimeMs } from '../../../model/request-times.ts';
import type { RequestSample } from '../../../model/results.ts';
import { K6CsvError, samplesFromK6Csv } from './csv.ts';

/**
 * Recorded from the staged profile of a real default run (k6 v2.2.0, K6_CSV_TIME_FORMAT=unix_micro):
 * the header and the first 40 rows as written, then only the http_req_duration rows (every one of
 * them), to keep the file small. k6-summary-staged.json is the same run's summary.
 */
const csv = readFileSync(new URL('./fixtures/k6-samples-staged.csv', import.meta.url), 'utf8');
const summary = JSON.parse(readFileSync(new URL('./fixtures/k6-summary-staged.json', import.meta.url), 'utf8')) as SummaryFile;
const samples = samplesFromK6Csv(csv);
const of = (stream: string): RequestSample[] => samples.filter((s) => s.stream === stream);

describe("k6's CSV converted into the samples file", () => {
  it('gives one sample per request of every scenario, as many as k6 counted, with status and no schedule', () => {
    for (const stream of ['imports', 'catalog', 'reads']) {
      expect(of(stream), stream).toHaveLength(summary.metrics[`http_reqs{scenario:${stream}}`]!.values.count!);
    }
    expect(samples).toHaveLength(of('imports').length + of('catalog').length + of('reads').length);
    expect(samples.every((s) => s.status === 200 && s.error === null && s.scheduledMs === null)).toBe(true);
  });

  it('keeps the latencies k6 summarized: the same p50, p99 and max as the summary', () => {
    const k6 = summary.metrics['http_req_duration{scenario:catalog}']!.values;
    const catalog = summarizeLatencies(of('catalog').map((s) => serviceTimeMs(s)!));
    // Epoch ms near 1.8e12 keep about a microsecond of precision in a double: agree to 0.5 us.
    expect(catalog.p50Ms).toBeCloseTo(k6.med!, 3);
    expect(catalog.p99Ms).toBeCloseTo(k6['p(99)']!, 3);
    expect(catalog.maxMs).toBeCloseTo(k6.max!, 3);
  });

  it('takes the timestamp as the end of a request: the imports end at the last answer and were sent just after they started', () => {
    const imports = summary.lockbench.imports;
    const ends = of('imports').map((s) => s.endMs);
    const sent = of('imports').map((s) => s.sentMs!);
    // Date.now() in the script truncates to the millisecond; k6 builds the 100-entry body before sending.
    expect(Math.max(...ends) - imports.lastEndEpochMs!).toBeGreaterThanOrEqual(0);
    expect(Math.max(...ends) - imports.lastEndEpochMs!).toBeLessThan(1);
    expect(Math.min(...sent) - imports.firstStartEpochMs!).toBeGreaterThanOrEqual(0);
    expect(Math.min(...sent) - imports.firstStartEpochMs!).toBeLessThan(50);
  });

  it('survives a round trip through the samples file', () => {
    expect(parseSamplesCsv(samplesCsv(samples))).toEqual(samples);
  });

  it("names k6's error codes as the samples file does", () => {
    const header = csv.split('\n')[0]!;
    const row = (code: string, status: string) =>
      `http_req_duration,1795853696926189,0.000000,,,${code},false,,GET,GET /api/artifacts,,reads,,${status},,,GET /api/artifacts,,`;
    const converted = samplesFromK6Csv([header, row('1212', '0'), row('1050', '0'), row('1220', '0'), row('', '503')].join('\n'));
    expect(converted.map((s) => [s.error, s.status, s.sentMs === null])).toEqual([
      ['refused', 0, true],
      ['timeout', 0, true],
      ['reset', 0, true],
      [null, 503, false],
    ]);
  });
});

describe("k6's CSV on broken input", () => {
  it('names a missing column', () => {
    expect(() => samplesFromK6Csv('metric_name,timestamp,metric_value\nhttp_req_duration,1,2\n')).toThrow(K6CsvError);
    expect(() => samplesFromK6Csv('metric_name,timestamp,metric_value\nhttp_req_duration,1,2\n')).toThrow(/"scenario"/);
    expect(() => samplesFromK6Csv('')).toThrow(/empty/);
  });

  it('skips a last row cut short by an interrupted write', () => {
    const [header, row] = csv.split('\n').filter((line) => line.startsWith('metric_name') || line.startsWith('http_req_duration,'));
    expect(samplesFromK6Csv(`${header}\n${row}\n${row!.slice(0, 40)}`)).toHaveLength(1);
  });
});

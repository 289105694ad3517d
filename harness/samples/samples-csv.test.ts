import { describe, expect, it } from 'vitest';
import { formatSamplesCsv, parseSamplesCsv, SamplesCsvError, type SampleRow } from './samples-csv.ts';
import { readFileSync } from 'node:fs';

const rows: SampleRow[] = [
  { stream: 'catalog', scheduledMs: 1795853696900.5, sentMs: 1795853696901.25, endMs: 1795853696930.375, status: 200, error: null },
  { stream: 'imports', scheduledMs: null, sentMs: 1795853696902, endMs: 1795853699902, status: 0, error: 'timeout' },
];

describe('samples CSV', () => {
  it('reads back what it writes: empty scheduled time as null, empty error as null', () => {
    const text = formatSamplesCsv(rows);
    expect(text.split('\n')[0]).toBe('stream,scheduled_ms,sent_ms,end_ms,status,error');
    expect(parseSamplesCsv(text)).toEqual(rows);
  });

  it('refuses a file with another header, saying which header it expects', () => {
    expect(() => parseSamplesCsv('metric_name,timestamp\nhttp_reqs,1\n')).toThrow(SamplesCsvError);
    expect(() => parseSamplesCsv('metric_name,timestamp\n')).toThrow(/stream,scheduled_ms,sent_ms,end_ms,status,error/);
  });

  it('names the line and column of a value that is not a number', () => {
    expect(() => parseSamplesCsv('stream,scheduled_ms,sent_ms,end_ms,status,error\ncatalog,,12,x,200,\n')).toThrow(/line 2: "end_ms"/);
  });

  it('reads the converted recorded samples of the staged profile', () => {
    const recorded = parseSamplesCsv(readFileSync(new URL('../reports/html/fixtures/samples-staged.csv', import.meta.url), 'utf8'));
    expect(recorded).toHaveLength(507);
    expect(new Set(recorded.map((r) => r.stream))).toEqual(new Set(['catalog', 'imports', 'reads']));
    expect(recorded.every((r) => r.endMs >= r.sentMs && r.status === 200 && r.error === null)).toBe(true);
  });
});

import { describe, expect, it } from 'vitest';
import { crossCheckWord, formatDuration, formatMs, formatValue } from './format.ts';
import { workloadCriteriaTable } from './streams.ts';
import { recordedDefaultRun } from './testing.ts';

describe('formatMs', () => {
  it('shows a figure whole from 100 ms up, either sign, and with one decimal below', () => {
    expect([0.04, 13.94, 99.94, 100, 3061.4, -150.3].map((v) => formatMs(v))).toEqual([
      '0.0 ms', '13.9 ms', '99.9 ms', '100 ms', '3,061 ms', '-150 ms',
    ]);
  });

  it('takes the decimals, finer ones below 10 ms, a sign, no unit and a word for a missing figure as asked', () => {
    expect(formatMs(13.951, { digits: 2 })).toBe('13.95 ms');
    expect([0.0123, 45.31, 150.4].map((v) => formatMs(v, { digitsBelow10: 2 }))).toEqual(['0.01 ms', '45.3 ms', '150 ms']);
    expect([1.114, 0, -1.114, -3049.6].map((v) => formatMs(v, { digits: 2, signed: true, unit: false }))).toEqual(['+1.11', '+0.00', '-1.11', '-3,050']);
    expect([null, undefined].map((v) => formatMs(v))).toEqual(['not measured', 'not measured']);
    expect(formatMs(null, { missing: '-' })).toBe('-');
  });

  it('keeps the decimals at every size, without separators, when whole ms are never wanted', () => {
    expect(formatMs(15263.644, { digits: 2, wholeFromMs: Infinity })).toBe('15263.64 ms');
    expect(formatMs(12345.6, { digits: 0, wholeFromMs: Infinity })).toBe('12346 ms');
  });

  it('is what every report figure in ms reads as', () => {
    expect(formatValue(3061.4, 'ms')).toBe(formatMs(3061.4));
    expect(formatDuration(99.5)).toBe(formatMs(99.5, { digits: 0 }));
    expect(formatDuration(999.4)).toBe('999 ms');
  });
});

describe("a profile's findings, criterion by criterion", () => {
  it('gives only the criteria its workload judges (the smoke check speaks of no waits)', () => {
    const results = recordedDefaultRun();
    for (const p of results.profiles) p.workload!.criteria = p.workload!.criteria.filter((c) => !['catalog-p99', 'workflow-p99'].includes(c.id));
    const { rows } = workloadCriteriaTable(results);
    expect(rows.map((r) => r[0])).toEqual(['lock-hold', 'import-wall', 'success', 'no-loss']);
    expect(rows.flat().join(' ')).not.toContain('not measured');
  });

  it('says a judged wait was not measured, and fails it', () => {
    const results = recordedDefaultRun();
    const staged = results.profiles.find((p) => p.gated)!;
    Object.assign(staged.workload!.criteria.find((c) => c.id === 'catalog-p99')!, { measured: null, pass: false, code: 'no-samples' });
    const row = workloadCriteriaTable(results).rows.find((r) => r[0] === 'catalog-p99')!;
    expect(row[3]).toMatch(/^not measured.* FAIL$/);
    expect(workloadCriteriaTable(results).rows.find((r) => r[0] === 'workflow-p99')![3]).toBe('75.9 ms pass');
  });
});

describe('crossCheckWord', () => {
  it('words each outcome as a reader reads it, never as its code', () => {
    expect((['agree', 'fault', 'not-checked'] as const).map((outcome) => crossCheckWord({ outcome }))).toEqual(['agree', 'FAULT', 'not checked']);
  });
});

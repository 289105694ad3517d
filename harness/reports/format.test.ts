import { describe, expect, it } from 'vitest';
import { formatDuration, formatMs, formatValue } from './format.ts';

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

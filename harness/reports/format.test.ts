import { describe, expect, it } from 'vitest';
import { crossCheckWord, findingSentence, formatDuration, formatMs, formatOptionValue, formatValue } from './format.ts';
import { recordedResults } from './testing.ts';

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

describe('formatOptionValue', () => {
  it('writes settings as name=value pairs, lists comma-separated, and no settings as none', () => {
    expect(formatOptionValue({ artifactWorkMs: 2, importMode: 'batched' })).toBe('{artifactWorkMs=2,importMode=batched}');
    expect(formatOptionValue({})).toBe('none');
    expect(formatOptionValue(['before', 'staged'])).toBe('before,staged');
    expect(formatOptionValue(null)).toBe('null');
  });
});

describe('findingSentence', () => {
  it('does not speak of waits the scenario neither measured nor judges (the smoke check)', () => {
    const profile = recordedResults().profiles.find((p) => p.gated)!;
    profile.metrics = { ...profile.metrics, catalogP99Ms: null, workflowWriteP99Ms: null };
    profile.criteria = profile.criteria.filter((c) => c.metric !== 'catalogP99Ms' && c.metric !== 'workflowWriteP99Ms');
    const sentence = findingSentence(profile);
    expect(sentence).not.toContain('not measured');
    expect(sentence).toMatch(/^staged meets every criterion: the longest write-lock hold was 14\.0 ms \(observed\), and the imports took 3,031 ms\.$/);
  });

  it('says a judged wait was not measured', () => {
    const profile = recordedResults().profiles.find((p) => p.gated)!;
    profile.metrics = { ...profile.metrics, catalogP99Ms: null };
    expect(findingSentence(profile)).toContain('catalog updates waited up to not measured (p99) and workflow writes up to 80.5 ms (p99)');
  });
});

describe('crossCheckWord', () => {
  it('words each outcome as a reader reads it, never as its code', () => {
    expect((['agree', 'fault', 'not-checked'] as const).map((outcome) => crossCheckWord({ outcome }))).toEqual(['agree', 'FAULT', 'not checked']);
  });
});

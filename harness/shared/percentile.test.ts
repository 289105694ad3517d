import { describe, expect, it } from 'vitest';
import { interpolatedPercentile, summarizeLatencies } from './percentile.ts';

describe('interpolatedPercentile', () => {
  it('interpolates between the closest ranks as k6 does', () => {
    const values = Array.from({ length: 11 }, (_, i) => i * 10); // 0, 10, .., 100
    expect(interpolatedPercentile(values, 50)).toBe(50);
    expect(interpolatedPercentile(values, 99)).toBeCloseTo(99, 9); // rank 9.9: 90 + 0.9 x 10
    expect(interpolatedPercentile([1, 2], 50)).toBe(1.5);
    expect(interpolatedPercentile([7], 99)).toBe(7);
  });

  it('is null for no values', () => {
    expect(interpolatedPercentile([], 99)).toBeNull();
    expect(summarizeLatencies([])).toEqual({ count: 0, p50Ms: null, p99Ms: null, maxMs: null });
  });

  it('sorts what it summarizes', () => {
    expect(summarizeLatencies([30, 10, 20])).toEqual({ count: 3, p50Ms: 20, p99Ms: 29.8, maxMs: 30 });
  });
});

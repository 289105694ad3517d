import { describe, expect, it } from 'vitest';
import { createLatencyHistogram } from './latency-histogram.ts';

describe('createLatencyHistogram', () => {
  it('reports nothing recorded as nulls, not zeros', () => {
    expect(createLatencyHistogram().summary()).toEqual({ count: 0, p50Ms: null, p99Ms: null, maxMs: null });
  });

  it('keeps sub-millisecond writes and multi-second stalls in one distribution to three significant digits', () => {
    const histogram = createLatencyHistogram();
    for (let i = 1; i <= 1000; i++) histogram.record(i / 10); // 0.1 .. 100 ms
    histogram.record(16_143.7);
    const summary = histogram.summary();
    expect(summary.count).toBe(1001);
    expect(summary.p50Ms).toBeCloseTo(50, 0);
    expect(summary.p99Ms).toBeCloseTo(99, 0);
    expect(Math.abs(summary.maxMs! - 16_143.7) / 16_143.7).toBeLessThan(0.001);
  });
});

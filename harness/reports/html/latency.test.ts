import { describe, expect, it } from 'vitest';
import type { RequestSample as SampleRow } from '../../model/results.ts';
import { interpolatedPercentile as percentile } from '../../shared/percentile.ts';
import { latenciesByStream, latencyPoints, percentileCurve } from './latency.ts';

function sample(stream: string, sentMs: number, latency: number, error: string | null = null): SampleRow {
  return { stream, scheduledMs: null, sentMs, endMs: sentMs + latency, status: error ? 0 : 200, error };
}

describe('latency over time', () => {
  it('draws every request when there are few', () => {
    const samples = [sample('catalog', 1000, 3), sample('reads', 1010, 5, 'refused')];
    const { points, binned } = latencyPoints(samples, 1000);
    expect(binned).toBe(false);
    expect(points).toEqual([
      { stream: 'catalog', sentMs: 0, latencyMs: 3, failed: false, requests: 1 },
      { stream: 'reads', sentMs: 10, latencyMs: 5, failed: true, requests: 1 },
    ]);
  });

  it('beyond the limit bins the fast bulk but keeps the slow tail and every failure as points', () => {
    const samples: SampleRow[] = [];
    for (let i = 0; i < 20_000; i++) samples.push(sample('catalog', i, 2 + (i % 7) * 0.1));
    for (let i = 0; i < 50; i++) samples.push(sample('catalog', i * 400, 3000 + i));
    samples.push(sample('catalog', 5, 2, 'timeout'));
    const { points, binned, requests } = latencyPoints(samples, 0, { points: 5000, binned: 2500 });
    expect(binned).toBe(true);
    expect(points.length).toBeLessThanOrEqual(2500);
    expect(points.reduce((n, p) => n + p.requests, 0)).toBe(requests);
    expect(points.filter((p) => p.latencyMs >= 3000)).toHaveLength(50);
    expect(points.filter((p) => p.failed)).toHaveLength(1);
  });
});

describe('percentile curve', () => {
  it('passes through the percentiles the criteria compute', () => {
    const sorted = latenciesByStream(Array.from({ length: 1000 }, (_, i) => sample('catalog', i, (i * 7919) % 1000))).get('catalog')!;
    const curve = percentileCurve(sorted);
    expect(curve.length).toBeLessThanOrEqual(400);
    expect(curve[0]).toEqual({ percentile: 0, latencyMs: sorted[0] });
    expect(curve.at(-1)!.percentile).toBeCloseTo(99.9, 6);
    for (const point of curve) expect(point.latencyMs).toBe(percentile(sorted, point.percentile));
  });
});

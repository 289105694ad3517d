/** The driver's own lateness per stream, from the samples: sent_ms - scheduled_ms, held against the stream's latency. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { LockbenchSummary, ScenarioLatency } from '../../scenarios/lib/contract.ts';
import { samplesFromK6Csv } from './drivers/k6/csv.ts';
import type { RequestSample } from '../model/results.ts';
import { SEND_LAG_SHARE_LIMIT, sendLagFigures } from '../analyze/metrics.ts';

const T0 = 1_700_000_000_000;

/** A request scheduled `atMs` after t0, sent `lagMs` late, answered `serviceMs` later. */
function sample(stream: string, atMs: number, lagMs: number | null, serviceMs = 10): RequestSample {
  const scheduledMs = T0 + atMs;
  const sentMs = lagMs === null ? null : scheduledMs + lagMs;
  return { stream, scheduledMs, sentMs, endMs: (sentMs ?? scheduledMs) + serviceMs, status: lagMs === null ? 0 : 200, error: lagMs === null ? 'refused' : null };
}

function summaryWith(latency: Record<string, Partial<ScenarioLatency>>): LockbenchSummary {
  return { latency } as unknown as LockbenchSummary;
}

describe('sendLagFigures', () => {
  it('gives p50 / p99 / max per stream, and the first second apart', () => {
    // Catalog every 100 ms for 3 s: the first one 20 ms late (a cold start), the rest 0.5 ms; one 4 ms at 2 s.
    const catalog = Array.from({ length: 30 }, (_, i) => sample('catalog', i * 100, i === 0 ? 20 : i === 20 ? 4 : 0.5));
    const figures = sendLagFigures({ requestSamples: catalog, summary: summaryWith({ catalog: { p99Ms: 1_000 } }) }, { catalog: 1_000 })!;
    const lag = figures.streams[0]!;
    expect(lag.stream).toBe('catalog');
    expect(lag.lag).toMatchObject({ count: 30, p50Ms: 0.5, maxMs: 20 });
    // k6's definition, interpolated between the two slowest: rank 0.99 x 29 = 28.71.
    expect(lag.lag!.p99Ms).toBeCloseTo(4 + (20 - 4) * 0.71, 9);
    expect(lag.firstSecond).toMatchObject({ count: 10, p50Ms: 0.5, maxMs: 20 });
  });

  it('marks a stream whose lag p99 exceeds 5 % of the p99 the criteria judge', () => {
    const samples = [...Array.from({ length: 10 }, (_, i) => sample('catalog', i * 50, 6)), ...Array.from({ length: 10 }, (_, i) => sample('reads', i * 200, 6))];
    const summary = summaryWith({ catalog: { p99Ms: 1_000 }, reads: { p99Ms: 1_000 } });
    // The catalog is held against its judged (in-window) p99, 100 ms: 6 ms is over 5 %. The reads against their whole run.
    const figures = sendLagFigures({ requestSamples: samples, summary }, { catalog: 100 })!;
    expect(figures.shareLimit).toBe(SEND_LAG_SHARE_LIMIT);
    expect(figures.streams.map((s) => [s.stream, s.code, s.latencyBasis, s.latencyP99Ms])).toEqual([
      ['catalog', 'exceeds-share', 'judged', 100],
      ['reads', 'within-share', 'whole-run', 1_000],
    ]);
  });

  it('holds any stream whose p99 a criterion judges against that figure, by its name', () => {
    const samples = [...Array.from({ length: 10 }, (_, i) => sample('orders', i * 50, 6)), ...Array.from({ length: 10 }, (_, i) => sample('catalog', i * 50, 6))];
    const summary = summaryWith({ orders: { p99Ms: 1_000 }, catalog: { p99Ms: 1_000 } });
    const figures = sendLagFigures({ requestSamples: samples, summary }, { orders: 100 })!;
    expect(figures.streams.map((s) => [s.stream, s.code, s.latencyBasis, s.latencyP99Ms])).toEqual([
      ['orders', 'exceeds-share', 'judged', 100],
      ['catalog', 'within-share', 'whole-run', 1_000],
    ]);
  });

  it('is within the share at exactly 5 %', () => {
    const samples = Array.from({ length: 5 }, (_, i) => sample('catalog', i * 50, 5));
    expect(sendLagFigures({ requestSamples: samples, summary: null }, { catalog: 100 })!.streams[0]!.code).toBe('within-share');
  });

  it('says "no-latency" where the stream has no latency to hold the lag against', () => {
    const figures = sendLagFigures({ requestSamples: [sample('reads', 0, 1)], summary: null }, { catalog: null })!;
    expect(figures.streams[0]).toMatchObject({ code: 'no-latency', latencyP99Ms: null, lag: { count: 1 } });
  });

  it('measures nothing where the driver reports no schedule (k6 samples), or nothing was sent', () => {
    const k6 = samplesFromK6Csv(readFileSync(new URL('./drivers/k6/fixtures/k6-samples-staged.csv', import.meta.url), 'utf8'));
    const figures = sendLagFigures({ requestSamples: k6, summary: null }, { catalog: 50 })!;
    expect(figures.streams.length).toBeGreaterThan(0);
    for (const s of figures.streams) expect(s).toMatchObject({ code: 'no-schedule', lag: null, firstSecond: null });
    expect(sendLagFigures({ requestSamples: [sample('catalog', 0, null)], summary: null }, { catalog: 50 })!.streams[0]).toMatchObject({ code: 'none-sent', lag: null });
  });

  it('is null when the samples were not read', () => {
    expect(sendLagFigures({ requestSamples: null, summary: null }, { catalog: null })).toBeNull();
  });

  it('lists the streams in the driver\'s order', () => {
    const samples = [sample('reads', 0, 1), sample('catalog', 0, 1), sample('imports', 0, 1)];
    const summary = summaryWith({ imports: {}, catalog: {}, reads: {} });
    expect(sendLagFigures({ requestSamples: samples, summary }, { catalog: null })!.streams.map((s) => s.stream)).toEqual(['imports', 'catalog', 'reads']);
  });
});

import { describe, expect, it } from 'vitest';
import { BUILTIN_VARY_SETTINGS, buildPlan, resolveVary } from '../sweep.ts';
import { sweepStreamsTable } from '../../reports/streams.ts';
import { parseWorkload } from './load.ts';
import { DOC_DIR, shop } from './testing/bad-workloads.ts';
import { splitStreamSettings, streamSettingNames, withStreamSettings, workloadVarySettings } from './vary.ts';
import type { StreamFigures, WorkloadResult } from '../../model/workload.ts';

const loaded = parseWorkload(shop(), 'shop', DOC_DIR);

describe("a sweep over a workload's streams", () => {
  it("names each stream's figures by its executor and reads a ladder of rates", () => {
    expect(streamSettingNames(loaded)).toEqual(['streams.orders.rate', 'streams.restocks.rate', 'streams.product-reads.rate', 'streams.report.rate']);
    const settings = workloadVarySettings(loaded, BUILTIN_VARY_SETTINGS);
    const axes = resolveVary({ vary: ['streams.orders.rate=1,2,4,8', 'batchSize=10,50'], settings });
    expect(axes).toEqual([
      { key: 'streams.orders.rate', values: [1, 2, 4, 8] },
      { key: 'batchSize', values: [10, 50] },
    ]);
    expect(buildPlan({ base: 'staged', vary: axes, seed: 1 }).points).toHaveLength(8);
  });

  it('refuses a stream it does not have, a field its executor lacks, and a rate that is not > 0, naming what there is', () => {
    const settings = workloadVarySettings(loaded, BUILTIN_VARY_SETTINGS);
    expect(() => resolveVary({ vary: ['streams.order.rate=1,2'], settings })).toThrow(/unknown setting "streams.order.rate"; .*the workload's streams: streams.orders.rate/);
    expect(() => resolveVary({ vary: ['streams.orders.vus=1,2'], settings })).toThrow(/unknown setting "streams.orders.vus"/);
    expect(() => resolveVary({ vary: ['streams.orders.rate=0,2'], settings })).toThrow(/streams.orders.rate: expected a number > 0, got "0"/);
  });

  it("sends a point's stream figures to the workload, the rest to the target; the in-flight bound grows with the rate", () => {
    expect(splitStreamSettings({ 'streams.orders.rate': 100, batchSize: 10 })).toEqual({ streams: { 'streams.orders.rate': 100 }, target: { batchSize: 10 } });
    const orders = loaded.workload.streams.find((s) => s.name === 'orders')!;
    const faster = withStreamSettings(loaded, { 'streams.orders.rate': 100 }).workload.streams.find((s) => s.name === 'orders')!;
    if (orders.executor.type !== 'constant-arrival-rate' || faster.executor.type !== 'constant-arrival-rate') throw new Error('orders runs at a rate');
    expect(faster.executor.rate).toBe(100);
    expect(faster.executor.maxVUs).toBe(orders.executor.maxVUs * 2);
    // The others are left as they are.
    expect(withStreamSettings(loaded, { 'streams.orders.rate': 100 }).workload.streams.filter((s) => s.name !== 'orders')).toEqual(loaded.workload.streams.filter((s) => s.name !== 'orders'));
  });

  it("varies a constant-vus stream's VUs, a whole number", () => {
    const file = shop() as { streams: Record<string, Record<string, unknown>> };
    file.streams['product-reads'] = { executor: 'constant-vus', vus: 2, duration: '10s', request: { method: 'GET', path: '/products/1' } };
    const closed = parseWorkload(file, 'shop', DOC_DIR);
    expect(streamSettingNames(closed)).toContain('streams.product-reads.vus');
    const settings = workloadVarySettings(closed, BUILTIN_VARY_SETTINGS);
    expect(resolveVary({ vary: ['streams.product-reads.vus=1,2,4'], settings })).toEqual([{ key: 'streams.product-reads.vus', values: [1, 2, 4] }]);
    expect(() => resolveVary({ vary: ['streams.product-reads.vus=1.5'], settings })).toThrow(/expected a whole number >= 1/);
    const reads = withStreamSettings(closed, { 'streams.product-reads.vus': 8 }).workload.streams.find((s) => s.name === 'product-reads')!;
    expect(reads.executor).toEqual({ type: 'constant-vus', vus: 8, durationMs: 10_000 });
  });

  it('tables each point and stream over the repeats: requests and lock errors summed, p99 the median, failed criteria named', () => {
    const judged = (p99: number, pass: boolean): WorkloadResult => ({
      name: 'shop',
      source: 'shop.yaml',
      busyTimeoutMs: 5000,
      lockSource: 'observed',
      streams: [{ stream: 'orders', kind: 'http', requests: 10, successes: 9, partial: 0, lockErrors: { total: 1, fast: 1, timedOut: 0, unknown: 0 }, otherErrors: 0, p50Ms: 5, p99Ms: p99, acknowledged: null }],
      criteria: [{ id: 'orders-p99', type: 'latency', comparison: '<', threshold: 300, measured: p99, unit: 'ms', pass }],
    });
    const { rows } = sweepStreamsTable(
      [{ id: 'streams.orders.rate-8' }],
      [100, 400, 200].map((p99) => ({ pointId: 'streams.orders.rate-8', result: { workload: judged(p99, p99 < 300) } })),
    );
    expect(rows).toEqual([['streams.orders.rate-8', 'orders', '3', '30', '3 (fast 3, timed out 0)', '0', '0', '5.0 ms', '200 ms', 'FAIL orders-p99']]);
  });

  it('sums over the repeats the requests that got no answer, by why, apart from error answers; unsplit when a repeat did not keep the split', () => {
    const stream = { stream: 'orders', kind: 'http' as const, requests: 10, successes: 7, partial: 0, lockErrors: { total: 0, fast: 0, timedOut: 0, unknown: 0 }, p50Ms: 5, p99Ms: 9, acknowledged: null };
    const result = (figures: Partial<StreamFigures>) => ({ workload: { name: 'shop', source: 'shop.yaml', busyTimeoutMs: null, lockSource: 'none' as const, streams: [{ ...stream, otherErrors: 3, ...figures }], criteria: [] } });
    const split = [result({ noAnswer: { total: 1, byKind: { timeout: 1 } }, errorAnswers: 2 }), result({ noAnswer: { total: 2, byKind: { timeout: 1, reset: 1 } }, errorAnswers: 1 })];
    const row = (results: ReturnType<typeof result>[]) => sweepStreamsTable([{ id: 'p' }], results.map((r) => ({ pointId: 'p', result: r })));
    expect(row(split).header.slice(5, 7)).toEqual(['no answer', 'error answers']);
    expect(row(split).rows[0]!.slice(5, 7)).toEqual(['3 (timeout 2, reset 1)', '3']);
    expect(row([...split, result({})]).rows[0]!.slice(5, 7)).toEqual(['-', '9 (not split)']);
  });
});

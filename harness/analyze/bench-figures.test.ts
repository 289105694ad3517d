/** The driver benchmark's figures from samples, and its targets judged on them. */
import { describe, expect, it } from 'vitest';
import type { RequestSample } from '../model/results.ts';
import type { DriverMeasurement, LoadFigures } from '../model/bench.ts';
import { benchResult, figuresFromSamples, judge } from './bench-figures.ts';

const sample = (scheduledMs: number, sentMs: number, endMs: number, status = 200): RequestSample => ({ stream: 'catalog', scheduledMs, sentMs, endMs, status, error: null });

function measured(driver: DriverMeasurement['driver'], figures: Partial<LoadFigures>): DriverMeasurement {
  return {
    driver,
    status: 'measured',
    routeCpuMs: null,
    mode: '',
    ok: 0,
    failed: 0,
    dropped: 0,
    achievedRate: null,
    lag: null,
    latency: { count: 0, p50Ms: null, p99Ms: null, maxMs: null },
    meanInFlight: null,
    cpuMs: null,
    cpuScope: '',
    loadMs: 1_000,
    ...figures,
  };
}

describe('figuresFromSamples', () => {
  it('takes the rate over the send span, the lag from the schedule and the in-flight mean by Little', () => {
    // Four sends 10 ms apart, each 1 ms late, each answered in 5 ms; the last one fails.
    const samples = [0, 10, 20, 30].map((t, i) => sample(1_000 + t, 1_001 + t, 1_006 + t, i === 3 ? 503 : 200));
    const f = figuresFromSamples(samples);
    expect(f.achievedRate).toBeCloseTo(100);
    expect(f.lag).toMatchObject({ count: 4, p50Ms: 1, maxMs: 1 });
    expect(f.latency).toMatchObject({ count: 4, p50Ms: 5 });
    expect(f.meanInFlight).toBeCloseTo(20 / 30);
    expect(f).toMatchObject({ ok: 3, failed: 1 });
  });

  it('has no rate or lag where nothing was sent, or no schedule was reported', () => {
    expect(figuresFromSamples([{ stream: 'catalog', scheduledMs: 5, sentMs: null, endMs: 6, status: 0, error: 'refused' }])).toMatchObject({ achievedRate: null, lag: null, failed: 1 });
    expect(figuresFromSamples([{ ...sample(0, 1, 2), scheduledMs: null }]).lag).toBeNull();
  });
});

describe('judge', () => {
  const latency = (p50Ms: number) => ({ count: 1, p50Ms, p99Ms: p50Ms, maxMs: p50Ms });

  it("judges the rate at 2,000/s, with autocannon's miss beside it", () => {
    const verdicts = judge(2_000, [measured('builtin', { achievedRate: 1_985, latency: latency(1.1) }), measured('autocannon', { achievedRate: 1_900, latency: latency(1) })]);
    expect(verdicts).toEqual([{ target: 'achieved-rate', measured: expect.closeTo(0.0075, 6), limit: 0.01, pass: true, reference: expect.closeTo(0.05, 6) }]);
  });

  it('judges the lag at 500/s, and no p50 at a rate, where the two load differently', () => {
    const verdicts = judge(500, [measured('builtin', { lag: latency(2.5), latency: latency(1) }), measured('autocannon', { latency: latency(0.1) })]);
    expect(verdicts).toEqual([{ target: 'scheduling-lag', measured: 2.5, limit: 2, pass: false }]);
  });

  it('judges the p50 against autocannon back to back, and fails it where autocannon did not run', () => {
    expect(judge(null, [measured('builtin', { latency: latency(0.11) }), measured('autocannon', { latency: latency(0.1) })])).toEqual([
      { target: 'p50-vs-autocannon', measured: expect.closeTo(0.1, 6), limit: 0.15, pass: true },
    ]);
    expect(judge(null, [measured('builtin', { latency: latency(0.2) }), measured('autocannon', { latency: latency(0.1) })])[0]).toMatchObject({ measured: expect.closeTo(1, 6), pass: false });
    expect(judge(null, [measured('builtin', { latency: latency(1) }), { driver: 'autocannon', status: 'not-run', reason: 'failed' }])).toEqual([
      { target: 'p50-vs-autocannon', measured: null, limit: 0.15, pass: false },
    ]);
  });
});

describe('benchResult', () => {
  it("draws each run's figures from what it measured and judges the case on them, the runs that did not run kept as they are", () => {
    const samples = [0, 10, 20, 30].map((t) => sample(1_000 + t, 1_001 + t, 1_006 + t));
    const result = benchResult({
      startedAt: '2026-01-01T00:00:00.000Z',
      machine: { cpus: 2, cpuModel: 'cpu', node: 'v20', loadAverageBefore: [0, 0, 0], loadAverageAfter: [0, 0, 0] },
      versions: { undici: '7', autocannon: '9', k6: 'k6: not installed' },
      routes: { bare: 'a bare route' },
      durationMs: 1_000,
      builtinFixedCpuMs: null,
      cases: [
        {
          route: 'bare',
          rate: null,
          durationMs: 1_000,
          drivers: [
            { driver: 'builtin', status: 'measured', routeCpuMs: 7, load: { kind: 'samples', mode: 'b2b', samples, dropped: 0, cpuMs: 20, cpuScope: 'own', loadMs: 1_000 } },
            { driver: 'autocannon', status: 'measured', routeCpuMs: null, load: { kind: 'answers', mode: 'closed', ok: 2, failed: 1, latenciesMs: [4, 6], cpuMs: null, cpuScope: 'child', loadMs: 1_000 } },
            { driver: 'k6', status: 'not-run', reason: 'k6: not installed' },
          ],
        },
      ],
    });
    const [builtin, autocannon, k6] = result.cases[0]!.drivers;
    expect(builtin).toMatchObject({ driver: 'builtin', routeCpuMs: 7, mode: 'b2b', ok: 4, failed: 0, dropped: 0, latency: { p50Ms: 5 }, cpuMs: 20, loadMs: 1_000 });
    expect(builtin!.status === 'measured' && builtin!.achievedRate).toBeCloseTo(100);
    // autocannon: answers over the run's duration, its latencies summed over it for the in-flight mean.
    expect(autocannon).toMatchObject({ ok: 2, failed: 1, dropped: null, lag: null, achievedRate: 2, meanInFlight: 0.01, latency: { count: 2, maxMs: 6 } });
    expect(k6).toEqual({ driver: 'k6', status: 'not-run', reason: 'k6: not installed' });
    expect(result.cases[0]!.verdicts).toEqual([{ target: 'p50-vs-autocannon', measured: expect.closeTo(0, 6), limit: 0.15, pass: true }]);
    expect(Object.keys(result)).toEqual(['startedAt', 'machine', 'versions', 'routes', 'durationMs', 'builtinFixedCpuMs', 'cases']);
  });
});

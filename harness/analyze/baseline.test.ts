import { describe, expect, it } from 'vitest';
import type { Baseline, BaselineFigure } from '../model/baseline.ts';
import type { WorkloadFigure } from '../model/results.ts';
import { compareToBaseline } from './baseline.ts';

const host = { cpus: 2, cpuModel: 'x', node: 'v20', platform: 'linux-x64', totalMemoryBytes: 1 };

/** A baseline of workload "shop" (streams orders, restocks) with one profile per `entries` key, whose figures are given. */
function shop(entries: Record<string, BaselineFigure[]>, createdAt = '2026-12-01T00:00:00.000Z'): Baseline {
  return {
    format: 'lockbench-baseline',
    version: 1,
    scenario: 'concurrent',
    createdAt,
    host,
    workload: { name: 'shop', streams: ['orders', 'restocks'] },
    entries: Object.entries(entries).map(([id, figures]) => ({ id, kind: 'profile' as const, settings: {}, figures })),
  };
}
const criterion = (id: string, unit: string, better: 'lower' | 'higher', samples: number[]): BaselineFigure => ({ figure: { criterion: id }, unit, better, samples });
const stream = (name: string, figure: 'p99Ms' | 'lockErrorsFast', samples: number[]): BaselineFigure => ({
  figure: { stream: name, figure },
  unit: figure === 'p99Ms' ? 'ms' : 'count',
  better: 'lower',
  samples,
});
/** Four repeats around `value`, a little apart so the rank test has ranks to work with. */
const four = (value: number) => [value, value * 1.01, value * 0.99, value * 1.02];
const rowOf = (comparison: ReturnType<typeof compareToBaseline>, figure: WorkloadFigure, entryId = 'wal') =>
  comparison.rows.find((r) => r.entryId === entryId && JSON.stringify(r.figure) === JSON.stringify(figure))!;
const compare = (old: BaselineFigure[], now: BaselineFigure[], gated = ['wal']) =>
  compareToBaseline(shop({ wal: old }), shop({ wal: now }, '2026-12-02T00:00:00.000Z'), { gated, source: 'shop-baseline.json' });

describe('compareToBaseline', () => {
  it('finds no significant change between a run and itself', () => {
    const figures = [criterion('orders-p99', 'ms', 'lower', four(200)), criterion('success', 'ratio', 'higher', four(0.99)), stream('orders', 'p99Ms', four(200))];
    const comparison = compare(figures, figures);
    expect(comparison.rows).toHaveLength(3);
    expect(new Set(comparison.rows.map((r) => r.verdict))).toEqual(new Set(['no-change']));
    expect(comparison.rows.every((r) => r.changePct === 0)).toBe(true);
    expect(comparison.pass).toBe(true);
  });

  it('judges a lower-is-better criterion worse when it rises beyond the tolerance, and the regression fails on a gated profile only', () => {
    const old = { wal: [criterion('import-wall', 'ms', 'lower', four(3000))], rollback: [criterion('import-wall', 'ms', 'lower', four(3000))] };
    const now = { wal: [criterion('import-wall', 'ms', 'lower', four(4500))], rollback: [criterion('import-wall', 'ms', 'lower', four(4500))] };
    const comparison = compareToBaseline(shop(old), shop(now), { gated: ['wal'] });
    const row = rowOf(comparison, { criterion: 'import-wall' });
    expect(row).toMatchObject({ entryId: 'wal', verdict: 'worse', gated: true, detectable: true, oldSamples: 4, newSamples: 4 });
    expect(row.changePct).toBeCloseTo(50, 6);
    expect(row.p).toBeCloseTo(2 / 70, 10);
    expect(rowOf(comparison, { criterion: 'import-wall' }, 'rollback')).toMatchObject({ verdict: 'worse', gated: false });
    expect(comparison.regressions).toEqual([row]);
    expect(comparison.pass).toBe(false);
    expect(comparison.workload).toBe('shop');
    expect(compareToBaseline(shop(old), shop(now)).pass).toBe(true);
  });

  it('calls a faster run better and never fails the gate on it', () => {
    const comparison = compare([criterion('import-wall', 'ms', 'lower', four(4500))], [criterion('import-wall', 'ms', 'lower', four(3000))]);
    expect(rowOf(comparison, { criterion: 'import-wall' })).toMatchObject({ verdict: 'better', gated: true });
    expect(comparison.regressions).toEqual([]);
    expect(comparison.pass).toBe(true);
  });

  it('follows the direction: a higher-is-better criterion falling is worse, rising is better', () => {
    const falling = compare([criterion('orders-per-second', 'per-second', 'higher', four(50))], [criterion('orders-per-second', 'per-second', 'higher', four(40))]);
    expect(rowOf(falling, { criterion: 'orders-per-second' }).verdict).toBe('worse');
    expect(falling.pass).toBe(false);
    const rising = compare([criterion('orders-per-second', 'per-second', 'higher', four(50))], [criterion('orders-per-second', 'per-second', 'higher', four(60))]);
    expect(rowOf(rising, { criterion: 'orders-per-second' }).verdict).toBe('better');
    expect(rising.pass).toBe(true);
  });

  it('takes a lower-is-better rate as it is, and a higher-is-better rate on its shortfall', () => {
    const lockErrors = compare([criterion('lock-error-rate', 'ratio', 'lower', [0.01, 0.011, 0.009, 0.012])], [criterion('lock-error-rate', 'ratio', 'lower', [0.02, 0.021, 0.019, 0.022])]);
    expect(rowOf(lockErrors, { criterion: 'lock-error-rate' }).verdict).toBe('worse');
    // 99 % -> 98.5 %: half a percent of the rate, but half as many failures again.
    const success = compare([criterion('success', 'ratio', 'higher', [0.99, 0.991, 0.989, 0.992])], [criterion('success', 'ratio', 'higher', [0.985, 0.986, 0.984, 0.987])]);
    expect(rowOf(success, { criterion: 'success' })).toMatchObject({ verdict: 'worse', better: 'higher' });
    // The same half percent of a rate that should stay low is 0.5 % of it: no change at 10 %.
    const low = compare([criterion('busy-share', 'ratio', 'lower', [0.99, 0.991, 0.989, 0.992])], [criterion('busy-share', 'ratio', 'lower', [0.985, 0.986, 0.984, 0.987])]);
    expect(rowOf(low, { criterion: 'busy-share' }).verdict).toBe('no-change');
  });

  it('calls a change within the tolerance, or of a few milliseconds, no change', () => {
    const small = compare([criterion('orders-p99', 'ms', 'lower', four(1000))], [criterion('orders-p99', 'ms', 'lower', four(1050))]);
    expect(rowOf(small, { criterion: 'orders-p99' }).p!).toBeLessThan(0.05);
    expect(rowOf(small, { criterion: 'orders-p99' }).verdict).toBe('no-change');
    // Every new hold above every old one (p = 0.029) and +35 %, but 5.5 ms: noise, not an effect.
    const fewMs = compare([criterion('lock-hold', 'ms', 'lower', [14, 14.5, 15, 15.5])], [criterion('lock-hold', 'ms', 'lower', [19, 20, 20.5, 21])]);
    expect(rowOf(fewMs, { criterion: 'lock-hold' }).verdict).toBe('no-change');
    const wider = compareToBaseline(shop({ wal: [criterion('orders-p99', 'ms', 'lower', four(1000))] }), shop({ wal: [criterion('orders-p99', 'ms', 'lower', four(1050))] }), {
      gated: ['wal'],
      tolerance: 0.02,
    });
    expect(rowOf(wider, { criterion: 'orders-p99' }).verdict).toBe('worse');
  });

  it('shows the change with "too few samples" and no verdict below 3 repeats, and marks 3 against 3 as unable to detect', () => {
    const few = compare([criterion('import-wall', 'ms', 'lower', [3000, 3010])], [criterion('import-wall', 'ms', 'lower', [4500, 4515])]);
    expect(rowOf(few, { criterion: 'import-wall' })).toMatchObject({ verdict: 'too-few-samples', p: null, detectable: false });
    expect(few.pass).toBe(true);
    const three = compare([criterion('import-wall', 'ms', 'lower', [3000, 3010, 3020])], [criterion('import-wall', 'ms', 'lower', [4500, 4515, 4530])]);
    expect(rowOf(three, { criterion: 'import-wall' })).toMatchObject({ verdict: 'no-change', detectable: false });
    expect(rowOf(three, { criterion: 'import-wall' }).p).toBeCloseTo(0.1, 10);
  });

  it('says "not measured" for a figure one side lacks, and never counts it as a pass of anything', () => {
    const comparison = compare(
      [criterion('orders-p99', 'ms', 'lower', four(200)), criterion('restock-wall', 'ms', 'lower', four(900))],
      [criterion('orders-p99', 'ms', 'lower', []), criterion('stored', 'rows', 'lower', four(0))],
    );
    expect(rowOf(comparison, { criterion: 'orders-p99' })).toMatchObject({ verdict: 'not-measured', old: 201, new: null, newSamples: 0, p: null });
    expect(rowOf(comparison, { criterion: 'restock-wall' })).toMatchObject({ verdict: 'not-measured', new: null, newSamples: 0 });
    expect(rowOf(comparison, { criterion: 'stored' })).toMatchObject({ verdict: 'not-measured', old: null, oldSamples: 0 });
    expect(comparison.rows.some((r) => r.verdict === 'no-change' || r.verdict === 'better')).toBe(false);
  });

  it("against a baseline read from the scenario's metrics, compares only what it kept, and still fails on a regression", () => {
    const old = { ...shop({ wal: [criterion('import-wall', 'ms', 'lower', four(3000))] }), readFrom: 'scenario-metrics' as const };
    const comparison = compareToBaseline(old, shop({ wal: [criterion('import-wall', 'ms', 'lower', four(4500)), criterion('no-loss', 'rows', 'lower', four(0)), stream('orders', 'p99Ms', four(20))] }), {
      gated: ['wal'],
    });
    expect(comparison.readFrom).toBe('scenario-metrics');
    expect(comparison.rows.map((r) => [r.figure, r.verdict])).toEqual([[{ criterion: 'import-wall' }, 'worse']]);
    expect(comparison.pass).toBe(false);
  });

  it('gives one run against one no verdict, gates only the criteria of a gated profile, and lists entries only one side has', () => {
    const once = compare([criterion('orders-p99', 'ms', 'lower', [200]), stream('orders', 'p99Ms', [200])], [criterion('orders-p99', 'ms', 'lower', [900]), stream('orders', 'p99Ms', [900])]);
    expect(once.rows.map((r) => [r.verdict, r.gated])).toEqual([
      ['too-few-samples', true],
      ['too-few-samples', false],
    ]);
    expect(once.pass).toBe(true);
    const streamWorse = compare([stream('orders', 'lockErrorsFast', four(2))], [stream('orders', 'lockErrorsFast', four(20))]);
    expect(rowOf(streamWorse, { stream: 'orders', figure: 'lockErrorsFast' })).toMatchObject({ verdict: 'worse', gated: false });
    expect(streamWorse.pass).toBe(true);
    const apart = compareToBaseline(shop({ wal: [], rollback: [] }), shop({ wal: [], delete: [] }));
    expect(apart.onlyInBaseline).toEqual(['rollback']);
    expect(apart.onlyInRun).toEqual(['delete']);
  });
});

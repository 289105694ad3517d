import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { WorkloadFigure } from '../model/results.ts';
import { recordedResults, recordedWorkloadResults } from '../reports/testing.ts';
import { BaselineError, loadBaseline, saveBaseline, toBaseline } from './baseline.ts';
import {
  checkBaselineFits,
  compareToWorkloadBaseline,
  isWorkloadBaseline,
  loadRunBaseline,
  toRunBaseline,
  workloadOfResults,
  type WorkloadBaseline,
  type WorkloadBaselineFigure,
} from './workload-baseline.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'lockbench-workload-baseline-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const recorded = recordedWorkloadResults();
const host = recorded.host;

/** A baseline of workload "shop" (streams orders, restocks) with one profile whose figures are given. */
function shop(figures: WorkloadBaselineFigure[], createdAt = '2026-12-01T00:00:00.000Z'): WorkloadBaseline {
  return {
    format: 'lockbench-baseline',
    version: 1,
    scenario: 'concurrent',
    createdAt,
    host,
    workload: { name: 'shop', streams: ['orders', 'restocks'] },
    entries: [{ id: 'wal', kind: 'profile', settings: {}, figures }],
  };
}
const criterion = (id: string, unit: string, better: 'lower' | 'higher', samples: number[]): WorkloadBaselineFigure => ({ figure: { criterion: id }, unit, better, samples });
const stream = (name: string, figure: 'p99Ms' | 'lockErrorsFast', samples: number[]): WorkloadBaselineFigure => ({
  figure: { stream: name, figure },
  unit: figure === 'p99Ms' ? 'ms' : 'count',
  better: 'lower',
  samples,
});
/** Four repeats around `value`, a little apart so the rank test has ranks to work with. */
const four = (value: number) => [value, value * 1.01, value * 0.99, value * 1.02];
const rowOf = (comparison: ReturnType<typeof compareToWorkloadBaseline>, figure: WorkloadFigure) => comparison.rows.find((r) => JSON.stringify(r.figure) === JSON.stringify(figure))!;

describe('toRunBaseline of a workload run', () => {
  it("keeps each criterion's figure with the direction its comparison says, and per stream its latency and errors", () => {
    const baseline = toRunBaseline(recorded);
    expect(isWorkloadBaseline(baseline)).toBe(true);
    if (!isWorkloadBaseline(baseline)) return;
    expect(baseline.workload).toEqual({ name: 'marketplace', streams: ['source-imports', 'catalog-edits', 'artifact-listing', 'workflow-executions'] });
    expect(baseline.entries.map((e) => e.id)).toEqual(['monolithic', 'batched']);
    const batched = baseline.entries[1]!.figures;
    const of = (figure: WorkloadFigure) => batched.find((f) => JSON.stringify(f.figure) === JSON.stringify(figure));
    // `<`: lower is better; `==`: kept as its distance from the threshold, lower is better.
    expect(of({ criterion: 'edits-p99' })).toEqual({ figure: { criterion: 'edits-p99' }, unit: 'ms', better: 'lower', samples: [9984.5] });
    expect(of({ criterion: 'few-lock-errors' })).toEqual({ figure: { criterion: 'few-lock-errors' }, unit: 'ratio', better: 'lower', samples: [0.0125392] });
    expect(of({ criterion: 'executions-stored', distance: true })).toEqual({ figure: { criterion: 'executions-stored', distance: true }, unit: 'rows', better: 'lower', samples: [0] });
    expect(of({ stream: 'catalog-edits', figure: 'p99Ms' })?.samples).toEqual([10078.4]);
    expect(of({ stream: 'catalog-edits', figure: 'lockErrors' })?.samples).toEqual([4]);
    expect(of({ stream: 'catalog-edits', figure: 'lockErrorsFast' })?.samples).toEqual([0]);
    expect(of({ stream: 'catalog-edits', figure: 'lockErrorsTimedOut' })?.samples).toEqual([4]);
    expect(of({ stream: 'workflow-executions', figure: 'otherErrors' })?.samples).toEqual([0]);
    // Nothing of lockbench's own scenario is kept.
    expect(JSON.stringify(baseline)).not.toMatch(/importWallMs|catalogP99Ms|workflowWriteP99Ms|samples":\{/);
  });

  it('keeps a `>` criterion as higher-is-better, and the fast / timed-out split as not measured when it is unknown', () => {
    const results = recordedWorkloadResults();
    const workload = results.profiles[1]!.workload!;
    workload.criteria.push({ id: 'orders-per-second', type: 'throughput', comparison: '>=', threshold: 40, measured: 52, unit: 'per-second', pass: true });
    workload.streams[1]!.lockErrors = { total: 3, fast: 0, timedOut: 0, unknown: 3 };
    const baseline = toRunBaseline(results) as WorkloadBaseline;
    const figures = baseline.entries[1]!.figures;
    expect(figures.find((f) => 'criterion' in f.figure && f.figure.criterion === 'orders-per-second')).toMatchObject({ better: 'higher', samples: [52] });
    const split = figures.filter((f) => 'stream' in f.figure && f.figure.stream === 'catalog-edits' && f.figure.figure.startsWith('lockErrors'));
    expect(split.map((f) => [(f.figure as { figure: string }).figure, f.samples])).toEqual([
      ['lockErrors', [3]],
      ['lockErrorsFast', []],
      ['lockErrorsTimedOut', []],
    ]);
  });

  it('keeps a run of the scenario as the scenario baseline it always was', () => {
    expect(toRunBaseline(recordedResults())).toEqual(toBaseline(recordedResults()));
  });

  it("keeps a default run whose profiles carry their seed workload as the scenario's baseline: no workload file ran", () => {
    const results = recordedResults();
    const seed = { ...recorded.profiles[0]!.workload!, name: 'concurrent' };
    const withSeed = { ...results, profiles: results.profiles.map((p) => ({ ...p, workload: seed })) };
    expect(withSeed.options.workload ?? null).toBeNull();
    expect(workloadOfResults(withSeed)).toBeNull();
    expect(toRunBaseline(withSeed)).toEqual(toBaseline(results));
  });
});

describe('compareToWorkloadBaseline', () => {
  const compare = (old: WorkloadBaselineFigure[], now: WorkloadBaselineFigure[], gated = ['wal']) =>
    compareToWorkloadBaseline(shop(old), shop(now, '2026-12-02T00:00:00.000Z'), { gated, source: 'shop-baseline.json' });

  it('judges a lower-is-better criterion worse when it rises beyond the tolerance, and the regression fails', () => {
    const comparison = compare([criterion('orders-p99', 'ms', 'lower', four(200))], [criterion('orders-p99', 'ms', 'lower', four(260))]);
    const row = rowOf(comparison, { criterion: 'orders-p99' });
    expect(row).toMatchObject({ entryId: 'wal', verdict: 'worse', gated: true, oldSamples: 4, newSamples: 4 });
    expect(row.p).toBeLessThan(0.05);
    expect(comparison.regressions).toEqual([row]);
    expect(comparison.pass).toBe(false);
    expect(comparison.workload).toBe('shop');
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
    expect(rowOf(success, { criterion: 'success' }).verdict).toBe('worse');
    // The same half percent of a rate that should stay low is 0.5 % of it: no change at 10 %.
    const low = compare([criterion('busy-share', 'ratio', 'lower', [0.99, 0.991, 0.989, 0.992])], [criterion('busy-share', 'ratio', 'lower', [0.985, 0.986, 0.984, 0.987])]);
    expect(rowOf(low, { criterion: 'busy-share' }).verdict).toBe('no-change');
  });

  it('calls a change within the tolerance, or of a few milliseconds, no change', () => {
    const small = compare([criterion('orders-p99', 'ms', 'lower', four(1000))], [criterion('orders-p99', 'ms', 'lower', four(1050))]);
    expect(rowOf(small, { criterion: 'orders-p99' }).verdict).toBe('no-change');
    // +60 %, but 6 ms: below the smallest effect a figure in milliseconds can show.
    const fewMs = compare([criterion('orders-p99', 'ms', 'lower', four(10))], [criterion('orders-p99', 'ms', 'lower', four(16))]);
    expect(rowOf(fewMs, { criterion: 'orders-p99' }).verdict).toBe('no-change');
    const wider = compareToWorkloadBaseline(shop([criterion('orders-p99', 'ms', 'lower', four(1000))]), shop([criterion('orders-p99', 'ms', 'lower', four(1050))]), {
      gated: ['wal'],
      tolerance: 0.02,
    });
    expect(rowOf(wider, { criterion: 'orders-p99' }).verdict).toBe('worse');
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

  it('gives one run against one no verdict, and gates only the criteria of a gated profile', () => {
    const once = compare([criterion('orders-p99', 'ms', 'lower', [200]), stream('orders', 'p99Ms', [200])], [criterion('orders-p99', 'ms', 'lower', [900]), stream('orders', 'p99Ms', [900])]);
    expect(once.rows.map((r) => [r.verdict, r.gated])).toEqual([
      ['too-few-samples', true],
      ['too-few-samples', false],
    ]);
    expect(once.pass).toBe(true);
    const streamWorse = compare([stream('orders', 'lockErrorsFast', four(2))], [stream('orders', 'lockErrorsFast', four(20))]);
    expect(rowOf(streamWorse, { stream: 'orders', figure: 'lockErrorsFast' })).toMatchObject({ verdict: 'worse', gated: false });
    expect(streamWorse.pass).toBe(true);
    const ungated = compare([criterion('orders-p99', 'ms', 'lower', four(200))], [criterion('orders-p99', 'ms', 'lower', four(400))], []);
    expect(ungated.rows[0]).toMatchObject({ verdict: 'worse', gated: false });
    expect(ungated.pass).toBe(true);
  });
});

describe('checkBaselineFits', () => {
  const workload = (name: string, streams: string[]) => ({ name, streams: streams.map((s) => ({ name: s })) }) as Parameters<typeof checkBaselineFits>[2];
  const seed = toBaseline(recordedResults());
  const saved = shop([]);
  const refusal = (run: () => void) => {
    try {
      run();
    } catch (err) {
      expect(err).toBeInstanceOf(BaselineError);
      return (err as Error).message;
    }
    throw new Error('not refused');
  };

  it('lets a baseline of the same workload, or of the scenario for the scenario, through', () => {
    expect(() => checkBaselineFits('b.json', saved, workload('shop', ['restocks', 'orders']))).not.toThrow();
    expect(() => checkBaselineFits('b.json', seed, null)).not.toThrow();
  });

  it("refuses the scenario's baseline for a workload run, and a workload's for a run of the scenario, saying which is which", () => {
    expect(refusal(() => checkBaselineFits('b.json', seed, workload('shop', ['orders'])))).toBe(
      'baseline b.json: was saved from a run of lockbench\'s own scenario (concurrent), not from a workload; this run is workload "shop": ' +
        'compare with a baseline saved from a run of workload "shop" (--save-baseline)',
    );
    expect(refusal(() => checkBaselineFits('b.json', saved, null))).toBe(
      'baseline b.json: was saved from a run of workload "shop" (streams "orders", "restocks"); this run is lockbench\'s own scenario, not a workload: ' +
        'give the same --workload, or a baseline saved from a run without --workload',
    );
  });

  it('refuses a baseline of another workload, naming what differs', () => {
    expect(refusal(() => checkBaselineFits('b.json', saved, workload('cafe', ['orders', 'restocks'])))).toBe(
      'baseline b.json: does not fit this run: it was saved from workload "shop", this run is workload "cafe"; compare runs of the same workload',
    );
    expect(refusal(() => checkBaselineFits('b.json', saved, workload('shop', ['orders', 'reads'])))).toBe(
      'baseline b.json: does not fit this run: streams only in the baseline: "restocks"; streams only in this run: "reads"; compare runs of the same workload',
    );
  });
});

describe('loadRunBaseline', () => {
  it('reads back a saved workload baseline, and makes one from a workload run\'s results.json or report folder', async () => {
    const file = join(dir, 'baseline.json');
    const made = toRunBaseline(recorded);
    await saveBaseline(file, made);
    expect(await loadRunBaseline(file)).toEqual(made);
    const report = join(dir, 'report');
    mkdirSync(report);
    writeFileSync(join(report, 'results.json'), JSON.stringify(recorded));
    expect(await loadRunBaseline(report)).toEqual(made);
  });

  it("reads a default run's results.json, its seed workload's results included, as the scenario's baseline", async () => {
    const results = recordedResults();
    const seed = { ...recorded.profiles[0]!.workload!, name: 'concurrent' };
    const report = join(dir, 'default');
    mkdirSync(report);
    writeFileSync(join(report, 'results.json'), JSON.stringify({ ...results, profiles: results.profiles.map((p) => ({ ...p, workload: seed })) }));
    const baseline = await loadRunBaseline(report);
    expect(isWorkloadBaseline(baseline)).toBe(false);
    expect(baseline).toEqual(toBaseline(results));
  });

  it("reads the scenario's baseline as it always was", async () => {
    const file = join(dir, 'seed.json');
    await saveBaseline(file, toBaseline(recordedResults()));
    expect(await loadRunBaseline(file)).toEqual(await loadBaseline(file));
  });

  it('refuses a workload baseline file with a malformed figure, naming the field', async () => {
    const file = join(dir, 'bad.json');
    const made = JSON.parse(JSON.stringify(toRunBaseline(recorded))) as { entries: { figures: { figure: unknown }[] }[] };
    made.entries[0]!.figures[0]!.figure = { criterion: 'x', stream: 'y' };
    writeFileSync(file, JSON.stringify(made));
    await expect(loadRunBaseline(file)).rejects.toThrow(/is a workload baseline file with missing or malformed fields \(entries\.0\.figures\.0\.figure/);
  });

  it("is refused where only the scenario's figures are compared (a sweep), saying whose figures it holds", async () => {
    const file = join(dir, 'baseline.json');
    await saveBaseline(file, toRunBaseline(recorded));
    await expect(loadBaseline(file)).rejects.toThrow(`baseline ${file}: was saved from a run of workload "marketplace": it holds that workload's figures, not lockbench's own scenario's`);
    expect(readFileSync(file, 'utf8')).toContain('"workload"');
  });
});

import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../shared/usage-error.ts';
import { typedSettings } from './target.ts';
import { loadTargetDescription } from './targets/load.ts';
import { buildPlan, describedVarySettings, estimateDurationMs, parseBatchSizes, parseGate, parseVary, pointId, resolveVary, seededRandom, trialProgress } from './sweep.ts';

describe('parseVary', () => {
  it('parses a setting by key or by its target flag, with values of the setting\'s type', () => {
    expect(parseVary('batchSize=1,5,10')).toEqual({ key: 'batchSize', values: [1, 5, 10] });
    expect(parseVary('busy-timeout-ms=100, 10000')).toEqual({ key: 'busyTimeoutMs', values: [100, 10000] });
    expect(parseVary('scheduler=sqlite,fifo')).toEqual({ key: 'scheduler', values: ['sqlite', 'fifo'] });
    expect(parseVary('writeMs=0.5,2')).toEqual({ key: 'writeMs', values: [0.5, 2] });
    expect(parseBatchSizes('1,5')).toEqual({ key: 'batchSize', values: [1, 5] });
  });

  it('names the flag and what was expected for a bad key or value', () => {
    expect(() => parseVary('batchsize=1')).toThrow(/--vary: unknown setting "batchsize"; settings that can vary: batchSize, importMode, scheduler/);
    expect(() => parseVary('port=1')).toThrow(UsageError);
    expect(() => parseVary('batchSize=0,5')).toThrow('--vary batchSize=0,5: --batch-size (IMPORT_BATCH_SIZE) must be an integer >= 1, got 0');
    expect(() => parseVary('scheduler=lifo')).toThrow(/must be one of sqlite, fifo, got "lifo"/);
    expect(() => parseBatchSizes('1,x')).toThrow(/^--batch-sizes 1,x: --batch-size \(IMPORT_BATCH_SIZE\) must be an integer >= 1, got "x"/);
    expect(() => parseVary('batchSize')).toThrow(/expected key=v1,v2/);
    expect(() => parseVary('batchSize=1,,2')).toThrow(/a value is empty/);
    expect(() => parseVary('batchSize=5,5')).toThrow(/5 is given twice/);
    try {
      parseVary('poolSize=0');
    } catch (err) {
      expect((err as UsageError).flag).toBe('--vary');
    }
  });

  it('makes a grid of several --vary flags and refuses a setting varied twice', () => {
    expect(resolveVary({ vary: ['scheduler=sqlite,fifo'], batchSizes: '1,10' }).map((a) => a.key)).toEqual(['scheduler', 'batchSize']);
    expect(() => resolveVary({ vary: ['batchSize=1'], batchSizes: '5' })).toThrow(/batchSize is varied twice/);
  });
});

describe('parseVary on a described target', () => {
  const { description } = loadTargetDescription(fileURLToPath(new URL('../../examples/fastapi-sqlalchemy/target.json', import.meta.url)));
  const settings = describedVarySettings(Object.keys(description.settings), (key, text) => typedSettings(description, { [key]: text })[key]!);

  it("varies the description's own settings, typed as it declares them", () => {
    expect(resolveVary({ vary: ['importMode=monolithic,batched'], batchSizes: '1,10', settings })).toEqual([
      { key: 'importMode', values: ['monolithic', 'batched'] },
      { key: 'batchSize', values: [1, 10] },
    ]);
  });

  it('refuses what the built-in target refuses: a value given twice (two points with one id), an empty value, an unknown setting', () => {
    expect(() => resolveVary({ vary: ['batchSize=5,5'], settings })).toThrow(/^--vary batchSize=5,5: 5 is given twice$/);
    expect(() => resolveVary({ batchSizes: '5,05', settings })).toThrow(/5 is given twice/);
    expect(() => parseVary('batchSize=1,,2', settings)).toThrow(/a value is empty/);
    expect(() => parseVary('poolSize=1', settings)).toThrow(/--vary: unknown setting "poolSize"; the target's settings: importMode, batchSize/);
    expect(() => parseVary('batchSize=0', settings)).toThrow(UsageError);
  });
});

describe('buildPlan', () => {
  const vary = resolveVary({ vary: ['batchSize=1,10,100'] });

  it('has one point per value and interleaves the repeats: every point once per round', () => {
    const plan = buildPlan({ base: 'staged', vary, repeat: 3, seed: 42 });
    expect(plan.points).toEqual([
      { id: 'batchSize-1', settings: { batchSize: 1 } },
      { id: 'batchSize-10', settings: { batchSize: 10 } },
      { id: 'batchSize-100', settings: { batchSize: 100 } },
    ]);
    expect(plan.trials).toHaveLength(9);
    expect(plan.trials.map((t) => t.order)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    for (const round of [1, 2, 3]) {
      const inRound = plan.trials.slice((round - 1) * 3, round * 3);
      expect(inRound.every((t) => t.repeat === round)).toBe(true);
      expect(inRound.map((t) => t.pointId).sort()).toEqual(['batchSize-1', 'batchSize-10', 'batchSize-100']);
      for (const t of inRound) expect(t.id).toBe(`${t.pointId}.r${round}`);
    }
    expect(plan.trials.every((t) => /^[A-Za-z0-9._-]+$/.test(t.id))).toBe(true);
  });

  it('shuffles each round reproducibly from its seed', () => {
    const order = (seed: number) => buildPlan({ base: 'staged', vary, repeat: 4, seed }).trials.map((t) => t.id);
    expect(order(7)).toEqual(order(7));
    const orders = new Set([1, 2, 3, 4, 5, 6].map((seed) => order(seed).join(' ')));
    expect(orders.size).toBeGreaterThan(1);
  });

  it('crosses two axes into a grid with ids naming both settings', () => {
    const plan = buildPlan({ base: 'seed-fix', vary: resolveVary({ vary: ['scheduler=sqlite,fifo', 'batchSize=1,10'] }), seed: 1 });
    expect(plan.points.map((p) => p.id)).toEqual(['batchSize-1_scheduler-sqlite', 'batchSize-10_scheduler-sqlite', 'batchSize-1_scheduler-fifo', 'batchSize-10_scheduler-fifo']);
    expect(plan.trials.map((t) => t.id).sort()).toEqual(plan.points.map((p) => `${p.id}.r1`).sort());
  });

  it('is the base profile alone when nothing varies', () => {
    const plan = buildPlan({ base: 'staged', repeat: 2, seed: 3 });
    expect(plan.points).toEqual([{ id: 'staged', settings: {} }]);
    expect(plan.trials.map((t) => t.id)).toEqual(['staged.r1', 'staged.r2']);
  });

  it('refuses an unknown base, a repeat below 1 and a seed out of range', () => {
    expect(() => buildPlan({ base: 'nope' })).toThrow('--base must be one of before, seed-fix, staged, no-checkpoint, got "nope"');
    expect(() => buildPlan({ base: 'staged', repeat: 0 })).toThrow(/--repeat must be an integer >= 1/);
    expect(() => buildPlan({ base: 'staged', seed: -1 })).toThrow(/--seed must be an integer/);
  });

  it('takes a seed from the clock when none is given, and records it', () => {
    expect(Number.isInteger(buildPlan({ base: 'staged' }).seed)).toBe(true);
  });
});

describe('pointId and seededRandom', () => {
  it('keeps ids file-safe', () => {
    expect(pointId({ connections: 'per-request', writeMs: 0.5 })).toBe('connections-per-request_writeMs-0.5');
  });

  it('draws uniformly in [0, 1)', () => {
    const random = seededRandom(123);
    const draws = Array.from({ length: 2000 }, random);
    expect(draws.every((d) => d >= 0 && d < 1)).toBe(true);
    const mean = draws.reduce((a, b) => a + b, 0) / draws.length;
    expect(mean).toBeGreaterThan(0.45);
    expect(mean).toBeLessThan(0.55);
  });
});

describe('estimates and progress', () => {
  const plan = buildPlan({ base: 'staged', vary: resolveVary({ batchSizes: '1,10' }), repeat: 3, seed: 5 });

  it('estimates the duration from a per-trial figure or one per settings', () => {
    expect(estimateDurationMs(plan, 20_000)).toBe(120_000);
    expect(estimateDurationMs(plan, (t) => (t.settings.batchSize === 1 ? 30_000 : 10_000))).toBe(120_000);
  });

  it('gives the ETA from the trials done so far, or from the estimate before the first is done', () => {
    expect(trialProgress({ completed: 0, total: 6, elapsedMs: 1_000 })).toEqual({ trial: 1, of: 6, elapsedMs: 1_000, etaMs: null });
    expect(trialProgress({ completed: 0, total: 6, elapsedMs: 0, estimatePerTrialMs: 10_000 }).etaMs).toBe(60_000);
    expect(trialProgress({ completed: 2, total: 6, elapsedMs: 40_000 })).toEqual({ trial: 3, of: 6, elapsedMs: 40_000, etaMs: 80_000 });
    expect(trialProgress({ completed: 6, total: 6, elapsedMs: 120_000 })).toEqual({ trial: 6, of: 6, elapsedMs: 120_000, etaMs: 0 });
  });
});

describe('parseGate', () => {
  const plan = buildPlan({ base: 'staged', vary: resolveVary({ batchSizes: '1,10,100' }), repeat: 3, seed: 11 });

  it('takes recommended, a point id, its settings or its value alone', () => {
    expect(parseGate('recommended', plan.points)).toEqual({ kind: 'recommended' });
    expect(parseGate('batchSize-10', plan.points)).toEqual({ kind: 'point', pointId: 'batchSize-10' });
    expect(parseGate('batchSize=100', plan.points)).toEqual({ kind: 'point', pointId: 'batchSize-100' });
    expect(parseGate('1', plan.points)).toEqual({ kind: 'point', pointId: 'batchSize-1' });
  });

  it('names the values it expected for a value that names no point', () => {
    expect(() => parseGate('25', plan.points)).toThrow('--gate "25" names no point of this sweep; expected one of: recommended, batchSize=1, batchSize=10, batchSize=100');
  });
});

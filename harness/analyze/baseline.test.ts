import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { recordedResults } from '../reports/testing.ts';
import { aggregatePoints } from './aggregate.ts';
import type { TrialRecord } from '../model/sweep.ts';
import { BASELINE_FORMAT, compareToBaseline, loadBaseline, saveBaseline, toBaseline, type Baseline, type BaselineSource } from './baseline.ts';
import { buildPlan, resolveVary } from '../plan/sweep.ts';
import { CRITERIA, derivedBatchSweep, derivedTrial } from './testing.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'lockbench-baseline-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function sweepSource(trials: TrialRecord[], points = derivedBatchSweep().plan.points): BaselineSource {
  const recorded = recordedResults();
  return { scenario: 'sweep', startedAt: recorded.startedAt, host: recorded.host, profiles: [], trials, points: aggregatePoints(points, trials, CRITERIA) };
}

/** batchSize 1 and 10, `repeat` repeats each, import walls and catalog p99 scaled by `slowdown`. */
function repeatedSweep(repeat: number, slowdown = 1): BaselineSource {
  const plan = buildPlan({ base: 'staged', vary: resolveVary({ batchSizes: '1,10' }), repeat, seed: 3 });
  const trials = plan.trials.map((t) =>
    derivedTrial({ trialId: t.id, pointId: t.pointId, settings: t.settings, repeat: t.repeat }, 'staged', {
      importWallMs: (3_000 + 10 * t.repeat) * slowdown,
      catalogP99Ms: (50 + t.repeat) * slowdown,
    }),
  );
  return sweepSource(trials, plan.points);
}

describe('toBaseline', () => {
  it('keeps every completed profile of a scenario:concurrent run with its one figure per metric', () => {
    const baseline = toBaseline(recordedResults());
    expect(baseline).toMatchObject({ format: BASELINE_FORMAT, version: 1, scenario: 'concurrent', createdAt: '2026-11-28T08:37:31.453Z' });
    expect(baseline.entries.map((e) => e.id)).toEqual(['before', 'seed-fix', 'staged']);
    const seedFix = baseline.entries[1]!;
    expect(seedFix.kind).toBe('profile');
    expect(seedFix.settings['--batch-size']).toBe('10');
    expect(seedFix.samples).toEqual({
      importWallMs: [15_379],
      maxLockHoldMs: [308.447],
      catalogP99Ms: [5373.01],
      workflowWriteP99Ms: [5580.68],
      requestSuccessRate: [0.998028],
      busyErrors: [1],
    });
  });

  it('keeps per point of a sweep the figure of every completed repeat', () => {
    const { trials } = derivedBatchSweep();
    const baseline = toBaseline(sweepSource(trials));
    expect(baseline.entries.map((e) => [e.id, e.kind, e.settings])).toEqual([
      ['batchSize-1', 'point', { batchSize: 1 }],
      ['batchSize-10', 'point', { batchSize: 10 }],
      ['batchSize-100', 'point', { batchSize: 100 }],
    ]);
    expect([...baseline.entries[1]!.samples.importWallMs].sort()).toEqual([3_012, 3_031, 3_060]);
  });
});

describe('saveBaseline and loadBaseline', () => {
  it('writes atomically and reads back the same baseline', async () => {
    const baseline = toBaseline(sweepSource(derivedBatchSweep().trials));
    const file = join(dir, 'bench', 'baseline.json');
    await saveBaseline(file, baseline);
    expect(readdirSync(join(dir, 'bench'))).toEqual(['baseline.json']);
    expect(await loadBaseline(file)).toEqual(baseline);
  });

  it('leaves no temporary file behind when the baseline cannot be put in place', async () => {
    const baseline = toBaseline(sweepSource(derivedBatchSweep().trials));
    // A folder where the file should go: the rename fails after the temporary file was written.
    const file = join(dir, 'taken');
    mkdirSync(join(file, 'inside'), { recursive: true });
    await expect(saveBaseline(file, baseline)).rejects.toThrow();
    expect(readdirSync(dir)).toEqual(['taken']);
  });

  it('reads a results.json, or a report folder holding one', async () => {
    const results = recordedResults();
    writeFileSync(join(dir, 'results.json'), JSON.stringify(results));
    expect(await loadBaseline(join(dir, 'results.json'))).toEqual(toBaseline(results));
    expect(await loadBaseline(dir)).toEqual(toBaseline(results));
  });

  it('reads a sweep\'s results.json by its trials and points', async () => {
    const sweep = sweepSource(derivedBatchSweep().trials);
    const { profiles: _, ...withoutProfiles } = sweep;
    writeFileSync(join(dir, 'results.json'), JSON.stringify(withoutProfiles));
    const baseline = await loadBaseline(dir);
    expect(baseline.entries.map((e) => e.id)).toEqual(['batchSize-1', 'batchSize-10', 'batchSize-100']);
    expect(baseline).toEqual(toBaseline(sweep));
    writeFileSync(join(dir, 'results.json'), JSON.stringify({ ...withoutProfiles, points: undefined }));
    await expect(loadBaseline(dir)).rejects.toThrow(/has neither profiles\[\] nor trials\[\] with points\[\]/);
  });

  it('says what was expected for a missing, truncated, empty or foreign file', async () => {
    const expected = 'expected a baseline file (written by --save-baseline), a results.json, or a report folder containing one';
    await expect(loadBaseline(join(dir, 'nope.json'))).rejects.toThrow(`baseline ${join(dir, 'nope.json')}: not found; ${expected}`);
    mkdirSync(join(dir, 'empty-folder'));
    await expect(loadBaseline(join(dir, 'empty-folder'))).rejects.toThrow('the folder has no results.json');
    const full = JSON.stringify(recordedResults());
    writeFileSync(join(dir, 'cut.json'), full.slice(0, full.length / 2));
    await expect(loadBaseline(join(dir, 'cut.json'))).rejects.toThrow(/is not complete JSON \(.*\): truncated or not a lockbench file/);
    writeFileSync(join(dir, 'blank.json'), '\n');
    await expect(loadBaseline(join(dir, 'blank.json'))).rejects.toThrow(/blank\.json: is empty/);
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'x', version: '1.0.0' }));
    await expect(loadBaseline(join(dir, 'package.json'))).rejects.toThrow(
      /is neither a baseline \(format "lockbench-baseline"\) nor a lockbench results\.json \(scenario: .*\); expected a baseline file/,
    );
  });

  it('refuses another version or a damaged baseline, saying which', async () => {
    const baseline = toBaseline(recordedResults());
    writeFileSync(join(dir, 'v2.json'), JSON.stringify({ ...baseline, version: 2 }));
    await expect(loadBaseline(join(dir, 'v2.json'))).rejects.toThrow('is a version 2 baseline; this lockbench reads version 1');
    const damaged = { ...baseline, entries: [{ ...baseline.entries[0], samples: { importWallMs: [1] } }] };
    writeFileSync(join(dir, 'damaged.json'), JSON.stringify(damaged));
    await expect(loadBaseline(join(dir, 'damaged.json'))).rejects.toThrow(/missing or malformed fields \(entries\.0\.samples\.maxLockHoldMs/);
  });
});

describe('compareToBaseline', () => {
  const verdicts = (baselineOld: Baseline, baselineNew: Baseline, gated: string[] = []) =>
    compareToBaseline(baselineOld, baselineNew, { gated });

  it('finds no significant change between a run and itself', () => {
    const baseline = toBaseline(repeatedSweep(3));
    const comparison = verdicts(baseline, baseline, ['batchSize-10']);
    expect(comparison.rows).toHaveLength(2 * 6);
    expect(new Set(comparison.rows.map((r) => r.verdict))).toEqual(new Set(['no-change']));
    expect(comparison.rows.every((r) => r.changePct === 0)).toBe(true);
    expect(comparison.pass).toBe(true);
  });

  it('flags an injected slowdown as worse, and fails the gate on a gated point only', () => {
    const comparison = verdicts(toBaseline(repeatedSweep(4)), toBaseline(repeatedSweep(4, 1.5)), ['batchSize-10']);
    const wall = comparison.rows.find((r) => r.entryId === 'batchSize-10' && r.metric === 'importWallMs')!;
    expect(wall).toMatchObject({ verdict: 'worse', gated: true, detectable: true, oldSamples: 4, newSamples: 4 });
    expect(wall.changePct).toBeCloseTo(50, 6);
    expect(wall.p).toBeCloseTo(2 / 70, 10);
    expect(comparison.rows.find((r) => r.entryId === 'batchSize-10' && r.metric === 'requestSuccessRate')!.verdict).toBe('no-change');
    expect(comparison.regressions.map((r) => `${r.entryId} ${r.metric}`)).toEqual(['batchSize-10 importWallMs', 'batchSize-10 catalogP99Ms']);
    expect(comparison.pass).toBe(false);
    expect(verdicts(toBaseline(repeatedSweep(4)), toBaseline(repeatedSweep(4, 1.5)), ['batchSize-1']).regressions).toHaveLength(2);
    expect(verdicts(toBaseline(repeatedSweep(4)), toBaseline(repeatedSweep(4, 1.5))).pass).toBe(true);
  });

  it('calls a faster run better, and a significant change below the tolerance no change', () => {
    expect(verdicts(toBaseline(repeatedSweep(4, 1.5)), toBaseline(repeatedSweep(4))).rows.find((r) => r.metric === 'importWallMs')!.verdict).toBe('better');
    const small = verdicts(toBaseline(repeatedSweep(4)), toBaseline(repeatedSweep(4, 1.05))).rows.find((r) => r.metric === 'importWallMs')!;
    expect(small.p!).toBeLessThan(0.05);
    expect(small.verdict).toBe('no-change');
  });

  it('shows the change with "too few samples" and no verdict below 3 repeats, and marks 3 against 3 as unable to detect', () => {
    const few = verdicts(toBaseline(repeatedSweep(2)), toBaseline(repeatedSweep(2, 1.5)), ['batchSize-10']);
    const wall = few.rows.find((r) => r.metric === 'importWallMs')!;
    expect(wall).toMatchObject({ verdict: 'too-few-samples', p: null, detectable: false });
    expect(wall.changePct).toBeCloseTo(50, 6);
    expect(few.pass).toBe(true);
    const three = verdicts(toBaseline(repeatedSweep(3)), toBaseline(repeatedSweep(3, 1.5))).rows.find((r) => r.metric === 'importWallMs')!;
    expect(three).toMatchObject({ verdict: 'no-change', detectable: false });
    expect(three.p).toBeCloseTo(0.1, 10);
  });

  it('judges a success rate on its failures, and lists entries only one side has', () => {
    const base = toBaseline(repeatedSweep(4));
    const worse: Baseline = structuredClone(base);
    for (const entry of worse.entries) entry.samples.requestSuccessRate = [0.98, 0.97, 0.985, 0.975];
    worse.entries[0]!.id = 'batchSize-5';
    const comparison = verdicts(base, worse, ['batchSize-10']);
    const success = comparison.rows.find((r) => r.metric === 'requestSuccessRate')!;
    expect(success).toMatchObject({ entryId: 'batchSize-10', verdict: 'worse', better: 'higher' });
    expect(success.changePct).toBeCloseTo(-2.25, 6);
    expect(comparison.onlyInBaseline).toEqual(['batchSize-1']);
    expect(comparison.onlyInRun).toEqual(['batchSize-5']);
  });
});

describe('the smallest effect in milliseconds', () => {
  const host = { cpus: 2, cpuModel: 'x', node: 'v20', platform: 'linux-x64', totalMemoryBytes: 1 };
  const baselineWith = (maxLockHoldMs: number[], catalogP99Ms: number[]): Baseline => ({
    format: BASELINE_FORMAT,
    version: 1,
    scenario: 'concurrent',
    createdAt: '2026-11-30T00:00:00.000Z',
    host,
    entries: [
      {
        id: 'staged',
        kind: 'point',
        settings: {},
        samples: { importWallMs: [3000, 3001, 3002, 3003], maxLockHoldMs, catalogP99Ms, workflowWriteP99Ms: [70, 71, 72, 73], requestSuccessRate: [1, 1, 1, 1], busyErrors: [0, 0, 0, 0] },
      },
    ],
  });

  it('keeps a few ms of noise on a small figure from counting as a regression, and flags a real one', () => {
    const old = baselineWith([14, 14.5, 15, 15.5], [66, 67, 68, 69]);
    const now = baselineWith([19, 20, 20.5, 21], [150, 155, 160, 165]);
    const rows = compareToBaseline(old, now, { gated: ['staged'] }).rows;
    // Every new hold above every old one (p = 0.029) and +35 %, but 5.5 ms: noise, not an effect.
    expect(rows.find((r) => r.metric === 'maxLockHoldMs')).toMatchObject({ verdict: 'no-change' });
    expect(rows.find((r) => r.metric === 'catalogP99Ms')).toMatchObject({ verdict: 'worse' });
  });
});

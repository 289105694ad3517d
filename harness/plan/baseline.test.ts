import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { toBaseline, workloadOfResults, type Baseline } from '../model/baseline.ts';
import { saveBaseline } from '../reports/baseline.ts';
import { recordedResults, recordedWorkloadResults } from '../reports/testing.ts';
import { tempDirPerTest } from '../testing/temp-dir.ts';
import { UsageError } from '../shared/usage-error.ts';
import { baselineRunOf, BaselineError, checkBaselineCompare, identityOf, loadBaseline, type BaselineRun } from './baseline.ts';
import { loadRunWorkload, resolveRun } from './options.ts';
import { planRun } from './run.ts';

const FASTAPI = new URL('../../examples/fastapi-sqlalchemy/target.json', import.meta.url).pathname;
const FASTAPI_WORKLOAD = new URL('../../examples/fastapi-sqlalchemy/workload.yaml', import.meta.url).pathname;
const ASKED = { baseline: 'baseline.json' };

/** The default run's: the seed workload, scenarios/concurrent.workload.json. */
const defaultRun = (): BaselineRun => baselineRunOf(planRun(resolveRun({})), ASKED)!;
/** The FastAPI example run from its own workload file. */
function fastapiRun(): BaselineRun {
  const { options, target } = resolveRun({ target: FASTAPI, workload: FASTAPI_WORKLOAD });
  return baselineRunOf(planRun({ options, target, workload: loadRunWorkload(options, target) }), ASKED)!;
}
const recorded = recordedWorkloadResults();
const recordedBaseline = (): Baseline => toBaseline(recorded, workloadOfResults(recorded)!);

/** A baseline file an earlier lockbench wrote over the scenario's metrics, of one profile `staged` with these samples. */
function metricsFile(scenario: string, samples: Partial<Record<string, number[]>> = {}) {
  const metric = (name: string) => samples[name] ?? [1];
  return {
    format: 'lockbench-baseline',
    version: 1,
    scenario,
    createdAt: '2026-11-30T00:00:00.000Z',
    host: recorded.host,
    entries: [
      {
        id: 'staged',
        kind: 'profile',
        settings: { '--import-mode': 'staged' },
        samples: Object.fromEntries(['importWallMs', 'maxLockHoldMs', 'catalogP99Ms', 'workflowWriteP99Ms', 'requestSuccessRate', 'busyErrors'].map((m) => [m, metric(m)])),
      },
    ],
  };
}

async function refusal(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(BaselineError);
    return (err as Error).message;
  }
  throw new Error('not refused');
}

describe('baselineRunOf', () => {
  it("is the scenario's own workload for a default, smoke or soak run, and the file's for --workload", () => {
    expect(identityOf(defaultRun())).toEqual({ name: 'concurrent', streams: ['imports', 'catalog', 'reads', 'workflow'] });
    expect(defaultRun()).toMatchObject({ scenario: 'concurrent', scenarioOwn: true });
    expect(identityOf(baselineRunOf(planRun(resolveRun({ scenario: 'smoke' })), ASKED)!).name).toBe('smoke');
    expect(identityOf(baselineRunOf(planRun(resolveRun({ scenario: 'soak' })), ASKED)!).name).toBe('soak');
    expect(fastapiRun()).toMatchObject({ scenarioOwn: false, workload: { name: 'marketplace' } });
    expect(baselineRunOf(planRun(resolveRun({})), {})).toBeNull();
  });

  it("is the scenario's workload adapted to a described target run without --workload", () => {
    const described = planRun(resolveRun({ target: FASTAPI }));
    expect(baselineRunOf(described, {})).toBeNull();
    const run = baselineRunOf(described, ASKED)!;
    expect(run).toMatchObject({ scenario: 'concurrent', scenarioOwn: true });
    expect(identityOf(run)).toEqual({ name: 'concurrent', streams: ['imports', 'catalog', 'reads', 'workflow'] });
    expect(run.workload).toBe(described.trials[0]!.scenarioWorkload!.workload);
  });
});

describe('loadBaseline', () => {
  const temp = tempDirPerTest('lockbench-plan-baseline-');

  it('reads back a saved baseline, written atomically, and makes one from a results.json or a report folder', async () => {
    const file = join(temp.path, 'bench', 'baseline.json');
    await saveBaseline(file, recordedBaseline());
    expect(readdirSync(join(temp.path, 'bench'))).toEqual(['baseline.json']);
    expect(await loadBaseline(file, fastapiRun())).toEqual(recordedBaseline());
    const report = join(temp.path, 'report');
    mkdirSync(report);
    writeFileSync(join(report, 'results.json'), JSON.stringify(recorded));
    expect(await loadBaseline(report, fastapiRun())).toEqual(recordedBaseline());
    expect(await loadBaseline(join(report, 'results.json'), fastapiRun())).toEqual(recordedBaseline());
  });

  it('leaves no temporary file behind when the baseline cannot be put in place', async () => {
    const file = join(temp.path, 'taken');
    mkdirSync(join(file, 'inside'), { recursive: true });
    await expect(saveBaseline(file, recordedBaseline())).rejects.toThrow();
    expect(readdirSync(temp.path)).toEqual(['taken']);
  });

  it('refuses a baseline of another workload, or of other streams, naming what differs', async () => {
    const file = join(temp.path, 'baseline.json');
    await saveBaseline(file, recordedBaseline());
    expect(await refusal(loadBaseline(file, defaultRun()))).toBe(
      `baseline ${file}: does not fit this run: it was saved from workload "marketplace", this run is workload "concurrent"; ` +
        'streams only in the baseline: "source-imports", "catalog-edits", "artifact-listing", "workflow-executions"; streams only in this run: "imports", "catalog", "reads", "workflow"; ' +
        'compare runs of the same workload',
    );
    const smoke = baselineRunOf(planRun(resolveRun({ scenario: 'smoke' })), ASKED)!;
    const seeded = { ...recordedBaseline(), workload: identityOf(defaultRun()) };
    await saveBaseline(file, seeded);
    expect(await loadBaseline(file, defaultRun())).toEqual(seeded);
    expect(await refusal(loadBaseline(file, smoke))).toMatch(/does not fit this run: it was saved from workload "concurrent", this run is workload "smoke"; streams only in the baseline: .*; compare runs of the same workload$/);
    // Without reads (--read-rate 0) the seed workload has one stream fewer: another workload's figures.
    const noReads = baselineRunOf(planRun(resolveRun({ readRate: 0 })), ASKED)!;
    expect(await refusal(loadBaseline(file, noReads))).toBe(`baseline ${file}: does not fit this run: streams only in the baseline: "reads"; compare runs of the same workload`);
    expect(readFileSync(file, 'utf8')).toBe(`${JSON.stringify(seeded, null, 2)}\n`);
  });

  it("reads a baseline an earlier lockbench wrote over the scenario's metrics as the seed workload's criteria, by criteria.json's ids", async () => {
    const file = join(temp.path, 'old.json');
    writeFileSync(file, JSON.stringify(metricsFile('concurrent', { importWallMs: [3010, 3020, 3030, 3040], maxLockHoldMs: [14, 15, 16, 17], requestSuccessRate: [1, 1, 1, 0.999] })));
    const baseline = await loadBaseline(file, defaultRun());
    expect(baseline).toMatchObject({ scenario: 'concurrent', readFrom: 'scenario-metrics', workload: { name: 'concurrent', streams: ['imports', 'catalog', 'reads', 'workflow'] } });
    expect(baseline.entries).toEqual([
      {
        id: 'staged',
        kind: 'profile',
        settings: { '--import-mode': 'staged' },
        // criteria.json's order; busy errors, which no criterion judges, and no-loss, which the file did not keep, are left out.
        figures: [
          { figure: { criterion: 'lock-hold' }, unit: 'ms', better: 'lower', samples: [14, 15, 16, 17] },
          { figure: { criterion: 'import-wall' }, unit: 'ms', better: 'lower', samples: [3010, 3020, 3030, 3040] },
          { figure: { criterion: 'catalog-p99' }, unit: 'ms', better: 'lower', samples: [1] },
          { figure: { criterion: 'success' }, unit: 'ratio', better: 'higher', samples: [1, 1, 1, 0.999] },
          { figure: { criterion: 'workflow-p99' }, unit: 'ms', better: 'lower', samples: [1] },
        ],
      },
    ]);
    // The smoke check's workload judges fewer criteria: only those are read.
    writeFileSync(file, JSON.stringify(metricsFile('smoke')));
    const smoke = baselineRunOf(planRun(resolveRun({ scenario: 'smoke' })), ASKED)!;
    expect((await loadBaseline(file, smoke)).entries[0]!.figures.map((f) => f.figure)).toEqual([{ criterion: 'lock-hold' }, { criterion: 'success' }]);
  });

  it("reads an earlier default run's results.json, which kept only the scenario's metrics, the same way", async () => {
    const report = join(temp.path, 'old-report');
    mkdirSync(report);
    writeFileSync(join(report, 'results.json'), JSON.stringify(recordedResults()));
    const baseline = await loadBaseline(report, defaultRun());
    expect(baseline.readFrom).toBe('scenario-metrics');
    expect(baseline.entries.map((e) => e.id)).toEqual(['before', 'seed-fix', 'staged']);
    expect(baseline.entries[1]!.figures.find((f) => 'criterion' in f.figure && f.figure.criterion === 'import-wall')!.samples).toEqual([15_379]);
  });

  it("refuses a baseline of the scenario's metrics for a run of a workload file or of another scenario, saying how to save one", async () => {
    const file = join(temp.path, 'old.json');
    writeFileSync(file, JSON.stringify(metricsFile('concurrent')));
    expect(await refusal(loadBaseline(file, fastapiRun()))).toBe(
      `baseline ${file}: was written by an earlier lockbench over the concurrent scenario's metrics (importWallMs, catalogP99Ms, ...), which a run of workload "marketplace" does not keep: ` +
        'save a new baseline from a run of workload "marketplace" (--save-baseline) and compare with that',
    );
    const smoke = baselineRunOf(planRun(resolveRun({ scenario: 'smoke' })), ASKED)!;
    expect(await refusal(loadBaseline(file, smoke))).toMatch(/over the concurrent scenario's metrics .* save a new baseline from a run of workload "smoke" \(--save-baseline\)/);
  });

  it('says what was expected for a missing, truncated, empty or foreign file', async () => {
    const run = defaultRun();
    const expected = 'expected a baseline file (written by --save-baseline), a results.json, or a report folder containing one';
    expect(await refusal(loadBaseline(join(temp.path, 'nope.json'), run))).toBe(`baseline ${join(temp.path, 'nope.json')}: not found; ${expected}`);
    mkdirSync(join(temp.path, 'empty-folder'));
    expect(await refusal(loadBaseline(join(temp.path, 'empty-folder'), run))).toContain('the folder has no results.json');
    const full = JSON.stringify(recordedResults());
    writeFileSync(join(temp.path, 'cut.json'), full.slice(0, full.length / 2));
    expect(await refusal(loadBaseline(join(temp.path, 'cut.json'), run))).toMatch(/is not complete JSON \(.*\): truncated or not a lockbench file/);
    writeFileSync(join(temp.path, 'blank.json'), '\n');
    expect(await refusal(loadBaseline(join(temp.path, 'blank.json'), run))).toMatch(/blank\.json: is empty/);
    writeFileSync(join(temp.path, 'package.json'), JSON.stringify({ name: 'x', version: '1.0.0' }));
    expect(await refusal(loadBaseline(join(temp.path, 'package.json'), run))).toMatch(
      /is neither a baseline \(format "lockbench-baseline"\) nor a lockbench results\.json \(scenario: .*\); expected a baseline file/,
    );
    const sweep = { ...recorded, profiles: undefined, trials: [] };
    writeFileSync(join(temp.path, 'sweep.json'), JSON.stringify(sweep));
    expect(await refusal(loadBaseline(join(temp.path, 'sweep.json'), run))).toMatch(/has neither profiles\[\] nor trials\[\] with points\[\]/);
  });

  it('refuses another version or a damaged baseline, naming the field', async () => {
    const run = fastapiRun();
    writeFileSync(join(temp.path, 'v2.json'), JSON.stringify({ ...recordedBaseline(), version: 2 }));
    expect(await refusal(loadBaseline(join(temp.path, 'v2.json'), run))).toContain('is a version 2 baseline; this lockbench reads version 1');
    const damaged = JSON.parse(JSON.stringify(recordedBaseline())) as { entries: { figures: { figure: unknown }[] }[] };
    damaged.entries[0]!.figures[0]!.figure = { criterion: 'x', stream: 'y' };
    writeFileSync(join(temp.path, 'damaged.json'), JSON.stringify(damaged));
    expect(await refusal(loadBaseline(join(temp.path, 'damaged.json'), run))).toMatch(/is a baseline file with missing or malformed fields \(entries\.0\.figures\.0\.figure/);
    writeFileSync(join(temp.path, 'old-damaged.json'), JSON.stringify({ ...metricsFile('concurrent'), entries: [{ id: 'staged', kind: 'profile', settings: {}, samples: { importWallMs: [1] } }] }));
    expect(await refusal(loadBaseline(join(temp.path, 'old-damaged.json'), defaultRun()))).toMatch(/missing or malformed fields \(entries\.0\.samples\.maxLockHoldMs/);
  });
});

describe('checkBaselineCompare', () => {
  it('refuses a negative tolerance, naming the flag', () => {
    expect(() => checkBaselineCompare({ tolerance: -0.1 })).toThrow(/--tolerance must be a share >= 0/);
    expect(() => checkBaselineCompare({ tolerance: Number.NaN })).toThrow(UsageError);
    try {
      checkBaselineCompare({ tolerance: -1 });
      expect.unreachable('a negative tolerance must be refused');
    } catch (err) {
      expect((err as UsageError).flag).toBe('--tolerance');
    }
  });

  it('refuses an alpha outside (0, 1)', () => {
    expect(() => checkBaselineCompare({ alpha: 0 })).toThrow('alpha must be between 0 and 1, got 0');
    expect(() => checkBaselineCompare({ alpha: 1 })).toThrow(UsageError);
  });

  it('takes a tolerance of 0 or more and an alpha between 0 and 1', () => {
    expect(() => checkBaselineCompare({ tolerance: 0, alpha: 0.05 })).not.toThrow();
    expect(() => checkBaselineCompare({ tolerance: 2.5 })).not.toThrow();
    expect(() => checkBaselineCompare({})).not.toThrow();
  });
});

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { IntegrityResult } from '../model/results.ts';
import type { TrialFacts } from '../model/trial.ts';
import type { WorkloadSample } from '../model/workload-samples.ts';
import { assembleTrialResult, TrialWithoutWorkloadError } from './assemble.ts';
import { resolveRunOptions } from '../plan/options.ts';
import { SCENARIO_DEFINITIONS } from '../plan/scenarios.ts';
import { parseWorkload } from '../plan/workload/load.ts';
import { DOC_DIR, shop } from '../plan/workload/testing/bad-workloads.ts';

const T0 = 1_700_000_000_000;
const loaded = { ...parseWorkload(shop(), 'shop', DOC_DIR), source: 'shop.yaml' };

function facts(status: TrialFacts['status']): TrialFacts {
  return {
    id: 'deferred',
    gated: true,
    scenario: 'concurrent',
    flags: {},
    targetConfig: null,
    status,
    ...(status === 'completed' ? {} : { error: 'interrupted' }),
    notes: [],
    phases: [],
    observerIntervalUs: 250,
    holderPids: null,
    targetLog: null,
    workload: loaded,
    workloadFrom: 'file',
  };
}

/** Every order answered at once: a figure that passes its criterion, over whatever part of the run there was. */
const answers: WorkloadSample[] = Array.from({ length: 50 }, (_, i) => ({
  stream: 'orders',
  scheduledMs: T0 + i * 20,
  sentMs: T0 + i * 20,
  endMs: T0 + i * 20 + 5,
  status: 201,
  outcome: 'success',
  lockFailure: null,
  acknowledged: null,
}));

function trial(status: TrialFacts['status'], { withWorkload = true } = {}) {
  // A recorded driver summary: the load ran; what it measured is the workload's answers below.
  const summary = (JSON.parse(readFileSync(new URL('../run/fixtures/k6-summary-before.json', import.meta.url), 'utf8')) as { lockbench: unknown }).lockbench;
  const run = { summary, files: { summary: null, log: null, samples: null } } as never;
  const collected = { workload: { answers, noLoss: {}, run: { startMs: T0, endMs: T0 + 1000 } } } as never;
  const { workload: _workload, ...withoutWorkload } = facts(status);
  return assembleTrialResult({ facts: withWorkload ? facts(status) : withoutWorkload, run, collected });
}

describe("a workload trial's criteria", () => {
  it("alone judge it: its `criteria` stays empty, and its verdict is the workload's", () => {
    const result = trial('completed');
    expect(result.criteria).toEqual([]);
    expect(result.workload!.criteria.length).toBeGreaterThan(0);
    expect(result.pass).toBe(result.workload!.criteria.every((c) => c.pass));
  });

  it('are judged when the trial ran to the end', () => {
    const judged = trial('completed').workload!.criteria;
    expect(judged.some((c) => c.pass)).toBe(true);
    expect(judged.every((c) => c.notJudged === undefined)).toBe(true);
  });

  it('are not judged, and none passes, when the trial was cut short: its figures cover part of the run only', () => {
    const result = trial('incomplete');
    const criteria = result.workload!.criteria;
    expect(criteria.length).toBeGreaterThan(0);
    expect(criteria.every((c) => c.notJudged === 'partial-run' && !c.pass)).toBe(true);
    // The figures stay, as what was measured.
    expect(criteria.map((c) => c.measured)).toEqual(trial('completed').workload!.criteria.map((c) => c.measured));
    expect(result.pass).toBe(false);
  });

  it('are not judged, and none passes, when the trial never ran', () => {
    const result = trial('not-run');
    expect(result.workload!.criteria.length).toBeGreaterThan(0);
    expect(result.workload!.criteria.every((c) => c.notJudged === 'not-run' && !c.pass)).toBe(true);
    expect(result.pass).toBe(false);
  });
});

describe('a trial without a workload', () => {
  it('is refused, never judged by nothing: every trial of a plan carries one', () => {
    expect(() => trial('completed', { withWorkload: false })).toThrow(TrialWithoutWorkloadError);
    expect(() => trial('completed', { withWorkload: false })).toThrow(/trial deferred carries no workload, so nothing can judge it/);
  });
});

describe("a workload trial's lock criteria", () => {
  const OFF = { status: 'off', reason: 'observer turned off (--no-observer)' };
  const writers = () => ({ spans: spans(20, [300, 340]), samples: null, writes: 1, lockHold: { maxMs: 40, p99Ms: 40 }, latency: { p99Ms: 41 }, errorsByCode: {} });
  const spans = (pid: number | undefined, ...holds: [number, number][]) => holds.map(([start, end]) => ({ startMs: T0 + start, endMs: T0 + end, owner: 'x', kind: 'write', requestId: null, ...(pid === undefined ? {} : { pid }) }));
  function judged(collected: Record<string, unknown>) {
    const summary = (JSON.parse(readFileSync(new URL('../run/fixtures/k6-summary-before.json', import.meta.url), 'utf8')) as { lockbench: unknown }).lockbench;
    const run = { summary, files: { summary: null, log: null, samples: null } } as never;
    const record = { workload: { answers, noLoss: {}, run: { startMs: T0, endMs: T0 + 1000 } }, ...collected } as never;
    return assembleTrialResult({ facts: { ...facts('completed'), holderPids: { target: 10, workflowWriters: 20 } }, run, collected: record }).workload!;
  }

  it("are judged on the holders' own spans when the observer did not watch and the target reports its own, and say so", () => {
    const result = judged({ observation: OFF, locks: { spans: spans(undefined, [100, 250]), holds: { maxMs: 150, p99Ms: 150 }, busyErrors: {} }, writers: writers() });
    expect(result.lockSource).toBe('self-reported');
    expect(result.criteria.find((c) => c.id === 'lock-hold')).toMatchObject({ measured: 150 });
  });

  it("are not measured when nothing but the side writers reported: their spans alone miss every hold of the app", () => {
    const result = judged({ observation: OFF, locks: null, writers: writers() });
    expect(result.lockSource).toBe('none');
    expect(result.criteria.find((c) => c.id === 'lock-hold')).toMatchObject({ measured: null, pass: false, code: 'no-samples' });
  });
});

describe("a scenario's workload and the scenario's own database check", () => {
  const seed = SCENARIO_DEFINITIONS.concurrent.workload(resolveRunOptions({ profiles: ['staged'] }), 400)!;
  // Five imports of 100, each acknowledged and all 500 rows counted back.
  const imports: WorkloadSample[] = Array.from({ length: 5 }, (_, i) => ({
    stream: 'imports',
    scheduledMs: T0,
    sentMs: T0,
    endMs: T0 + 100 + i,
    status: 200,
    outcome: 'success',
    lockFailure: null,
    acknowledged: 100,
  }));
  function noLossOf({ ok, problems }: { ok: boolean; problems: string[] }) {
    const integrity: IntegrityResult = {
      ok,
      integrityCheck: ['ok'],
      artifacts: { acknowledged: 500, found: 500, duplicates: ok ? 0 : 3 },
      collectionArtifacts: { found: 0, missing: 0 },
      compositeChildren: { found: 0, duplicates: 0 },
      workflowExecutions: { acknowledged: null, found: 0, unfinished: null },
      executionSteps: { acknowledged: null, found: 0 },
      problems,
    };
    const summary = (JSON.parse(readFileSync(new URL('../run/fixtures/k6-summary-before.json', import.meta.url), 'utf8')) as { lockbench: unknown }).lockbench;
    const run = { summary, files: { summary: null, log: null, samples: null } } as never;
    const collected = { integrity, workload: { answers: imports, noLoss: { 'no-loss': { found: 500, integrityOk: true } }, run: { startMs: T0, endMs: T0 + 1000 } } } as never;
    const result = assembleTrialResult({ facts: { ...facts('completed'), workload: seed, workloadFrom: 'scenario' }, run, collected });
    return result.workload!.criteria.find((c) => c.id === 'no-loss')!;
  }

  it('fails the integrity-checked no-loss when that check found a problem the count cannot see, such as a duplicate', () => {
    expect(noLossOf({ ok: true, problems: [] })).toMatchObject({ measured: 500, threshold: 500, pass: true });
    expect(noLossOf({ ok: false, problems: ['3 artifacts stored twice'] })).toMatchObject({ measured: 500, threshold: 500, pass: false, code: 'integrity-failed' });
  });
});

describe("the scenario's own figures", () => {
  const seed = SCENARIO_DEFINITIONS.concurrent.workload(resolveRunOptions({ profiles: ['staged'] }), 400)!;
  const writers = { spans: [], samples: [], writes: 0, succeeded: 0, failed: 0, abandoned: 0, errorsByCode: {}, latency: { p99Ms: null }, lockWait: {}, lockHold: { maxMs: null }, acknowledged: {}, executionIdPrefix: 'w' };
  function assembled(from: TrialFacts['workloadFrom'], workload = from === 'file' ? loaded : seed) {
    const summary = (JSON.parse(readFileSync(new URL('../run/fixtures/k6-summary-before.json', import.meta.url), 'utf8')) as { lockbench: unknown }).lockbench;
    const run = { summary, files: { summary: null, log: null, samples: null } } as never;
    const collected = { writers, importJobsWallMs: 1234, workload: { answers, noLoss: {}, run: { startMs: T0, endMs: T0 + 1000 } } } as never;
    const { workloadFrom: _from, ...given } = facts('completed');
    return assembleTrialResult({ facts: { ...given, workload, ...(from === undefined ? {} : { workloadFrom: from }) }, run, collected });
  }
  const SEED_FIELDS = ['metrics', 'importWindow', 'importJobsWallMs', 'workflowWriters'] as const;

  it('are left out of a trial whose load was a workload file, which ran no imports, catalog updates or workflow writers', () => {
    const result = assembled('file');
    for (const field of SEED_FIELDS) expect(result, field).not.toHaveProperty(field);
    expect(result.load).not.toBeNull();
    expect(result.load).not.toHaveProperty('imports');
    // Its own figures stay: its streams and criteria, the driver's per-stream latency.
    expect(result.load!.streams).toBeDefined();
    // No artifact rows of the scenario's were acknowledged or counted: not measured, rather than 0 acknowledged.
    expect(result.reliability!.rows).toEqual({ acknowledged: null, stored: null });
    expect(result.workload!.streams.map((s) => s.stream)).toEqual(loaded.workload.streams.map((s) => s.name));
    const written = JSON.stringify(result);
    for (const word of ['importWallMs', 'catalogP99', 'importWindow', 'artifactsExpected', 'workflowWriters', 'artifactsRequested']) expect(written).not.toContain(word);
  });

  it("stay in a trial of its scenario's own load, as every trial had them before, and where its source is not said", () => {
    for (const from of ['scenario', undefined] as const) {
      const result = assembled(from, seed);
      for (const field of SEED_FIELDS) expect(result, `${String(from)} ${field}`).toHaveProperty(field);
      expect(result.metrics!.importWallMs).toBe(result.load!.imports!.wallMs);
      expect(result.importJobsWallMs).toBe(1234);
      expect(result.reliability!.rows.acknowledged).toBe(result.metrics!.artifactsExpected);
      expect(result.workflowWriters).toMatchObject({ writes: 0, executionIdPrefix: 'w' });
      expect(result.load!.imports).toMatchObject({ expected: expect.any(Number), artifactsAcknowledged: expect.any(Number) });
      expect(result.importWindow).toMatchObject({ catalog: expect.any(Object), workflowWrites: expect.any(Object) });
    }
  });
});

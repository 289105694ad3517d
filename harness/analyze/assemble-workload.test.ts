import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { TrialFacts } from '../model/trial.ts';
import type { WorkloadSample } from '../model/workload-samples.ts';
import { assembleTrialResult } from './assemble.ts';
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

function trial(status: TrialFacts['status']) {
  // A recorded driver summary: the load ran; what it measured is the workload's answers below.
  const summary = (JSON.parse(readFileSync(new URL('../run/fixtures/k6-summary-before.json', import.meta.url), 'utf8')) as { lockbench: unknown }).lockbench;
  const run = { summary, files: { summary: null, log: null, samples: null } } as never;
  const collected = { workload: { answers, noLoss: {}, run: { startMs: T0, endMs: T0 + 1000 } } } as never;
  return assembleTrialResult({ facts: facts(status), run, collected }, []);
}

describe("a workload trial's criteria", () => {
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
});

/**
 * The seed workload judging a default run that k6 measured, from the recorded k6 run of the staged profile
 * (its CSV and summary): what k6 gives (request samples without their schedule, the imports' acknowledged
 * count) is judged as the built-in driver's is, and what the recording lacks (the observer's spans, the
 * workflow writers, the database's count) is not measured by the seed's criteria either, never a pass.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { SummaryFile } from '../../../scenarios/lib/contract.ts';
import { assembleTrialResult } from '../../analyze/assemble.ts';
import { evaluateCriteria } from '../../analyze/criteria.ts';
import type { Collected, TrialFacts } from '../../model/trial.ts';
import { loadCriteria } from '../../plan/criteria.ts';
import { resolveRunOptions } from '../../plan/options.ts';
import { SCENARIO_DEFINITIONS } from '../../plan/scenarios.ts';
import { samplesFromK6Csv } from '../drivers/k6/csv.ts';
import { answersAsScenario } from './recorded.ts';

const summary = (JSON.parse(readFileSync(new URL('../drivers/k6/fixtures/k6-summary-staged.json', import.meta.url), 'utf8')) as SummaryFile).lockbench;
const samples = samplesFromK6Csv(readFileSync(new URL('../drivers/k6/fixtures/k6-samples-staged.csv', import.meta.url), 'utf8'));
const options = resolveRunOptions({ driver: 'k6', profiles: ['staged'] });
const CATALOG_ENTRIES = 400;
const seed = SCENARIO_DEFINITIONS.concurrent.workload(options, CATALOG_ENTRIES)!;
const description = SCENARIO_DEFINITIONS.concurrent.describe(options, CATALOG_ENTRIES);

function judged() {
  const { answers, acknowledged } = answersAsScenario(seed.workload, description, { summary, samples }, 'imported');
  const startMs = Math.min(...samples.map((s) => s.sentMs ?? s.endMs));
  const endMs = Math.max(...samples.map((s) => s.endMs));
  const collected: Collected = {
    observation: null,
    samples,
    writers: null,
    locks: null,
    integrity: null,
    importJobsWallMs: null,
    spansFile: null,
    resources: null,
    failures: [],
    workload: { answers, noLoss: null, run: { startMs, endMs }, acknowledged },
  };
  const facts: TrialFacts = {
    id: 'staged',
    gated: true,
    scenario: 'concurrent',
    flags: {},
    targetConfig: null,
    status: 'completed',
    notes: [],
    phases: [],
    observerIntervalUs: 250,
    holderPids: null,
    targetLog: null,
    workload: seed,
  };
  const run = { completed: true, aborted: false, startedAtMs: startMs, durationMs: endMs - startMs, summary, files: { summary: null, log: null, samples: null } };
  return assembleTrialResult({ facts, run, collected });
}

describe('the seed workload over a recorded k6 run', () => {
  it("gives every stream's figures from k6's samples, the imports' acknowledged total from its summary", () => {
    const streams = judged().workload!.streams;
    expect(streams.map((s) => [s.stream, s.requests])).toEqual([
      ['imports', summary.imports.expected],
      ['catalog', samples.filter((s) => s.stream === 'catalog').length],
      ['reads', samples.filter((s) => s.stream === 'reads').length],
      // The recording has no workflow writers.
      ['workflow', 0],
    ]);
    expect(streams[0]!.acknowledged).toBe(summary.imports.artifactsAcknowledged);
  });

  it("agrees with criteria.json: the same verdicts, the same latency and success figures, and nothing passed that the recording lacks", () => {
    const result = judged();
    const seedCriteria = result.workload!.criteria;
    // A trial that carries a workload is judged by it alone; criteria.json's judgement is made here, over the
    // same trial's recorded figures, as it still judges k6's thresholds.
    expect(result.criteria).toEqual([]);
    const scenario = evaluateCriteria(loadCriteria(), result.metrics!);
    expect(seedCriteria.map((c) => c.id)).toEqual(scenario.map((c) => c.id));
    for (const criterion of scenario) {
      const c = seedCriteria.find((s) => s.id === criterion.id)!;
      expect(c.pass, criterion.id).toBe(criterion.pass);
    }
    const byId = (id: string) => [scenario.find((c) => c.id === id)!.measured, seedCriteria.find((c) => c.id === id)!.measured];
    for (const id of ['catalog-p99', 'success']) {
      const [json, workload] = byId(id);
      expect(workload, id).toBe(json);
    }
    // k6 differs on the imports' wall alone: criteria.json takes the script's clock around each import call
    // (Date.now(), whole ms, the connection's set-up included), the seed its samples (k6's http_req_duration:
    // first byte sent to last byte read). Inside that span by construction, 10 ms shorter in this recording.
    const [scriptWall, samplesWall] = byId('import-wall') as [number, number];
    expect(samplesWall).toBeLessThanOrEqual(scriptWall + 1);
    expect(samplesWall).toBeGreaterThan(scriptWall - 0.01 * scriptWall);
    // Not recorded: the lock, the writers, the database's count. Not measured on either side.
    for (const id of ['lock-hold', 'workflow-p99', 'no-loss']) {
      const c = seedCriteria.find((s) => s.id === id)!;
      expect([c.pass, c.measured], id).toEqual([false, null]);
    }
  });
});

/**
 * The seed workload's criteria over a recorded run (fixtures/run-staged: a default run's staged profile)
 * give the figures that run judged itself: the evaluator means what harness/plan/criteria.json means, so the
 * run layer can judge by the workload with no change in its verdicts.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseSamplesCsv } from '../../model/samples-file.ts';
import type { LockSpan } from '../../shared/lock-span.ts';
import { evaluateWorkloadCriteria } from '../../analyze/workload-evaluate.ts';
import { loadWorkload } from '../../plan/workload/load.ts';
import { classifyRecorded } from './recorded.ts';

const fixture = (name: string) => readFileSync(new URL(`../../plan/workload/fixtures/run-staged/${name}`, import.meta.url), 'utf8');
const observed = JSON.parse(fixture('observed.json')) as {
  windowStartMs: number;
  windowEndMs: number;
  writeSpans: LockSpan[];
  judged: Record<string, number>;
  artifactsFound: number;
  integrityOk: boolean;
};

describe('the seed workload over a recorded run', () => {
  const { workload } = loadWorkload(fileURLToPath(new URL('../../../scenarios/concurrent.workload.json', import.meta.url)));
  const { samples, needsBody } = classifyRecorded(workload, parseSamplesCsv(fixture('samples.csv')));
  const results = evaluateWorkloadCriteria({
    workload,
    samples,
    lockSpans: observed.writeSpans,
    run: { startMs: observed.windowStartMs, endMs: observed.windowEndMs },
    noLoss: { 'no-loss': { found: observed.artifactsFound, integrityOk: observed.integrityOk } },
  });
  const measured = (id: string) => results.find((r) => r.id === id)!.measured;

  it('classifies every request stream from its statuses', () => {
    expect(needsBody).toEqual([]);
    expect(new Set(samples.map((s) => s.stream))).toEqual(new Set(['imports', 'catalog', 'reads']));
  });

  it.each(['lock-hold', 'import-wall', 'catalog-p99', 'success'])('measures %s as the run did', (id) => {
    expect(measured(id)).toBeCloseTo(observed.judged[id]!, 9);
  });

  // The workflow writers' per-write samples stay in the run's memory; recorded files do not hold them.
  it('has no workflow-p99 figure from files alone, and says so', () => {
    expect(results.find((r) => r.id === 'workflow-p99')).toMatchObject({ measured: null, pass: false, code: 'no-samples' });
  });
});

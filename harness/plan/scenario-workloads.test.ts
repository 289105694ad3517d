import { describe, expect, it } from 'vitest';
import { criteriaFor } from '../model/scenario-criteria.ts';
import { BUILTIN_TARGET } from './targets/builtin.ts';
import { resolveRunOptions } from './options.ts';
import { loadCriteria } from './criteria.ts';
import { SCENARIO_DEFINITIONS } from './scenarios.ts';
import { scenarioMapping } from './targets/schema.ts';

const catalogEntries = scenarioMapping(BUILTIN_TARGET.description).seeded.catalogEntries;

/** The streams of a description or a workload as the agreement compares them: name, executor type, rate. */
function shape(streams: readonly { name: string; executor: { type: string; rate?: number } }[]) {
  return streams.map((s) => ({ name: s.name, executor: s.executor.type, rate: s.executor.rate ?? null }));
}

describe.each(['smoke', 'soak'] as const)("the %s scenario's workload", (scenario) => {
  const definition = SCENARIO_DEFINITIONS[scenario];

  it.each([
    ['the defaults', {}],
    ['other rates, sizes and writers', { duration: '45s', importRate: 2, catalogRate: 33, readRate: 7, artifacts: 12, imports: 3, workflowRate: 35, writerThreads: 3, writerMaxInFlight: 7 }],
    ['no reads', { readRate: 0 }],
  ])('sends the streams of the description the driver runs, with %s', (_what, flags) => {
    const options = resolveRunOptions({ scenario, ...flags });
    const description = definition.describe(options, catalogEntries);
    const { workload } = definition.workload(options, catalogEntries)!;
    const requests = workload.streams.filter((s) => s.action.kind === 'http');
    expect(shape(requests)).toEqual(shape(description.streams));
    for (const stream of requests) expect(stream.action, stream.name).toMatchObject({ answers: { success: { status: [200] }, lockError: { status: [503] } } });
    // The workflow writers run beside every scenario on the built-in target: the workload's SQL stream is theirs.
    const sql = workload.streams.filter((s) => s.action.kind === 'sql');
    expect(sql.map((s) => [s.name, s.executor, s.action])).toEqual([
      ['workflow', expect.objectContaining({ type: 'constant-arrival-rate', rate: options.workflowRate, maxVUs: options.writerMaxInFlight }), expect.objectContaining({ procedure: 'workflow-executions', threads: options.writerThreads })],
    ]);
  });

  it("is judged by criteria.json's criteria for the scenario: the same ids, comparisons and thresholds", () => {
    const options = resolveRunOptions({ scenario });
    const { workload } = definition.workload(options, catalogEntries)!;
    const expected = criteriaFor(scenario, loadCriteria());
    expect(workload.criteria.map((c) => c.id)).toEqual(expected.map((c) => c.id));
    for (const criterion of expected) {
      const ours = workload.criteria.find((c) => c.id === criterion.id)!;
      if (ours.type === 'no-loss') {
        // Rows stored against rows acknowledged, with the integrity check: criteria.json's `==` against artifactsExpected.
        expect([criterion.comparison, criterion.threshold, criterion.requires?.map((r) => r.metric)]).toEqual(['==', { metric: 'artifactsExpected' }, ['integrityOk']]);
        expect(ours).toMatchObject({ stream: scenario === 'smoke' ? 'smoke' : 'imports', count: 'SELECT count(*) AS n FROM artifacts', integrity: true });
      } else {
        expect([ours.comparison, ours.threshold], criterion.id).toEqual([criterion.comparison, criterion.threshold]);
      }
    }
    // The soak's latencies are judged inside the imports' window, as criteria.json's import window.
    for (const c of workload.criteria) if (c.type === 'latency') expect(c.window, c.id).toBe('imports');
  });
});

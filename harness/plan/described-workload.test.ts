/** The scenario's workload on a described target: the description's answers, acknowledged field, templates and SQL; the scenario's criteria. */
import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import type { HttpAction, LoadedWorkload, SqlAction, WorkloadStream } from '../model/workload-plan.ts';
import { describedWorkload } from './described-workload.ts';
import { resolveRun } from './options.ts';
import { SCENARIO_DEFINITIONS } from './scenarios.ts';
import { BUILTIN_TARGET } from './targets/builtin.ts';
import { loadTargetDescription, type LoadedTargetDescription } from './targets/load.ts';
import type { ScenarioName } from '../model/results.ts';
import { scenarioMapping } from './targets/schema.ts';

const NODE_CLUSTER = loadTargetDescription(fileURLToPath(new URL('../../examples/node-cluster/target.json', import.meta.url)));
const ADAPTER = loadTargetDescription(fileURLToPath(new URL('./targets/fixtures/adapter/target.json', import.meta.url)));

/** The scenario's own workload and the one adapted to `target`, from the same options. */
function adapt(target: LoadedTargetDescription, scenario: ScenarioName = 'concurrent', input: Parameters<typeof resolveRun>[0] = {}): { own: LoadedWorkload; adapted: LoadedWorkload } {
  const { options } = resolveRun({ scenario, ...input });
  const definition = SCENARIO_DEFINITIONS[scenario];
  const { catalogEntries } = scenarioMapping(target.description).seeded;
  const own = definition.workload(options, catalogEntries);
  return { own, adapted: describedWorkload(own, target, definition.describe(options, catalogEntries)) };
}

const http = (w: LoadedWorkload, name: string) => (w.workload.streams.find((s) => s.name === name) as WorkloadStream & { action: HttpAction }).action;
const sql = (w: LoadedWorkload) => (w.workload.streams.find((s) => s.action.kind === 'sql') as WorkloadStream & { action: SqlAction });

describe('the scenario workload on a described target', () => {
  // The built-in target's description says what the seed says: adapted to it, the seed's requests come back.
  it.each(['concurrent', 'soak'] as const)("gives back the %s workload's own requests, answers and acknowledged field from the built-in target's description", (scenario) => {
    const { own, adapted } = adapt(BUILTIN_TARGET, scenario);
    const requests = (w: LoadedWorkload) =>
      w.workload.streams.flatMap((s) => (s.action.kind === 'http' ? [{ name: s.name, method: s.action.method, path: s.action.path, body: s.action.body, answers: s.action.answers, acknowledged: s.action.acknowledged }] : []));
    expect(requests(adapted)).toEqual(requests(own));
    expect(requests(adapted).map((r) => r.name)).toEqual(['imports', 'catalog', 'reads']);
  });

  it("keeps the scenario's name, streams, executors and criteria; only the no-loss count is the description's SQL", () => {
    const { own, adapted } = adapt(NODE_CLUSTER, 'concurrent', { target: NODE_CLUSTER.source, catalogRate: 33 });
    expect(adapted.workload.name).toBe('concurrent');
    expect(adapted.workload.streams.map((s) => [s.name, s.executor, s.endsAfter])).toEqual(own.workload.streams.map((s) => [s.name, s.executor, s.endsAfter]));
    expect(adapted.workload.criteria.map((c) => c.id)).toEqual(own.workload.criteria.map((c) => c.id));
    expect(adapted.workload.criteria.filter((c) => c.type !== 'no-loss')).toEqual(own.workload.criteria.filter((c) => c.type !== 'no-loss'));
    expect(adapted.workload.criteria.find((c) => c.type === 'no-loss')).toMatchObject({ stream: 'imports', integrity: true, count: NODE_CLUSTER.description.sql.artifactsPerSource });
    expect(adapted.source).toBe(`${own.source}, adapted to ${NODE_CLUSTER.source}`);
  });

  it("answers by the description's status lists, acknowledges by its importedField and sends its templates", () => {
    const { adapted } = adapt(NODE_CLUSTER);
    // Only 200 means success: its 500 "database is locked" is an error, as the description says today.
    for (const name of ['imports', 'catalog', 'reads']) expect(http(adapted, name).answers, name).toEqual({ success: { status: [200] } });
    expect(http(adapted, 'imports')).toMatchObject({ method: 'POST', path: '/api/sources/src-{source}/import', body: { artifacts: '{entries}' }, acknowledged: 'imported' });
    expect(http(adapted, 'catalog')).toMatchObject({ method: 'PATCH', path: '/api/catalog/{entry}', body: { status: '{status}', title: 'Catalog entry {entry} (update {n})' }, acknowledged: null });
    expect(http(adapted, 'reads')).toMatchObject({ method: 'GET', path: '/api/artifacts?source_id=src-{source}&limit=20', body: null });
    const workflow = sql(adapted);
    expect(workflow.action).toMatchObject({ procedure: null, statements: NODE_CLUSTER.description.sql.workflowWrite!.statements, threads: 2 });
  });

  it('says where an adapter maps the requests, and writes nothing where the description has no sql.workflowWrite', () => {
    const { own, adapted } = adapt(ADAPTER, 'concurrent', { target: ADAPTER.source, imports: 2, readRate: 0 });
    expect(adapted.workload.streams.map((s) => s.name)).toEqual(['imports', 'catalog', 'workflow']);
    expect(http(adapted, 'imports')).toMatchObject({ method: 'mapped', path: 'by the adapter ./adapter.ts (import)', body: null, answers: { success: { status: [201] }, lockError: { status: [409] } }, acknowledged: null });
    expect(http(adapted, 'catalog')).toMatchObject({ method: 'mapped', path: 'by the adapter ./adapter.ts (catalogUpdate)', answers: { success: { status: [204] } } });
    const workflow = sql(adapted);
    expect(workflow.action).toMatchObject({ procedure: null, statements: [], threads: 0 });
    expect(workflow.executor).toMatchObject({ rate: 0 });
    // Its criteria stay, to be judged not measured: no writes to time, no rows counted.
    expect(adapted.workload.criteria.map((c) => c.id)).toEqual(own.workload.criteria.map((c) => c.id));
    expect(adapted.workload.criteria.find((c) => c.type === 'no-loss')).toMatchObject({ count: '' });
  });

  it('sends reads the description has no route for as errors, as the run does', () => {
    const { adapted } = adapt({ ...NODE_CLUSTER, description: { ...NODE_CLUSTER.description, requests: { import: scenarioMapping(NODE_CLUSTER.description).requests.import, catalogUpdate: scenarioMapping(NODE_CLUSTER.description).requests.catalogUpdate } } });
    expect(http(adapted, 'reads')).toMatchObject({ method: 'none', answers: {} });
  });

  it("adapts the soak's rolling imports as imports", () => {
    const { adapted } = adapt(NODE_CLUSTER, 'soak', { target: NODE_CLUSTER.source });
    expect(adapted.workload.name).toBe('soak');
    expect(http(adapted, 'imports')).toMatchObject({ path: '/api/sources/src-{source}/import', acknowledged: 'imported', answers: { success: { status: [200] } } });
  });

  it('refuses the smoke check, which sends nothing a description maps', () => {
    const { options } = resolveRun({ scenario: 'smoke' });
    const smoke = SCENARIO_DEFINITIONS.smoke;
    expect(() => describedWorkload(smoke.workload(options, 400), NODE_CLUSTER, smoke.describe(options, 400))).toThrow(/stream "smoke" sends no request a target description maps/);
  });
});

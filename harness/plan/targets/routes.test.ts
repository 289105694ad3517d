/**
 * The scenario's iterations against a described target: each request mapped through the FastAPI
 * example's description, each answer judged by its status lists and acknowledged count.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { iterationFor, type HttpAnswer } from '../../../scenarios/lib/requests.ts';
import type { ScenarioSettings } from '../../../scenarios/lib/scenario.ts';
import { loadTargetDescription } from './load.ts';
import { loadTargetRoutes } from './mapping.ts';

const FASTAPI = loadTargetDescription(fileURLToPath(new URL('../../../examples/fastapi-sqlalchemy/target.json', import.meta.url)));
const SETTINGS: ScenarioSettings = { artifacts: 4, compositeEvery: 3, children: 2, imports: 2, catalogEntries: 400, readLimit: 5 };

function answer(status: number, body: unknown): HttpAnswer {
  return { status, body: body === null ? null : JSON.stringify(body), startEpochMs: 1_000, endEpochMs: 1_250 };
}

describe('iterations through a target description', () => {
  it("sends import n into src-(n+1) on the target's route, with its entry template", async () => {
    const routes = await loadTargetRoutes(FASTAPI);
    const { first } = iterationFor('import', SETTINGS, 1, routes);
    expect(first).toMatchObject({ method: 'POST', path: '/api/sources/src-2/import', route: 'POST /api/sources/{sourceId}/import' });
    const body = JSON.parse(first.body!) as { artifacts: { external_id: string; kind: string; children?: unknown[] }[] };
    expect(body.artifacts).toHaveLength(4);
    expect(body.artifacts[0]).toMatchObject({ external_id: expect.stringContaining('src-2'), kind: expect.any(String) });
  });

  it.each([
    [200, { imported: 4 }, 'completed', 4, true],
    [207, { imported: 3 }, 'partial', 3, false],
    [503, { detail: 'database is locked' }, 'failed', 0, false],
  ] as const)('judges an import answered %i as %s with %i acknowledged', async (status, body, kind, imported, success) => {
    const routes = await loadTargetRoutes(FASTAPI);
    const outcome = iterationFor('import', SETTINGS, 0, routes).outcome([answer(status, body)]);
    expect(outcome.successes).toEqual([success]);
    expect(outcome.import).toMatchObject({ sourceId: 'src-1', requested: 4, outcome: { kind, httpStatus: status, body: { imported, batches: [] } } });
  });

  it('counts a status outside the lists, or no answer, as an error', async () => {
    const routes = await loadTargetRoutes(FASTAPI);
    const iteration = iterationFor('import', SETTINGS, 0, routes);
    expect(iteration.outcome([answer(422, { detail: [] })]).import?.outcome).toMatchObject({ kind: 'error', reason: "HTTP 422 is not among the description's import statuses" });
    expect(iteration.outcome([answer(0, null)]).import?.outcome).toMatchObject({ kind: 'error', reason: 'no answer' });
  });

  it('sends catalog updates and reads on their routes, successful only on a success status', async () => {
    const routes = await loadTargetRoutes(FASTAPI);
    const update = iterationFor('catalogUpdate', SETTINGS, 2, routes);
    expect(update.first).toMatchObject({ method: 'PATCH', path: '/api/catalog/3', route: 'PATCH /api/catalog/{entryId}' });
    expect(JSON.parse(update.first.body!)).toEqual({ status: 'updating', title: 'Catalog entry 3 (update 2)' });
    expect(update.outcome([answer(200, {})]).successes).toEqual([true]);
    expect(update.outcome([answer(503, {})]).successes).toEqual([false]);
    const read = iterationFor('artifactRead', SETTINGS, 3, routes);
    expect(read.first).toMatchObject({ method: 'GET', path: '/api/artifacts?source_id=src-2&limit=5', body: null, route: 'GET /api/artifacts' });
  });

  it("refuses the smoke check, which reads the built-in target's own routes", async () => {
    const routes = await loadTargetRoutes(FASTAPI);
    expect(() => iterationFor('smoke', SETTINGS, 0, routes)).toThrow(/the smoke check reads the built-in target's own routes/);
  });
});

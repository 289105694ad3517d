import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countRows, makeEntries, startTarget, type TestTarget } from '../testing/support.ts';

let t: TestTarget;
beforeAll(async () => {
  t = await startTarget({ prepareMs: 0, writeMs: 0 });
});
afterAll(() => t.close());

/** Rows in every table the routes write to; bad input must leave them all as they were. */
function footprint() {
  const q = (table: string) => countRows(t.dbPath, `SELECT count(*) AS n FROM ${table}`);
  return {
    artifacts: q('artifacts'),
    children: q('composite_children'),
    jobs: q('import_jobs'),
    batches: q('import_batches'),
    executions: q('workflow_executions'),
    steps: q('execution_steps'),
    catalogVersions: countRows(t.dbPath, 'SELECT sum(version) AS n FROM catalog_entries'),
    stepsDone: countRows(t.dbPath, "SELECT count(*) AS n FROM execution_steps WHERE status != 'pending'"),
  };
}

const json = (method: string, body: unknown) => ({ method, headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });
const entries = makeEntries(3);

interface Case {
  name: string;
  path: string;
  init?: RequestInit;
  status: number;
  message: RegExp;
}

let executionId = '';

const cases = (): Case[] => [
  { name: 'import: malformed JSON', path: '/api/marketplace/sources/src-1/import', init: json('POST', '{"entries": ['), status: 400, message: /Malformed JSON/ },
  { name: 'import: no entries', path: '/api/marketplace/sources/src-1/import', init: json('POST', { entries: [] }), status: 400, message: /entries: must hold at least one entry/ },
  { name: 'import: missing name', path: '/api/marketplace/sources/src-1/import', init: json('POST', { entries: [{ externalId: 'x', type: 'skill' }] }), status: 400, message: /entries\.0\.name/ },
  { name: 'import: duplicate externalId', path: '/api/marketplace/sources/src-1/import', init: json('POST', { entries: [entries[1], entries[1]] }), status: 400, message: /duplicate entry externalId/ },
  { name: 'import: duplicate child', path: '/api/marketplace/sources/src-1/import', init: json('POST', { entries: [{ ...entries[1], children: [entries[2], entries[2]] }] }), status: 400, message: /duplicate child externalId/ },
  { name: 'import: unknown key', path: '/api/marketplace/sources/src-1/import', init: json('POST', { entries, force: true }), status: 400, message: /force/ },
  { name: 'import: bad mode', path: '/api/marketplace/sources/src-1/import?mode=fast', init: json('POST', { entries }), status: 400, message: /mode/ },
  { name: 'import: bad batch size', path: '/api/marketplace/sources/src-1/import?batchSize=0', init: json('POST', { entries }), status: 400, message: /batchSize/ },
  { name: 'import: bad failBatches', path: '/api/marketplace/sources/src-1/import?failBatches=x', init: json('POST', { entries }), status: 400, message: /failBatches: must be a comma-separated list/ },
  { name: 'import: unknown source', path: '/api/marketplace/sources/nope/import', init: json('POST', { entries }), status: 404, message: /source nope does not exist/ },
  { name: 'import status: unknown import', path: '/api/imports/imp_missing', status: 404, message: /does not exist/ },
  { name: 'catalog list: bad limit', path: '/api/marketplace/catalog?limit=-1', status: 400, message: /limit/ },
  { name: 'catalog update: empty body', path: '/api/marketplace/catalog/1', init: json('PATCH', {}), status: 400, message: /at least one of status, title/ },
  { name: 'catalog update: bad id', path: '/api/marketplace/catalog/abc', init: json('PATCH', { status: 'draft' }), status: 400, message: /entryId/ },
  { name: 'catalog update: missing entry', path: '/api/marketplace/catalog/99999', init: json('PATCH', { status: 'draft' }), status: 404, message: /99999 does not exist/ },
  { name: 'execution: unknown workflow', path: '/api/workflows/wf-999/executions', init: json('POST', {}), status: 404, message: /wf-999 does not exist/ },
  { name: 'execution: unknown key', path: '/api/workflows/wf-1/executions', init: json('POST', { priority: 1 }), status: 400, message: /priority/ },
  { name: 'step: bad status', path: `/api/workflow-executions/${executionId}/steps/0`, init: json('PATCH', { status: 'done' }), status: 400, message: /status/ },
  { name: 'step: missing step', path: `/api/workflow-executions/${executionId}/steps/99`, init: json('PATCH', { status: 'running' }), status: 404, message: /has no step 99/ },
  { name: 'step: unknown execution', path: '/api/workflow-executions/exe_missing/steps/0', init: json('PATCH', { status: 'running' }), status: 404, message: /has no step/ },
  { name: 'artifacts: bad limit', path: '/api/artifacts?limit=5000', status: 400, message: /limit/ },
  { name: 'locks: bad sinceMs', path: '/api/health/locks?sinceMs=yesterday', status: 400, message: /sinceMs/ },
  { name: 'unknown route', path: '/api/nothing', status: 404, message: /no route/ },
];

describe('bad input', () => {
  beforeAll(async () => {
    const res = await fetch(`${t.url}/api/workflows/wf-1/executions`, json('POST', {}));
    executionId = ((await res.json()) as { id: string }).id;
  });

  it('gets a 4xx with {"error":{"code","message"}} on every route, and writes nothing', async () => {
    const before = footprint();
    for (const c of cases()) {
      const res = await fetch(`${t.url}${c.path}`, c.init);
      const body = (await res.json()) as { error?: { code?: unknown; message?: unknown } };
      expect(res.status, c.name).toBe(c.status);
      expect(typeof body.error?.code, c.name).toBe('string');
      expect(String(body.error?.message), c.name).toMatch(c.message);
    }
    expect(footprint()).toEqual(before);
  });
});

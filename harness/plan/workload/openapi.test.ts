import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { parseWorkload } from './load.ts';
import { OpenApiError, workloadFromOpenApi, workloadYaml } from './openapi.ts';
import { renderRequest } from './render.ts';
import type { HttpAction } from '../../model/workload-plan.ts';

/** The FastAPI example's /openapi.json, recorded from the running app (scripts/workload-init.test.ts checks it is current). */
const FASTAPI_OPENAPI = fileURLToPath(new URL('./fixtures/fastapi-openapi.json', import.meta.url));
const text = readFileSync(FASTAPI_OPENAPI, 'utf8');

describe('a starting workload from an OpenAPI document', () => {
  it('has one stream per operation, named after its summary', async () => {
    const workload = await workloadFromOpenApi(text);
    expect(Object.keys(workload.streams)).toEqual(['health', 'list-sources', 'import-artifacts', 'update-catalog-entry', 'list-artifacts', 'start-execution']);
  });

  it('loads as a workload, with paths filled from the parameters\' values and bodies from the schemas', async () => {
    const { workload } = parseWorkload(await workloadFromOpenApi(text, { rate: 5, duration: '10s' }), 'fastapi', '.');
    const stream = (name: string) => workload.streams.find((s) => s.name === name)!;
    expect(stream('health').executor).toMatchObject({ type: 'constant-arrival-rate', rate: 5, durationMs: 10_000 });
    const update = renderRequest(stream('update-catalog-entry').action as HttpAction, workload.seed, 'update-catalog-entry', 0);
    expect(update.method).toBe('PATCH');
    expect(update.path).toMatch(/^\/api\/catalog\/\d+$/);
    expect(update.body).toEqual({ status: 'string', title: 'string' });
    const imports = renderRequest(stream('import-artifacts').action as HttpAction, workload.seed, 'import-artifacts', 0);
    expect(imports.path).toBe('/api/sources/string/import');
    expect(imports.headers).toEqual({ 'Content-Type': 'application/json' });
    expect(imports.body).toEqual({ artifacts: [{ external_id: 'string', name: 'string', kind: 'string', children: [] }] });
  });

  it('takes each operation\'s documented 2xx statuses as success, and a lock error as frameworks report one', async () => {
    const { workload } = parseWorkload(await workloadFromOpenApi(text), 'fastapi', '.');
    const answers = (name: string) => (workload.streams.find((s) => s.name === name)!.action as HttpAction).answers;
    expect(answers('start-execution').success).toEqual({ status: [201] });
    expect(answers('health').lockError).toEqual({ status: [500, 503], body: 'database is locked|SQLITE_BUSY' });
  });

  it('reads a YAML document as it reads JSON', async () => {
    expect(await workloadFromOpenApi(stringify(JSON.parse(text)))).toEqual(await workloadFromOpenApi(text));
  });

  it('uses an example over the schema\'s types, and a parameter\'s example or enum', async () => {
    const doc = {
      openapi: '3.0.2',
      info: { title: 'Shop', version: '1' },
      paths: {
        '/orders/{order-id}': {
          put: {
            summary: 'Replace order',
            parameters: [
              { name: 'order-id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } },
              { name: 'region', in: 'query', required: true, schema: { type: 'string', enum: ['eu', 'us'] } },
            ],
            requestBody: { content: { 'application/json': { schema: { type: 'object', properties: { qty: { type: 'integer', example: 3 } } } } } },
            responses: { '204': { description: 'done' } },
          },
        },
      },
    };
    const workload = await workloadFromOpenApi(doc);
    expect(workload.streams).toEqual({
      'replace-order': expect.objectContaining({
        request: { method: 'PUT', path: '/orders/{order_id}?region={region}', headers: { 'Content-Type': 'application/json' }, body: { qty: 3 } },
        values: { order_id: { uuid: {} }, region: { pick: { from: ['eu', 'us'], order: 'cycle' } } },
        answers: { success: { status: [204] } },
      }),
    });
    expect(() => parseWorkload(workload, 'shop', '.')).not.toThrow();
  });

  it('refuses what is not an OpenAPI document', async () => {
    await expect(workloadFromOpenApi('{"hello": 1}')).rejects.toThrow(OpenApiError);
  });

  it('writes YAML that points editors at the schema and reads back as the same workload', async () => {
    const workload = await workloadFromOpenApi(text);
    const yaml = workloadYaml(workload, '../schemas/workload.schema.json', 'openapi.json');
    expect(yaml.split('\n')[0]).toBe('# yaml-language-server: $schema=../schemas/workload.schema.json');
    expect(parse(yaml)).toEqual(workload);
  });
});

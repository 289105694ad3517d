import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BUILTIN_TARGET } from './builtin.ts';
import { loadTargetDescription } from './load.ts';
import { acknowledgedEntries, classifyStatus, loadRequestMapper, mapRequest } from './mapping.ts';
import type { ScenarioRequest } from '../../../scenarios/lib/contract.ts';
import { scenarioMapping } from './schema.ts';

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
const REQUESTS = JSON.parse(readFileSync(fixture('scenario-requests.json'), 'utf8')) as ScenarioRequest[];
const RECORDED = JSON.parse(readFileSync(fixture('mapped-requests.json'), 'utf8')) as Record<string, unknown[]>;
const FASTAPI = loadTargetDescription(fileURLToPath(new URL('../../../examples/fastapi-sqlalchemy/target.json', import.meta.url)));
const DESCRIPTIONS = { builtin: BUILTIN_TARGET, 'fastapi-sqlalchemy': FASTAPI };
const importRequest = REQUESTS[0] as Extract<ScenarioRequest, { kind: 'import' }>;

describe('mapRequest', () => {
  it.each(Object.entries(DESCRIPTIONS))('maps the scenario requests onto %s as recorded', (name, loaded) => {
    expect(REQUESTS.map((r) => mapRequest(loaded.description, r))).toEqual(RECORDED[name]);
  });

  it('keeps a number a number where the template is exactly "{name}"', () => {
    const description = { ...FASTAPI.description, requests: { ...scenarioMapping(FASTAPI.description).requests, catalogUpdate: { ...scenarioMapping(FASTAPI.description).requests.catalogUpdate, body: { id: '{entryId}', label: 'entry {entryId}' } } } };
    const mapped = mapRequest(description, { kind: 'catalogUpdate', entryId: 7, status: 's', title: 't' });
    expect(JSON.parse(mapped.body!)).toEqual({ id: 7, label: 'entry 7' });
  });

  it('says so when a description without artifactRead is asked for a read', () => {
    const { artifactRead: _dropped, ...requests } = scenarioMapping(FASTAPI.description).requests;
    expect(() => mapRequest({ ...FASTAPI.description, requests }, REQUESTS[2]!)).toThrow('the target description has no "artifactRead" request');
  });
});

describe('classifyStatus', () => {
  it.each([
    ['builtin', 'import', 200, 'success'],
    ['builtin', 'import', 207, 'partial'],
    ['builtin', 'import', 503, 'lock-timeout'],
    ['builtin', 'import', 400, 'error'],
    ['builtin', 'catalogUpdate', 200, 'success'],
    ['builtin', 'catalogUpdate', 404, 'error'],
    ['fastapi-sqlalchemy', 'import', 207, 'partial'],
    ['fastapi-sqlalchemy', 'catalogUpdate', 503, 'lock-timeout'],
    ['fastapi-sqlalchemy', 'catalogUpdate', 207, 'error'],
    ['fastapi-sqlalchemy', 'artifactRead', 200, 'success'],
    ['fastapi-sqlalchemy', 'artifactRead', 500, 'error'],
  ] as const)('%s %s %i -> %s', (name, kind, status, outcome) => {
    expect(classifyStatus(DESCRIPTIONS[name].description, kind, status)).toBe(outcome);
  });
});

describe('acknowledgedEntries', () => {
  const { description } = FASTAPI;
  it('reads the importedField of a partial answer', () => {
    expect(acknowledgedEntries(description, importRequest, 207, { imported: 1 })).toBe(1);
  });
  it('counts none on a lock timeout or an error', () => {
    expect(acknowledgedEntries(description, importRequest, 503, { imported: 0 })).toBe(0);
    expect(acknowledgedEntries(description, importRequest, 422, { detail: [] })).toBe(0);
  });
  it('is unknown when the answer lacks the field', () => {
    expect(acknowledgedEntries(description, importRequest, 200, {})).toBeNull();
  });
  it('without importedField, a success acknowledges every entry', () => {
    const { importedField: _dropped, ...importRoute } = scenarioMapping(description).requests.import;
    const without = { ...description, requests: { ...scenarioMapping(description).requests, import: importRoute } };
    expect(acknowledgedEntries(without, importRequest, 200, undefined)).toBe(2);
    expect(acknowledgedEntries(without, importRequest, 207, undefined)).toBeNull();
  });
});

describe('adapter', () => {
  it("replaces the templates with the adapter module's mapRequest", async () => {
    const loaded = loadTargetDescription(fixture('adapter/target.json'));
    const map = await loadRequestMapper(loaded);
    expect(map(importRequest)).toEqual({
      method: 'PUT',
      path: '/sources/src-2/artifacts',
      headers: { 'content-type': 'application/x-ndjson' },
      body: '{"id":"src-2-art-0001","title":"Artifact 1"}\n{"id":"src-2-art-0002","title":"Composite artifact 2"}',
    });
    expect(map(REQUESTS[1]!).body).toBe('status=updating&title=Catalog+entry+17+%28update+4%29');
    expect(classifyStatus(loaded.description, 'import', 409)).toBe('lock-timeout');
  });

  it('without an adapter, the templates map', async () => {
    const map = await loadRequestMapper(FASTAPI);
    expect(map(REQUESTS[1]!)).toEqual(RECORDED['fastapi-sqlalchemy']![1]);
  });
});

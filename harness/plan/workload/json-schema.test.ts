import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { WORKLOAD_SCHEMA_FILE, workloadJsonSchemaText } from './json-schema.ts';
import { shopYaml } from './testing/bad-workloads.ts';

const SEED = new URL('../../../scenarios/concurrent.workload.json', import.meta.url);

describe('the published workload schema', () => {
  it('is up to date with the zod schema (run npm run workload:schema)', () => {
    expect(readFileSync(WORKLOAD_SCHEMA_FILE, 'utf8')).toBe(workloadJsonSchemaText());
  });

  // An editor checks files with the JSON Schema: it must accept what the loader accepts and flag a misspelling.
  it('accepts the shop and the seed workloads and refuses a misspelled field', () => {
    const validate = new Ajv2020({ strict: false }).compile(JSON.parse(workloadJsonSchemaText()));
    expect(validate(parse(shopYaml())), JSON.stringify(validate.errors)).toBe(true);
    expect(validate(JSON.parse(readFileSync(SEED, 'utf8'))), JSON.stringify(validate.errors)).toBe(true);
    const misspelled = parse(shopYaml());
    misspelled.streams.orders.reqest = misspelled.streams.orders.request;
    expect(validate(misspelled)).toBe(false);
  });
});

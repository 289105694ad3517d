/**
 * The workload format as a JSON Schema, generated from the zod schema that validates it (./schema.ts),
 * so editors complete and check the same fields the loader accepts. `npm run workload:schema` writes it
 * to schemas/workload.schema.json; a test keeps the committed file up to date. Checks across fields
 * (a stream named by another, a criterion's data) are the loader's alone.
 */
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { workloadSchema } from './schema.ts';

/** Where the published schema lives in the repository. */
export const WORKLOAD_SCHEMA_FILE = fileURLToPath(new URL('../../../schemas/workload.schema.json', import.meta.url));

/** The schema's text, as committed: the file as written (defaults optional), two-space JSON and a newline. */
export function workloadJsonSchemaText(): string {
  const schema = z.toJSONSchema(workloadSchema, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' });
  const titled = {
    $schema: schema.$schema,
    title: 'lockbench workload',
    description: 'The streams a run sends to an SQLite-backed app, what its answers mean, and the criteria that judge it (docs/workload.md).',
    ...schema,
  };
  return `${JSON.stringify(titled, null, 2)}\n`;
}

// `npm run workload:schema`: writes schemas/workload.schema.json from the workload's zod schema.
import { writeFileAtomic } from '../harness/shared/atomic.ts';
import { WORKLOAD_SCHEMA_FILE, workloadJsonSchemaText } from '../harness/plan/workload/json-schema.ts';

await writeFileAtomic(WORKLOAD_SCHEMA_FILE, workloadJsonSchemaText());
process.stdout.write(`${JSON.stringify({ event: 'written', file: WORKLOAD_SCHEMA_FILE })}\n`);

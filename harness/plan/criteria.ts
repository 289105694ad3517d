/**
 * The one criteria file (harness/plan/criteria.json, also read by the k6 scenarios for their thresholds),
 * read and checked before anything runs: a file that cannot be read or does not hold valid criteria
 * stops the run here, naming the field.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { CRITERION_METRICS, type Criterion } from '../model/criterion.ts';

/** The one criteria file, harness/plan/criteria.json. */
export const DEFAULT_CRITERIA_FILE = fileURLToPath(new URL('./criteria.json', import.meta.url));

const metricSchema = z.enum(CRITERION_METRICS);
const conditionSchema = z.object({
  metric: metricSchema,
  comparison: z.enum(['<', '<=', '>', '>=', '==']),
  threshold: z.union([z.number(), z.boolean(), z.strictObject({ metric: metricSchema })]),
  unit: z.string().min(1),
});
const criterionSchema = conditionSchema.extend({
  id: z.string().min(1),
  description: z.string(),
  requires: z.array(conditionSchema).optional(),
  source: z.string().optional(),
  k6: z.unknown().optional(),
});
const criteriaFileSchema = z.object({
  about: z.string().optional(),
  criteria: z.array(criterionSchema).min(1),
});

export class CriteriaFileError extends Error {
  constructor(file: string, detail: string) {
    super(`criteria file ${file}: ${detail}`);
    this.name = 'CriteriaFileError';
  }
}

/** Parses and validates criteria data; ids must be unique. */
export function parseCriteria(data: unknown, file = '<data>'): Criterion[] {
  const parsed = criteriaFileSchema.safeParse(data);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new CriteriaFileError(file, issues);
  }
  const seen = new Set<string>();
  for (const criterion of parsed.data.criteria) {
    if (seen.has(criterion.id)) throw new CriteriaFileError(file, `criterion id "${criterion.id}" appears twice`);
    seen.add(criterion.id);
  }
  return parsed.data.criteria;
}

export function loadCriteria(file: string = DEFAULT_CRITERIA_FILE): Criterion[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new CriteriaFileError(file, `cannot be read (${(err as Error).message})`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new CriteriaFileError(file, `is not JSON (${(err as Error).message})`);
  }
  return parseCriteria(data, file);
}

/**
 * The criteria evaluator. Reads the one criteria file (harness/criteria.json, also read by the k6
 * scenarios for their thresholds) and judges a profile's measured metrics against every entry.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { Comparison, ConditionResult, CriterionResult, LockFigureSource, MeasuredValue, ProfileMetrics } from './results.ts';

/** The criteria file beside this module. */
export const DEFAULT_CRITERIA_FILE = fileURLToPath(new URL('./criteria.json', import.meta.url));

const METRIC_KEYS = [
  'importWallMs',
  'maxLockHoldMs',
  'maxLockHoldObservedMs',
  'maxLockHoldSelfReportedMs',
  'lockHoldP99Ms',
  'catalogP50Ms',
  'catalogP99Ms',
  'catalogP50AllMs',
  'catalogP99AllMs',
  'workflowWriteP99Ms',
  'workflowWriteP99AllMs',
  'requestSuccessRate',
  'artifactsExpected',
  'artifactsFound',
  'integrityOk',
] as const satisfies readonly (keyof ProfileMetrics)[];

/** Metrics a criterion can judge: the scalar ones of {@link ProfileMetrics}. */
export type CriterionMetric = (typeof METRIC_KEYS)[number];

const metricSchema = z.enum(METRIC_KEYS);
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

export type CriterionCondition = z.infer<typeof conditionSchema>;
export type Criterion = z.infer<typeof criterionSchema>;

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

/** Each comparison a criterion may use, as a test of `measured <comparison> threshold`. */
export const COMPARE: Record<Comparison, (a: number, b: number) => boolean> = {
  '<': (a, b) => a < b,
  '<=': (a, b) => a <= b,
  '>': (a, b) => a > b,
  '>=': (a, b) => a >= b,
  '==': (a, b) => a === b,
};

function evaluateCondition(condition: CriterionCondition, metrics: ProfileMetrics): ConditionResult {
  const measured: MeasuredValue | null = metrics[condition.metric];
  const thresholdMetric = typeof condition.threshold === 'object' ? condition.threshold.metric : undefined;
  const threshold: MeasuredValue | null =
    thresholdMetric === undefined ? (condition.threshold as MeasuredValue) : metrics[thresholdMetric];
  const base = {
    metric: condition.metric,
    comparison: condition.comparison,
    threshold,
    ...(thresholdMetric === undefined ? {} : { thresholdMetric }),
    measured,
    unit: condition.unit,
  };
  if (measured === null) return { ...base, pass: false, reason: `${condition.metric} was not measured` };
  if (threshold === null) return { ...base, pass: false, reason: `${thresholdMetric} was not measured` };
  if (typeof measured !== typeof threshold) {
    return { ...base, pass: false, reason: `${condition.metric} (${typeof measured}) cannot be compared with ${typeof threshold}` };
  }
  if (typeof measured === 'boolean' || typeof threshold === 'boolean') {
    if (condition.comparison !== '==') {
      return { ...base, pass: false, reason: `a yes/no figure can only be compared with ==, not ${condition.comparison}` };
    }
    return { ...base, pass: measured === threshold };
  }
  if (!Number.isFinite(measured)) return { ...base, pass: false, reason: `${condition.metric} is not a finite number` };
  return { ...base, pass: COMPARE[condition.comparison](measured, threshold) };
}

/**
 * Metrics measured one of two ways, with where this profile's figure came from: a criterion on one of
 * them carries that `basis`, so every report can label a fallback figure as such.
 */
const METRIC_BASIS: Partial<Record<CriterionMetric, (metrics: ProfileMetrics) => LockFigureSource | null>> = {
  maxLockHoldMs: (metrics) => metrics.maxLockHoldSource,
};

/** Judges every criterion against one profile's metrics. */
export function evaluateCriteria(criteria: readonly Criterion[], metrics: ProfileMetrics): CriterionResult[] {
  return criteria.map((criterion) => {
    const main = evaluateCondition(criterion, metrics);
    const basis = METRIC_BASIS[criterion.metric]?.(metrics) ?? undefined;
    const requires = (criterion.requires ?? []).map((condition) => evaluateCondition(condition, metrics));
    const failedRequirement = requires.find((r) => !r.pass);
    const pass = main.pass && failedRequirement === undefined;
    const reason =
      main.reason ??
      (failedRequirement
        ? (failedRequirement.reason ?? `requires ${failedRequirement.metric} ${failedRequirement.comparison} ${String(failedRequirement.threshold)}, measured ${String(failedRequirement.measured)}`)
        : undefined);
    return {
      id: criterion.id,
      description: criterion.description,
      ...main,
      ...(basis === undefined ? {} : { basis }),
      requires,
      pass,
      ...(reason === undefined ? {} : { reason }),
    };
  });
}

/**
 * The criteria evaluator: judges a profile's measured metrics against every criterion (loaded by
 * harness/plan/criteria.ts from harness/plan/criteria.json). Analysis: it reads nothing and starts nothing.
 */
import type { Criterion, CriterionCondition, CriterionMetric } from '../model/criterion.ts';
import type { Comparison, ConditionResult, CriterionResult, LockFigureSource, MeasuredValue, ProfileMetrics } from '../model/results.ts';

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

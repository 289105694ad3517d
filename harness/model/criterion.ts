/**
 * A criterion of harness/plan/criteria.json as the harness holds it once loaded (harness/plan/criteria.ts reads
 * and checks the file; harness/analyze/criteria.ts judges metrics against it): a condition on one metric, the
 * conditions it further requires, and its id and description.
 */
import type { Comparison, ProfileMetrics } from './results.ts';

/** The metrics a criterion can judge: the scalar ones of {@link ProfileMetrics}. */
export const CRITERION_METRICS = [
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

/** Metrics a criterion can judge. */
export type CriterionMetric = (typeof CRITERION_METRICS)[number];

/** `measured <comparison> threshold`, the threshold a number, a yes/no, or another metric of the same profile. */
export interface CriterionCondition {
  metric: CriterionMetric;
  comparison: Comparison;
  threshold: number | boolean | { metric: CriterionMetric };
  unit: string;
}

export interface Criterion extends CriterionCondition {
  id: string;
  description: string;
  /** Further conditions, each of which must hold too. */
  requires?: CriterionCondition[] | undefined;
  /** Where the threshold comes from. */
  source?: string | undefined;
  /** How the k6 scenarios turn it into a threshold (scenarios/lib/criteria.ts). */
  k6?: unknown;
}

/**
 * The agreement of a trial's workload with harness/plan/criteria.json, which judged a scenario's trials
 * before the scenario carried a workload (it still sets k6's thresholds): for end-to-end tests over real runs.
 */
import { expect } from 'vitest';
import { evaluateCriteria } from '../analyze/criteria.ts';
import { loadCriteria } from '../plan/criteria.ts';
import { criteriaFor } from '../model/scenario-criteria.ts';
import type { ProfileResult, ScenarioName } from '../model/results.ts';

/**
 * How far apart the workload's millisecond figures and criteria.json's may be, in ms: a workflow write's
 * latency is `latencyMs` in the metrics but `(scheduled + latency) - scheduled` in the workload's samples,
 * and epoch milliseconds (about 1.8e12) are doubles 2^-12 ms apart, so the round trip can move it by a few
 * ten-thousandths of a millisecond. Every other figure is the same number.
 */
export const SEED_MS_ROUNDING = 0.001;

/**
 * The scenario's workload alone judged the profile (its `criteria` is empty), and each of its criteria
 * agrees with criteria.json's of the same id over the recorded `metrics`: the same verdict, threshold and
 * figure (no-loss: rows stored against rows acknowledged), a figure criteria.json could not measure not
 * measured by the workload either; lock-hold may be shorter in the workload, which judges the load's span of
 * the observer's watch. Returns the workload's criteria.
 */
export function expectWorkloadAgreesWithCriteria(profile: ProfileResult, scenarioName: ScenarioName): NonNullable<ProfileResult['workload']>['criteria'] {
  const workload = profile.workload!;
  expect(workload, profile.name).toBeDefined();
  expect(workload.name).toBe(scenarioName);
  expect(profile.criteria).toEqual([]);
  // A scenario's trial carries the scenario's metrics; only a workload file's load leaves them out.
  const metrics = profile.metrics!;
  expect(metrics, profile.name).toBeDefined();
  const scenario = evaluateCriteria(criteriaFor(scenarioName, loadCriteria()), metrics);
  expect(workload.criteria.map((c) => c.id)).toEqual(scenario.map((c) => c.id));
  for (const criterion of scenario) {
    const judged = workload.criteria.find((c) => c.id === criterion.id)!;
    const at = `${profile.name} ${criterion.id}`;
    if (criterion.id === 'lock-hold' && judged.measured !== null && typeof criterion.measured === 'number' && judged.measured < criterion.measured - SEED_MS_ROUNDING) {
      // criteria.json's figure is the observer's whole watch, the workload's the load's span inside it: a longer
      // hold just before or after the load is only in the former.
      continue;
    }
    expect(judged.pass, at).toBe(criterion.pass);
    if (criterion.measured === null) expect(judged.measured, at).toBeNull();
    else if (judged.unit === 'ms') expect(Math.abs(judged.measured! - (criterion.measured as number)), at).toBeLessThanOrEqual(SEED_MS_ROUNDING);
    else expect(judged.measured, at).toBe(criterion.measured);
    if (judged.type === 'no-loss') expect(judged.threshold, at).toBe(metrics.artifactsExpected);
    else expect(judged.threshold, at).toBe(criterion.threshold);
  }
  expect(profile.pass).toBe(workload.criteria.every((c) => c.pass));
  return workload.criteria;
}

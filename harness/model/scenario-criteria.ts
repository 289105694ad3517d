/**
 * Which criteria judge each scenario: the plan picks a run's criteria by it, the analysis judges a trial
 * by it. Ids of harness/plan/criteria.json, or 'all'.
 */
import type { Criterion } from './criterion.ts';
import type { ScenarioName } from './results.ts';

/**
 * The smoke check sends one tiny import and one update: load criteria (wall time, catalog p99 under load)
 * say nothing there. The soak is judged over its whole import window: no import-wall, which measures one
 * batch of imports.
 */
export const SCENARIO_CRITERIA: Record<ScenarioName, 'all' | readonly string[]> = {
  concurrent: 'all',
  soak: ['lock-hold', 'catalog-p99', 'success', 'workflow-p99', 'no-loss'],
  smoke: ['lock-hold', 'success', 'no-loss'],
};

/** The criteria that judge a scenario, in the criteria file's order. */
export function criteriaFor(scenario: ScenarioName, criteria: readonly Criterion[]): Criterion[] {
  const judged = SCENARIO_CRITERIA[scenario];
  return judged === 'all' ? [...criteria] : criteria.filter((c) => judged.includes(c.id));
}

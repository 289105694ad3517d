/**
 * The k6 scenarios the harness can drive, as data: the script, the settings it takes from the
 * environment, and which criteria judge it.
 */
import { fileURLToPath } from 'node:url';
import type { Criterion } from '../criteria.ts';
import type { ScenarioName } from '../results.ts';
import type { RunOptions } from './options.ts';

export interface ScenarioDefinition {
  /** The k6 script, run natively as TypeScript. */
  script: string;
  /** `-e` settings for k6 (scenarios/lib/config.ts names); SUMMARY_PATH is added by the runner. */
  env(options: RunOptions, baseUrl: string): Record<string, string>;
  /**
   * Ids of the criteria that judge this scenario, or 'all'. The smoke check sends one tiny import and
   * one update: load criteria (wall time, catalog p99 under load) say nothing there.
   */
  criteria: 'all' | readonly string[];
}

export const SCENARIO_DEFINITIONS: Record<ScenarioName, ScenarioDefinition> = {
  concurrent: {
    script: fileURLToPath(new URL('../../scenarios/concurrent.ts', import.meta.url)),
    env: (options, baseUrl) => ({
      BASE_URL: baseUrl,
      IMPORTS: String(options.imports),
      ARTIFACTS: String(options.artifacts),
      CATALOG_RATE: String(options.catalogRate),
      READ_RATE: String(options.readRate),
      DURATION: options.duration,
    }),
    criteria: 'all',
  },
  smoke: {
    script: fileURLToPath(new URL('../../scenarios/smoke.ts', import.meta.url)),
    env: (_options, baseUrl) => ({ BASE_URL: baseUrl }),
    criteria: ['lock-hold', 'success', 'no-loss'],
  },
};

/** The criteria that judge a scenario, in the criteria file's order. */
export function criteriaFor(scenario: ScenarioName, criteria: readonly Criterion[]): Criterion[] {
  const judged = SCENARIO_DEFINITIONS[scenario].criteria;
  return judged === 'all' ? [...criteria] : criteria.filter((c) => judged.includes(c.id));
}

/**
 * The scenarios the harness can drive, as data: the settings they take (the environment of the k6
 * scripts), the description both drivers run, built from those same settings by the same function the
 * k6 script calls, and which criteria judge it.
 */
import type { Criterion } from '../criteria.ts';
import type { ScenarioName } from '../results.ts';
import { concurrentConfig, soakConfig } from '../../scenarios/lib/config.ts';
import { concurrentScenario, smokeScenario, soakScenario, type ScenarioDescription } from '../../scenarios/lib/scenario.ts';
import { DEFAULT_SMOKE_ARTIFACTS } from '../../scenarios/lib/defaults.ts';
import type { RunOptions } from './options.ts';

export interface ScenarioDefinition {
  /** Settings as the k6 scripts read them from the environment (scenarios/lib/config.ts names). */
  env(options: RunOptions, baseUrl: string): Record<string, string>;
  /** The description both drivers run, from the same settings. */
  describe(env: Record<string, string>): ScenarioDescription;
  /**
   * Ids of the criteria that judge this scenario, or 'all'. The smoke check sends one tiny import and
   * one update: load criteria (wall time, catalog p99 under load) say nothing there.
   */
  criteria: 'all' | readonly string[];
}

export const SCENARIO_DEFINITIONS: Record<ScenarioName, ScenarioDefinition> = {
  concurrent: {
    env: (options, baseUrl) => ({
      BASE_URL: baseUrl,
      IMPORTS: String(options.imports),
      ARTIFACTS: String(options.artifacts),
      CATALOG_RATE: String(options.catalogRate),
      READ_RATE: String(options.readRate),
      TAIL: options.tail,
      MAX_DURATION: options.maxDuration,
    }),
    describe: (env) => concurrentScenario(concurrentConfig(env)),
    criteria: 'all',
  },
  soak: {
    env: (options, baseUrl) => ({
      BASE_URL: baseUrl,
      DURATION: options.duration,
      IMPORT_RATE: String(options.importRate),
      IMPORTS: String(options.imports),
      ARTIFACTS: String(options.artifacts),
      CATALOG_RATE: String(options.catalogRate),
      READ_RATE: String(options.readRate),
    }),
    describe: (env) => soakScenario(soakConfig(env)),
    // Over the whole soak (its import window): no import-wall, which measures one batch of imports.
    criteria: ['lock-hold', 'catalog-p99', 'success', 'workflow-p99', 'no-loss'],
  },
  smoke: {
    env: (_options, baseUrl) => ({ BASE_URL: baseUrl }),
    describe: () => smokeScenario({ artifacts: DEFAULT_SMOKE_ARTIFACTS }),
    criteria: ['lock-hold', 'success', 'no-loss'],
  },
};

/** The criteria that judge a scenario, in the criteria file's order. */
export function criteriaFor(scenario: ScenarioName, criteria: readonly Criterion[]): Criterion[] {
  const judged = SCENARIO_DEFINITIONS[scenario].criteria;
  return judged === 'all' ? [...criteria] : criteria.filter((c) => judged.includes(c.id));
}

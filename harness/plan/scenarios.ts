/**
 * The scenarios the harness can drive, as data: the settings they take (the environment of the k6
 * scripts) and the description both drivers run; which criteria judge each is
 * harness/model/scenario-criteria.ts. The concurrent scenario's description comes from the seed workload
 * with the run's flags set on it; the soak's and the smoke check's from the same functions the k6 scripts
 * call, each beside a workload of its own with the same flags set, which judges its trials.
 */
import type { ScenarioName } from '../model/results.ts';
import { soakConfig } from '../../scenarios/lib/config.ts';
import { smokeScenario, soakScenario, type ScenarioDescription, type SoakConfig } from '../../scenarios/lib/scenario.ts';
import { DEFAULT_SMOKE_ARTIFACTS } from '../../scenarios/lib/defaults.ts';
import type { RunOptions } from './options.ts';
import { seedScenario, seedWorkload } from './seed-workload.ts';
import { smokeWorkload, soakWorkload } from './scenario-workloads.ts';
import type { LoadedWorkload } from '../model/workload-plan.ts';

export interface ScenarioDefinition {
  /** Settings as the k6 scripts read them from the environment (scenarios/lib/config.ts names). */
  env(options: RunOptions, baseUrl: string): Record<string, string>;
  /** The description both drivers run, from the same options; `catalogEntries`: the entries the target seeds. */
  describe(options: RunOptions, catalogEntries: number): ScenarioDescription;
  /** The workload that judges the scenario's trials, with the same options set on it: the seed, or the scenario's own file. */
  workload(options: RunOptions, catalogEntries: number): LoadedWorkload;
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
    describe: (options, catalogEntries) => seedScenario({ ...options, catalogEntries }).description,
    workload: (options, catalogEntries) => seedWorkload({ ...options, catalogEntries }),
  },
  soak: {
    env: (options, baseUrl) => soakEnv(options, baseUrl),
    describe: (options, catalogEntries) => soakScenario(soakRun(options, catalogEntries)),
    workload: (options, catalogEntries) => soakWorkload({ ...options, ...soakRun(options, catalogEntries) }),
  },
  smoke: {
    env: (_options, baseUrl) => ({ BASE_URL: baseUrl }),
    describe: () => smokeScenario({ artifacts: DEFAULT_SMOKE_ARTIFACTS }),
    workload: (options) => smokeWorkload({ ...options, artifacts: DEFAULT_SMOKE_ARTIFACTS }),
  },
};

/** The soak's settings as its description reads them, on a target that seeds `catalogEntries` entries. */
function soakRun(options: RunOptions, catalogEntries: number): SoakConfig {
  return soakConfig({ ...soakEnv(options), CATALOG_ENTRIES: String(catalogEntries) });
}

/** The soak's settings as its k6 script reads them; the base URL only where a script sends to it. */
function soakEnv(options: RunOptions, baseUrl?: string): Record<string, string> {
  return {
    ...(baseUrl === undefined ? {} : { BASE_URL: baseUrl }),
    DURATION: options.duration,
    IMPORT_RATE: String(options.importRate),
    IMPORTS: String(options.imports),
    ARTIFACTS: String(options.artifacts),
    CATALOG_RATE: String(options.catalogRate),
    READ_RATE: String(options.readRate),
  };
}

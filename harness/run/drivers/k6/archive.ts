/**
 * A `k6 archive` of the concurrent scenario for k6 runners on other machines (a k6-operator TestRun,
 * deploy/k6-operator/testrun.yaml): one tar holding scenarios/concurrent.ts, the modules it imports,
 * harness/plan/criteria.json (read for the thresholds) and the settings as environment variables.
 */
import { concurrentConfig } from '../../../../scenarios/lib/config.ts';
import * as defaults from '../../../../scenarios/lib/defaults.ts';
import { ALLOW_REMOTE_TARGET } from '../../../../scenarios/lib/env.ts';
import { k6EnvArgs, k6Script } from './driver.ts';

/** The archive's file name by default; deploy/k6-operator/testrun.yaml runs the ConfigMap key of that name. */
export const DEFAULT_ARCHIVE_FILE = 'concurrent.tar';

/** What the runners are to do; unset counts and rates take the scenario's defaults. */
export interface ArchiveSettingsInput {
  /** Where the runners reach the target, e.g. `http://lockbench-target.load.svc:3000`. */
  baseUrl: string;
  /** Let `baseUrl` name another machine (sets ALLOW_REMOTE_TARGET in the archive). */
  allowRemoteTarget?: boolean;
  imports?: number;
  artifacts?: number;
  catalogRate?: number;
  readRate?: number;
  /** k6 duration: how long the rate streams go on after the imports answered (a harness-run k6 only). */
  tail?: string;
  /** k6 duration: how long the catalog and read streams run on a runner (nothing stops them earlier there). */
  maxDuration?: string;
}

/**
 * The environment baked into the archive, checked as k6 will check it in init context (so a bad value
 * fails here, naming the variable, before k6 is looked for). Throws an Error when a setting is invalid.
 */
export function archiveEnv(input: ArchiveSettingsInput): Record<string, string> {
  const env: Record<string, string> = {
    BASE_URL: input.baseUrl,
    IMPORTS: String(input.imports ?? defaults.DEFAULT_IMPORTS),
    ARTIFACTS: String(input.artifacts ?? defaults.DEFAULT_ARTIFACTS),
    CATALOG_RATE: String(input.catalogRate ?? defaults.DEFAULT_CATALOG_RATE),
    READ_RATE: String(input.readRate ?? defaults.DEFAULT_READ_RATE),
    TAIL: input.tail ?? defaults.DEFAULT_TAIL,
    MAX_DURATION: input.maxDuration ?? defaults.DEFAULT_MAX_DURATION,
    ...(input.allowRemoteTarget ? { [ALLOW_REMOTE_TARGET]: '1' } : {}),
  };
  concurrentConfig(env);
  return env;
}

/** The arguments of `k6 archive` writing `outFile`. */
export function k6ArchiveArgs(env: Record<string, string>, outFile: string): string[] {
  // Only the -e settings go into the archive: never the shell's own environment (tokens, paths).
  return ['archive', '--include-system-env-vars=false', '-O', outFile, ...k6EnvArgs(env), k6Script('concurrent')];
}

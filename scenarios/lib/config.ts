/** Settings of scenarios/concurrent.ts: the named defaults of ./defaults.ts, each overridable from the environment. */
import {
  DEFAULT_ARTIFACTS,
  DEFAULT_BASE_URL,
  DEFAULT_CATALOG_ENTRIES,
  DEFAULT_CATALOG_RATE,
  DEFAULT_CHILDREN,
  DEFAULT_COMPOSITE_EVERY,
  DEFAULT_IMPORT_TIMEOUT,
  DEFAULT_IMPORTS,
  DEFAULT_MAX_DURATION,
  DEFAULT_READ_LIMIT,
  DEFAULT_READ_RATE,
  DEFAULT_REQUEST_TIMEOUT,
  DEFAULT_SOAK_DURATION,
  DEFAULT_SOAK_IMPORT_RATE,
  DEFAULT_TAIL,
} from './defaults.ts';
import { inFlightBound, type ConcurrentConfig, type SoakConfig } from './scenario.ts';
import { durationMs, envBaseUrl, envDuration, envInt, envNumber, envText, type EnvSource } from './env.ts';

/** Reads and validates every setting from `env` (k6's `__ENV`, or a plain record); throws with the variable's name. */
export function concurrentConfig(env: EnvSource): ConcurrentConfig {
  const catalogRate = envInt(env, 'CATALOG_RATE', DEFAULT_CATALOG_RATE, 1);
  const readRate = envInt(env, 'READ_RATE', DEFAULT_READ_RATE, 0);
  const requestTimeout = envDuration(env, 'REQUEST_TIMEOUT', DEFAULT_REQUEST_TIMEOUT);
  const catalogMaxVus = envInt(env, 'CATALOG_MAX_VUS', inFlightBound(catalogRate, durationMs(requestTimeout)), 1);
  const readMaxVus = envInt(env, 'READ_MAX_VUS', inFlightBound(readRate, durationMs(requestTimeout)), 1);
  return {
    baseUrl: envBaseUrl(env, 'BASE_URL', DEFAULT_BASE_URL),
    imports: envInt(env, 'IMPORTS', DEFAULT_IMPORTS, 1),
    artifacts: envInt(env, 'ARTIFACTS', DEFAULT_ARTIFACTS, 1),
    compositeEvery: envInt(env, 'COMPOSITE_EVERY', DEFAULT_COMPOSITE_EVERY, 0),
    children: envInt(env, 'CHILDREN', DEFAULT_CHILDREN, 0),
    catalogRate,
    catalogEntries: envInt(env, 'CATALOG_ENTRIES', DEFAULT_CATALOG_ENTRIES, 1),
    readRate,
    readLimit: envInt(env, 'READ_LIMIT', DEFAULT_READ_LIMIT, 1),
    tail: envDuration(env, 'TAIL', DEFAULT_TAIL),
    maxDuration: envDuration(env, 'MAX_DURATION', DEFAULT_MAX_DURATION),
    importTimeout: envDuration(env, 'IMPORT_TIMEOUT', DEFAULT_IMPORT_TIMEOUT),
    requestTimeout,
    catalogMaxVus,
    readMaxVus,
    summaryPath: envText(env, 'SUMMARY_PATH', ''),
  };
}

/** The soak's settings (scenarios/soak.ts), from `env`; imports rotate over the seeded sources src-1..src-IMPORTS. */
export function soakConfig(env: EnvSource): SoakConfig & { baseUrl: string; summaryPath: string } {
  return {
    baseUrl: envBaseUrl(env, 'BASE_URL', DEFAULT_BASE_URL),
    duration: envDuration(env, 'DURATION', DEFAULT_SOAK_DURATION),
    importRate: envNumber(env, 'IMPORT_RATE', DEFAULT_SOAK_IMPORT_RATE, 0.001),
    artifacts: envInt(env, 'ARTIFACTS', DEFAULT_ARTIFACTS, 1),
    sources: envInt(env, 'IMPORTS', DEFAULT_IMPORTS, 1),
    catalogRate: envInt(env, 'CATALOG_RATE', DEFAULT_CATALOG_RATE, 1),
    readRate: envInt(env, 'READ_RATE', DEFAULT_READ_RATE, 0),
    catalogEntries: envInt(env, 'CATALOG_ENTRIES', DEFAULT_CATALOG_ENTRIES, 1),
    importTimeout: envDuration(env, 'IMPORT_TIMEOUT', DEFAULT_IMPORT_TIMEOUT),
    requestTimeout: envDuration(env, 'REQUEST_TIMEOUT', DEFAULT_REQUEST_TIMEOUT),
    summaryPath: envText(env, 'SUMMARY_PATH', ''),
  };
}

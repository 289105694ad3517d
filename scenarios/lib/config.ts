/** Settings of scenarios/concurrent.ts: the named defaults of ./defaults.ts, each overridable from the environment. */
import {
  DEFAULT_ARTIFACTS,
  DEFAULT_BASE_URL,
  DEFAULT_CATALOG_ENTRIES,
  DEFAULT_CATALOG_RATE,
  DEFAULT_CHILDREN,
  DEFAULT_COMPOSITE_EVERY,
  DEFAULT_DURATION,
  DEFAULT_IMPORT_TIMEOUT,
  DEFAULT_IMPORTS,
  DEFAULT_READ_LIMIT,
  DEFAULT_READ_RATE,
  DEFAULT_REQUEST_TIMEOUT,
} from './defaults.ts';
import { durationMs, envBaseUrl, envDuration, envInt, envText } from './env.ts';

/** The resolved settings of one concurrent run. */
export interface ConcurrentConfig {
  baseUrl: string;
  imports: number;
  artifacts: number;
  compositeEvery: number;
  children: number;
  catalogRate: number;
  catalogEntries: number;
  /**
   * Most catalog updates in flight at once (env CATALOG_MAX_VUS). An update that finds no free VU is
   * never sent (a dropped iteration), which would hide the slowest answers; the default, rate x
   * duration, is every update of the run, so none can be dropped.
   */
  catalogMaxVus: number;
  readRate: number;
  /** Most reads in flight at once (env READ_MAX_VUS); default rate x duration, as for the catalog. */
  readMaxVus: number;
  readLimit: number;
  duration: string;
  importTimeout: string;
  requestTimeout: string;
  /** Where handleSummary writes the JSON summary (env SUMMARY_PATH); empty = stdout text only. */
  summaryPath: string;
}

/** Reads and validates every setting; throws (stopping k6 in init) with the variable's name. */
export function concurrentConfig(): ConcurrentConfig {
  const catalogRate = envInt('CATALOG_RATE', DEFAULT_CATALOG_RATE, 1);
  const readRate = envInt('READ_RATE', DEFAULT_READ_RATE, 0);
  const duration = envDuration('DURATION', DEFAULT_DURATION);
  const requestsInRun = (rate: number) => Math.max(1, Math.ceil((rate * durationMs(duration)) / 1000));
  return {
    baseUrl: envBaseUrl('BASE_URL', DEFAULT_BASE_URL),
    imports: envInt('IMPORTS', DEFAULT_IMPORTS, 1),
    artifacts: envInt('ARTIFACTS', DEFAULT_ARTIFACTS, 1),
    compositeEvery: envInt('COMPOSITE_EVERY', DEFAULT_COMPOSITE_EVERY, 0),
    children: envInt('CHILDREN', DEFAULT_CHILDREN, 0),
    catalogRate,
    catalogEntries: envInt('CATALOG_ENTRIES', DEFAULT_CATALOG_ENTRIES, 1),
    catalogMaxVus: envInt('CATALOG_MAX_VUS', requestsInRun(catalogRate), 1),
    readRate,
    readMaxVus: envInt('READ_MAX_VUS', requestsInRun(readRate), 1),
    readLimit: envInt('READ_LIMIT', DEFAULT_READ_LIMIT, 1),
    duration,
    importTimeout: envDuration('IMPORT_TIMEOUT', DEFAULT_IMPORT_TIMEOUT),
    requestTimeout: envDuration('REQUEST_TIMEOUT', DEFAULT_REQUEST_TIMEOUT),
    summaryPath: envText('SUMMARY_PATH', ''),
  };
}

/**
 * The investigation's load test: IMPORTS concurrent imports of ARTIFACTS entries each, while catalog
 * updates arrive at a constant rate and artifacts are read. `k6 run scenarios/concurrent.ts`; settings
 * from the environment (lib/config.ts), thresholds from harness/criteria.json. The thresholds judge
 * the whole k6 run and are reported only: the harness, which can single out the requests sent while
 * the imports run, judges the criteria and gives the verdict.
 *
 * Per-import figures: k6 aggregates metrics across VUs, so the summary carries counts, sums and the
 * import wall time (min of the start epochs to max of the end epochs). Each import also prints one
 * JSON line (`"event":"import-result"`) on the k6 console; the server's own per-import record is the
 * import_jobs table.
 */
import exec from 'k6/execution';
import type { Options } from 'k6/options';
import { bodyText, targetApi } from './lib/api.ts';
import { concurrentConfig } from './lib/config.ts';
import { classifyImport, type K6SummaryData } from './lib/contract.ts';
import { CRITERIA, thresholdsFromCriteria } from './lib/criteria.ts';
import { durationMs } from './lib/env.ts';
import { recordImport, recordRequest } from './lib/metrics.ts';
import { buildImportEntries, compositeCount, type ImportShape } from './lib/payload.ts';
import { scenarioSubMetrics, SUMMARY_TREND_STATS, summaryOutputs } from './lib/summary.ts';

const config = concurrentConfig();
const api = targetApi(config.baseUrl);

/** Extra time k6 gives running iterations after a scenario ends, beyond the request timeout, in ms. */
const GRACEFUL_STOP_MARGIN_MS = 5_000;
const gracefulStop = `${durationMs(config.requestTimeout) + GRACEFUL_STOP_MARGIN_MS}ms`;

const rateScenario = (exec: string, rate: number, maxVUs: number) => ({
  executor: 'constant-arrival-rate' as const,
  exec,
  rate,
  timeUnit: '1s',
  duration: config.duration,
  preAllocatedVUs: maxVUs,
  maxVUs,
  gracefulStop,
});

const scenarioNames = ['imports', 'catalog', ...(config.readRate > 0 ? ['reads'] : [])];

export const options: Options = {
  scenarios: {
    imports: {
      executor: 'per-vu-iterations',
      exec: 'importArtifacts',
      vus: config.imports,
      iterations: 1,
      maxDuration: `${durationMs(config.importTimeout) + GRACEFUL_STOP_MARGIN_MS}ms`,
    },
    catalog: rateScenario('updateCatalog', config.catalogRate, config.catalogMaxVus),
    ...(config.readRate > 0 ? { reads: rateScenario('readArtifacts', config.readRate, config.readMaxVus) } : {}),
  },
  thresholds: { ...scenarioSubMetrics(scenarioNames), ...thresholdsFromCriteria(CRITERIA) },
  summaryTrendStats: SUMMARY_TREND_STATS,
};

function importShape(sourceId: string): ImportShape {
  return { prefix: sourceId, artifacts: config.artifacts, compositeEvery: config.compositeEvery, children: config.children };
}

/** One VU, one import into its own source src-(n+1). */
export function importArtifacts(): void {
  const sourceId = `src-${exec.scenario.iterationInTest + 1}`;
  const entries = buildImportEntries(importShape(sourceId));
  const startEpochMs = Date.now();
  const res = api.importEntries(sourceId, entries, config.importTimeout);
  const endEpochMs = Date.now();
  const record = recordImport(sourceId, entries.length, classifyImport(res.status, bodyText(res)), startEpochMs, endEpochMs);
  console.log(JSON.stringify(record));
}

/** One catalog update, cycling through entries 1..CATALOG_ENTRIES. */
export function updateCatalog(): void {
  const n = exec.scenario.iterationInTest;
  const entryId = (n % config.catalogEntries) + 1;
  const res = api.updateCatalogEntry(entryId, { status: n % 2 === 0 ? 'updating' : 'published', title: `Catalog entry ${entryId} (update ${n})` }, config.requestTimeout);
  recordRequest(res.status === 200);
}

/** One read of the artifacts of a source being imported into. */
export function readArtifacts(): void {
  const sourceId = `src-${(exec.scenario.iterationInTest % config.imports) + 1}`;
  const res = api.listArtifacts(sourceId, config.readLimit, config.requestTimeout);
  recordRequest(res.status === 200);
}

export function handleSummary(data: K6SummaryData): Record<string, string> {
  const shape = importShape('src-1');
  return summaryOutputs(
    data,
    {
      scenario: 'concurrent',
      config: { ...config, compositePerImport: compositeCount(shape), childrenPerImport: compositeCount(shape) * config.children },
      expectedImports: config.imports,
      scenarios: scenarioNames,
    },
    config.summaryPath,
  );
}

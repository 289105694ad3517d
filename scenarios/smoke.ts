/**
 * A fast correctness check before any load: one tiny import (one composite entry with children) and
 * one catalog update, checking status codes and answer shapes. `k6 run scenarios/smoke.ts`.
 * It writes into its own source (SMOKE_SOURCE, default src-8) with externalIds prefixed `smoke-`, so
 * it never touches the rows the concurrent scenario imports into src-1..src-IMPORTS.
 * Any failed check fails the run (threshold checks rate==1, k6 exits 99).
 */
import { check } from 'k6';
import type { Options } from 'k6/options';
import { bodyText, targetApi, type Response } from './lib/api.ts';
import { classifyImport, type K6SummaryData } from './lib/contract.ts';
import { envBaseUrl, envInt, envText } from './lib/env.ts';
import { recordImport, recordRequest } from './lib/metrics.ts';
import { buildImportEntries, compositeCount, type ImportShape } from './lib/payload.ts';
import { DEFAULT_BASE_URL, DEFAULT_SMOKE_ARTIFACTS, DEFAULT_SMOKE_CATALOG_ENTRY, DEFAULT_SMOKE_SOURCE } from './lib/defaults.ts';
import { scenarioSubMetrics, SUMMARY_TREND_STATS, summaryOutputs } from './lib/summary.ts';

/** Timeout of each smoke request: the target is idle, so this is generous. */
const REQUEST_TIMEOUT = '30s';

const config = {
  baseUrl: envBaseUrl('BASE_URL', DEFAULT_BASE_URL),
  sourceId: envText('SMOKE_SOURCE', DEFAULT_SMOKE_SOURCE),
  artifacts: envInt('SMOKE_ARTIFACTS', DEFAULT_SMOKE_ARTIFACTS, 1),
  catalogEntry: envInt('SMOKE_CATALOG_ENTRY', DEFAULT_SMOKE_CATALOG_ENTRY, 1),
  summaryPath: envText('SUMMARY_PATH', ''),
};
const api = targetApi(config.baseUrl);
const shape: ImportShape = { prefix: `smoke-${config.sourceId}`, artifacts: config.artifacts, compositeEvery: 3, children: 2 };

export const options: Options = {
  scenarios: { smoke: { executor: 'shared-iterations', vus: 1, iterations: 1, exec: 'smoke' } },
  thresholds: { ...scenarioSubMetrics(['smoke']), checks: ['rate==1'] },
  summaryTrendStats: SUMMARY_TREND_STATS,
};

function json(res: Response): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(bodyText(res) ?? '');
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

export function smoke(): void {
  const entries = buildImportEntries(shape);
  const startEpochMs = Date.now();
  const imported = api.importEntries(config.sourceId, entries, REQUEST_TIMEOUT);
  const outcome = classifyImport(imported.status, bodyText(imported));
  recordImport(config.sourceId, entries.length, outcome, startEpochMs, Date.now());
  const importOk = check(outcome, {
    'import answers 200 with the contract shape': (o) => o.kind === 'completed',
    'import acknowledges every entry': (o) => o.kind !== 'error' && o.body.imported === entries.length && o.body.requested === entries.length,
    'import reports its batches': (o) => o.kind !== 'error' && o.body.batches.length > 0 && o.body.batches.every((b) => b.status === 'committed'),
  });
  if (importOk && outcome.kind !== 'error') {
    const stored = api.getImport(outcome.body.importId, REQUEST_TIMEOUT);
    const body = json(stored);
    check(stored, {
      'import can be read back': (r) => r.status === 200 && body?.importId === outcome.body.importId && body?.imported === entries.length,
    });
  }

  const title = `Smoke check ${startEpochMs}`;
  const updated = api.updateCatalogEntry(config.catalogEntry, { title }, REQUEST_TIMEOUT);
  recordRequest(updated.status === 200);
  const entry = json(updated);
  check(updated, {
    'catalog update answers 200': (r) => r.status === 200,
    'catalog update returns the updated entry': () => entry?.id === config.catalogEntry && entry?.title === title,
  });
}

export function handleSummary(data: K6SummaryData): Record<string, string> {
  const context = {
    scenario: 'smoke' as const,
    config: { ...config, compositePerImport: compositeCount(shape), childrenPerImport: compositeCount(shape) * shape.children },
    expectedImports: 1,
    scenarios: ['smoke'],
  };
  return summaryOutputs(data, context, config.summaryPath);
}

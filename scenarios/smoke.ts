/**
 * A fast correctness check before any load: one tiny import (one composite entry with children), read
 * back, and one catalog update, checking status codes and answer shapes (lib/requests.ts).
 * `k6 run scenarios/smoke.ts`. It writes into its own source (src-8) with externalIds prefixed `smoke-`,
 * so it never touches the rows the concurrent scenario imports into src-1..src-IMPORTS.
 * Any failed check fails the run (threshold checks rate==1, k6 exits 99).
 */
import type { Options } from 'k6/options';
import type { K6SummaryData } from './lib/contract.ts';
import { DEFAULT_BASE_URL, DEFAULT_SMOKE_ARTIFACTS } from './lib/defaults.ts';
import { envBaseUrl, envInt, envText } from './lib/env.ts';
import { iterate as iterateStream } from './lib/k6-iterate.ts';
import { k6Scenarios } from './lib/k6-options.ts';
import { compositeCount } from './lib/payload.ts';
import { importShape } from './lib/requests.ts';
import { smokeScenario } from './lib/scenario.ts';
import { scenarioSubMetrics, SUMMARY_TREND_STATS, summaryOutputs } from './lib/summary.ts';

const baseUrl = envBaseUrl(__ENV, 'BASE_URL', DEFAULT_BASE_URL);
const summaryPath = envText(__ENV, 'SUMMARY_PATH', '');
const description = smokeScenario({ artifacts: envInt(__ENV, 'SMOKE_ARTIFACTS', DEFAULT_SMOKE_ARTIFACTS, 1) });

export const options: Options = {
  scenarios: k6Scenarios(description),
  thresholds: { ...scenarioSubMetrics(['smoke']), checks: ['rate==1'] },
  summaryTrendStats: SUMMARY_TREND_STATS,
};

export function iterate(): void {
  iterateStream(description, baseUrl);
}

export function handleSummary(data: K6SummaryData): Record<string, string> {
  const shape = importShape(description.settings, 'smoke');
  const config = { baseUrl, ...description.settings, summaryPath, compositePerImport: compositeCount(shape), childrenPerImport: compositeCount(shape) * shape.children };
  return summaryOutputs(data, { scenario: 'smoke', config, expectedImports: 1, scenarios: ['smoke'] }, summaryPath);
}

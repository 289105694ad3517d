/**
 * Sustained load: imports (each of new rows), catalog updates and artifact reads at constant rates for
 * DURATION. `k6 run scenarios/soak.ts`; settings from the environment (lib/config.ts `soakConfig`), the
 * streams from the description lockbench's built-in driver runs too (lib/scenario.ts `soakScenario`).
 */
import type { Options } from 'k6/options';
import { soakConfig } from './lib/config.ts';
import type { K6SummaryData } from './lib/contract.ts';
import { iterate as iterateStream } from './lib/k6-iterate.ts';
import { k6Scenarios } from './lib/k6-options.ts';
import { soakScenario } from './lib/scenario.ts';
import { scenarioSubMetrics, SUMMARY_TREND_STATS, summaryOutputs } from './lib/summary.ts';

const config = soakConfig(__ENV);
const description = soakScenario(config);
const streamNames = description.streams.map((s) => s.name);

export const options: Options = {
  scenarios: k6Scenarios(description),
  thresholds: scenarioSubMetrics(streamNames),
  summaryTrendStats: SUMMARY_TREND_STATS,
};

export function iterate(): void {
  iterateStream(description, config.baseUrl);
}

export function handleSummary(data: K6SummaryData): Record<string, string> {
  // The imports started are the ones expected: k6 counts them as iterations of the imports scenario.
  const expectedImports = data.metrics['iterations{scenario:imports}']?.values.count ?? 0;
  const settings = { baseUrl: config.baseUrl, duration: config.duration, importRate: config.importRate, ...description.settings };
  return summaryOutputs(data, { scenario: 'soak', config: settings, expectedImports, scenarios: streamNames }, config.summaryPath);
}

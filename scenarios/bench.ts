/**
 * The driver benchmark's k6 run (`npm run bench:driver` runs it where the user has k6): catalog updates
 * at BENCH_RATE per second for BENCH_DURATION, at most BENCH_MAX_VUS in flight (or, with
 * BENCH_BACK_TO_BACK=1, one VU sending back to back for BENCH_DURATION), from the same
 * description lockbench's built-in driver runs (lib/scenario.ts `benchScenario`).
 */
import type { Options } from 'k6/options';
import type { K6SummaryData } from './lib/contract.ts';
import { DEFAULT_BASE_URL } from './lib/defaults.ts';
import { durationMs, envBaseUrl, envDuration, envInt, envText } from './lib/env.ts';
import { iterate as iterateStream } from './lib/k6-iterate.ts';
import { k6Scenarios } from './lib/k6-options.ts';
import { BENCH_STREAM, benchScenario } from './lib/scenario.ts';
import { scenarioSubMetrics, SUMMARY_TREND_STATS, summaryOutputs } from './lib/summary.ts';

const baseUrl = envBaseUrl(__ENV, 'BASE_URL', DEFAULT_BASE_URL);
const summaryPath = envText(__ENV, 'SUMMARY_PATH', '');
const rate = envInt(__ENV, 'BENCH_RATE', 50, 1);
const duration = envDuration(__ENV, 'BENCH_DURATION', '10s');
const maxVUs = envInt(__ENV, 'BENCH_MAX_VUS', 100, 1);
const backToBack = envText(__ENV, 'BENCH_BACK_TO_BACK', '') === '1';
const description = benchScenario({ rate, durationMs: durationMs(duration), maxVUs, backToBack });

export const options: Options = {
  scenarios: k6Scenarios(description),
  thresholds: scenarioSubMetrics([BENCH_STREAM]),
  summaryTrendStats: SUMMARY_TREND_STATS,
};

export function iterate(): void {
  iterateStream(description, baseUrl);
}

export function handleSummary(data: K6SummaryData): Record<string, string> {
  const config = { baseUrl, rate, duration, maxVUs, backToBack: backToBack ? 1 : 0, summaryPath };
  return summaryOutputs(data, { scenario: 'bench', config, expectedImports: 0, scenarios: [BENCH_STREAM] }, summaryPath);
}

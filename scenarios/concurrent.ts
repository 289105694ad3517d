/**
 * The investigation's load test: IMPORTS concurrent imports of ARTIFACTS entries each, while catalog
 * updates and artifact reads arrive at constant rates until the imports have answered, plus TAIL.
 * `k6 run scenarios/concurrent.ts`; settings from the environment (lib/config.ts), the streams from the
 * scenario description lockbench's built-in driver runs too (lib/scenario.ts), thresholds from
 * harness/plan/criteria.json. The thresholds judge the whole k6 run and are reported only: the harness, which
 * can single out the requests sent while the imports run, judges the criteria and gives the verdict.
 *
 * Run by hand, the catalog and read streams go on until MAX_DURATION; the harness stops k6 once every
 * import has printed its `import-result` line and the tail has passed.
 */
import type { Options } from 'k6/options';
import { concurrentConfig } from './lib/config.ts';
import type { K6SummaryData } from './lib/contract.ts';
import { CRITERIA, thresholdsFromCriteria } from './lib/criteria.ts';
import { iterate as iterateStream } from './lib/k6-iterate.ts';
import { k6Scenarios } from './lib/k6-options.ts';
import { compositeCount } from './lib/payload.ts';
import { importShape } from './lib/requests.ts';
import { concurrentScenario } from './lib/scenario.ts';
import { scenarioSubMetrics, SUMMARY_TREND_STATS, summaryOutputs } from './lib/summary.ts';

const config = concurrentConfig(__ENV);
const description = concurrentScenario(config);
const streamNames = description.streams.map((s) => s.name);

export const options: Options = {
  scenarios: k6Scenarios(description),
  thresholds: { ...scenarioSubMetrics(streamNames), ...thresholdsFromCriteria(CRITERIA) },
  summaryTrendStats: SUMMARY_TREND_STATS,
};

export function iterate(): void {
  iterateStream(description, config.baseUrl);
}

export function handleSummary(data: K6SummaryData): Record<string, string> {
  const shape = importShape(description.settings, 'src-1');
  return summaryOutputs(
    data,
    {
      scenario: 'concurrent',
      config: {
        baseUrl: config.baseUrl,
        ...description.settings,
        catalogRate: config.catalogRate,
        readRate: config.readRate,
        tail: config.tail,
        maxDuration: config.maxDuration,
        compositePerImport: compositeCount(shape),
        childrenPerImport: compositeCount(shape) * config.children,
      },
      expectedImports: config.imports,
      scenarios: streamNames,
    },
    config.summaryPath,
  );
}

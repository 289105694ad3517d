/**
 * handleSummary support: per-run figures from k6's aggregated metrics, a short text for stdout, and
 * the JSON file for the harness (k6's summary data plus a `lockbench` block).
 */
import type { ImportsSummary, K6SummaryData, LockbenchSummary, ScenarioLatency, SummaryFile, ThresholdResult } from './contract.ts';
import { METRIC } from './metrics.ts';

/** Trend stats every scenario puts in the summary; p(99) is what the criteria judge. */
export const SUMMARY_TREND_STATS = ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)', 'p(99)', 'count'];

/**
 * k6 only computes a tagged sub-metric that has a threshold; an empty list makes it appear in the
 * summary without judging anything.
 */
export function scenarioSubMetrics(scenarios: readonly string[]): Record<string, string[]> {
  const subMetrics: Record<string, string[]> = {};
  for (const name of scenarios) {
    for (const metric of ['http_req_duration', 'http_reqs', 'iterations', 'dropped_iterations', METRIC.requestSuccess]) subMetrics[`${metric}{scenario:${name}}`] = [];
  }
  return subMetrics;
}

function stat(data: K6SummaryData, metric: string, name: string): number | null {
  const value = data.metrics[metric]?.values[name];
  return value === undefined ? null : value;
}

/** A counter's count; k6 leaves out counters that were never added to, which means 0. */
function count(data: K6SummaryData, metric: string): number {
  return stat(data, metric, 'count') ?? 0;
}

/** Latency of one scenario's requests from its sub-metrics. */
export function scenarioLatency(data: K6SummaryData, scenario: string): ScenarioLatency {
  const duration = `http_req_duration{scenario:${scenario}}`;
  return {
    requests: count(data, `http_reqs{scenario:${scenario}}`),
    p50Ms: stat(data, duration, 'med'),
    p99Ms: stat(data, duration, 'p(99)'),
    maxMs: stat(data, duration, 'max'),
    droppedIterations: count(data, `dropped_iterations{scenario:${scenario}}`),
  };
}

/** The imports as the client saw them; the wall time only when every expected import got an HTTP answer. */
export function importsSummary(data: K6SummaryData, expected: number): ImportsSummary {
  const outcomes = {
    completed: count(data, METRIC.outcome.completed),
    partial: count(data, METRIC.outcome.partial),
    failed: count(data, METRIC.outcome.failed),
    errored: count(data, METRIC.outcome.error),
  };
  // A client error (aborted, reset, timed out) is no answer: that import may still be running.
  const answered = outcomes.completed + outcomes.partial + outcomes.failed;
  const firstStartEpochMs = stat(data, METRIC.startEpoch, 'min');
  const lastEndEpochMs = stat(data, METRIC.endEpoch, 'max');
  const allAnswered = answered === expected && firstStartEpochMs !== null && lastEndEpochMs !== null;
  return {
    expected,
    ...outcomes,
    artifactsRequested: count(data, METRIC.artifactsRequested),
    artifactsAcknowledged: count(data, METRIC.artifactsAcknowledged),
    batchesFailed: count(data, METRIC.batchesFailed),
    firstStartEpochMs,
    lastEndEpochMs,
    wallMs: allAnswered ? lastEndEpochMs - firstStartEpochMs : null,
    lockHoldMaxMs: stat(data, METRIC.lockHold, 'max'),
    lockHoldP99Ms: stat(data, METRIC.lockHold, 'p(99)'),
    lockWaitP99Ms: stat(data, METRIC.lockWait, 'p(99)'),
  };
}

/** Every threshold k6 evaluated, sorted by metric. */
export function thresholdResults(data: K6SummaryData): ThresholdResult[] {
  const results: ThresholdResult[] = [];
  for (const [metric, m] of Object.entries(data.metrics)) {
    for (const [expression, t] of Object.entries(m.thresholds ?? {})) results.push({ metric, expression, ok: t.ok });
  }
  return results.sort((a, b) => a.metric.localeCompare(b.metric) || a.expression.localeCompare(b.expression));
}

/** What a scenario tells the summary about itself. */
export interface SummaryContext {
  scenario: LockbenchSummary['scenario'];
  /** The resolved settings, copied into the file. */
  config: Record<string, string | number>;
  /** Imports the scenario was set to send. */
  expectedImports: number;
  /** k6 scenarios that ran, each with its sub-metrics declared by {@link scenarioSubMetrics}. */
  scenarios: readonly string[];
}

/** The `lockbench` block of a summary. */
export function lockbenchSummary(data: K6SummaryData, context: SummaryContext): LockbenchSummary {
  const thresholds = thresholdResults(data);
  return {
    scenario: context.scenario,
    config: context.config,
    imports: importsSummary(data, context.expectedImports),
    latency: Object.fromEntries(context.scenarios.map((name) => [name, scenarioLatency(data, name)])),
    requestSuccessRate: stat(data, METRIC.requestSuccess, 'rate'),
    checksRate: stat(data, 'checks', 'rate'),
    thresholds,
    thresholdsOk: thresholds.every((t) => t.ok),
  };
}

const ms = (v: number | null): string => (v === null ? '-' : v >= 1000 ? `${(v / 1000).toFixed(2)} s` : `${v.toFixed(1)} ms`);
const pct = (v: number | null): string => (v === null ? '-' : `${(v * 100).toFixed(2)} %`);

function latencyLine(name: string, l: ScenarioLatency): string {
  const dropped = l.droppedIterations > 0 ? `, ${l.droppedIterations} NOT SENT (no free VU)` : '';
  return `  ${name}: ${l.requests} requests, p50 ${ms(l.p50Ms)}, p99 ${ms(l.p99Ms)}, max ${ms(l.maxMs)}${dropped}`;
}

/** A few lines for stdout; the JSON file holds everything. */
export function summaryText(s: LockbenchSummary, summaryPath: string): string {
  const i = s.imports;
  const lines = [
    `lockbench ${s.scenario}: ${i.expected} imports -> ${i.completed} completed, ${i.partial} partial, ${i.failed} failed, ${i.errored} errors; ` +
      `${i.artifactsAcknowledged}/${i.artifactsRequested} artifacts acknowledged, ${i.batchesFailed} batches failed`,
    `  import wall ${ms(i.wallMs)} (first start to last end); batch lock hold max ${ms(i.lockHoldMaxMs)}, p99 ${ms(i.lockHoldP99Ms)}; lock wait p99 ${ms(i.lockWaitP99Ms)}`,
    ...Object.entries(s.latency).map(([name, latency]) => latencyLine(name, latency)),
    `  request success ${pct(s.requestSuccessRate)}${s.checksRate === null ? '' : `, checks ${pct(s.checksRate)}`}`,
    // k6's thresholds see the whole k6 run; the harness judges the criteria (latency inside the import
    // window among them), and that verdict is the gate.
    ...(s.thresholds.length === 0 ? [] : ['  k6 thresholds, over the whole k6 run (reported; not the gate: the harness judges the criteria):']),
    ...s.thresholds.map((t) => `    ${t.ok ? 'pass' : 'FAIL'} ${t.metric} ${t.expression}`),
    `  summary: ${summaryPath === '' ? '(SUMMARY_PATH not set)' : summaryPath}`,
  ];
  return `${lines.join('\n')}\n`;
}

/** What handleSummary returns: the text on stdout and, when `summaryPath` is set, the JSON file. */
export function summaryOutputs(data: K6SummaryData, context: SummaryContext, summaryPath: string): Record<string, string> {
  const lockbench = lockbenchSummary(data, context);
  const file: SummaryFile = { ...data, lockbench };
  const outputs: Record<string, string> = { stdout: summaryText(lockbench, summaryPath) };
  if (summaryPath !== '') outputs[summaryPath] = JSON.stringify(file, null, 2);
  return outputs;
}

/**
 * What runs inside k6 for `--driver k6 --workload`: each iteration of a request stream is rendered from the
 * workload's templates by the code the built-in driver uses (the same seed sends the same requests, every
 * generator evaluated per iteration inside k6), sent with k6/http, and its answer classified by the
 * stream's rules as it is read, with its body and k6's own latency (first byte sent to last byte read), as
 * the built-in driver classifies it. The class goes into one `lockbench_answer` sample per answer,
 * joined to the request's `http_req_duration` sample by the iteration number in both samples' metadata.
 * ./workload-script.ts bundles this module with the workload's data into one script; the harness never
 * imports it.
 */
import exec from 'k6/execution';
import http from 'k6/http';
import { Counter } from 'k6/metrics';
import type { Options, Scenario } from 'k6/options';
import type { K6SummaryData } from '../../../../scenarios/lib/contract.ts';
import { envBaseUrl } from '../../../../scenarios/lib/env.ts';
import { recordRequest } from '../../../../scenarios/lib/metrics.ts';
import { scenarioSubMetrics, SUMMARY_TREND_STATS, summaryOutputs } from '../../../../scenarios/lib/summary.ts';
import { acknowledgedCount, answerClassifier } from '../../workload/classify.ts';
import { renderRequest } from '../../../plan/workload/render.ts';
import { ANSWER_METRIC, ITERATION_DONE, LOAD_START, META, type ScriptWorkload } from './workload-protocol.ts';

declare const __ENV: Record<string, string | undefined>;

const answers = new Counter(ANSWER_METRIC);

/** The script's options: the scenarios, each one's latency in the summary, and no redirect followed (as the built-in driver). */
export function scriptOptions(scenarios: Record<string, Scenario>): Options {
  return { scenarios, thresholds: scenarioSubMetrics(Object.keys(scenarios)), summaryTrendStats: SUMMARY_TREND_STATS, maxRedirects: 0 };
}

/** The function k6 executes for one request stream's scenario. */
export function streamFunction(workload: ScriptWorkload, name: string): () => void {
  const stream = workload.streams[name];
  if (!stream) throw new Error(`the script has no stream named "${name}"`);
  const { action, followed } = stream;
  const classifier = answerClassifier(action.answers, workload.lockErrors);
  // Checked once per VU, in init context: a bad BASE_URL stops k6 before any request.
  const baseUrl = envBaseUrl(__ENV, 'BASE_URL', '');
  return () => {
    const n = exec.scenario.iterationInTest;
    const request = renderRequest(action, workload.seed, name, n);
    const metadata = exec.vu.metrics.metadata;
    metadata[META.iteration] = n;
    try {
      const res = http.request(request.method, `${baseUrl}${request.path}`, request.body === null ? null : JSON.stringify(request.body), {
        headers: request.headers,
        timeout: `${action.timeoutMs}ms`,
        // One name per stream, so ids in paths do not multiply k6's time series.
        tags: { name: `${action.method} ${action.path}` },
        responseType: 'text',
      });
      const body = res.status === 0 || typeof res.body !== 'string' ? null : res.body;
      const { outcome, lockFailure } = classifier.classify({ status: res.status, body, elapsedMs: res.timings.duration });
      recordRequest(outcome === 'success');
      const acknowledged = action.acknowledged === null || outcome === 'error' || outcome === 'lock-error' ? null : acknowledgedCount(body, action.acknowledged);
      if (acknowledged !== null) metadata[META.acknowledged] = acknowledged;
      answers.add(1, { outcome, lock_failure: lockFailure ?? '' });
    } finally {
      delete metadata[META.iteration];
      delete metadata[META.acknowledged];
    }
    if (followed) console.log(JSON.stringify({ event: ITERATION_DONE, stream: name }));
  };
}

/** setup(): k6 runs it once, after every VU's init and before the scenarios start; it says when that is. */
export function loadStart(): void {
  console.log(JSON.stringify({ event: LOAD_START, atMs: Date.now() }));
}

/** handleSummary: the summary file the harness reads, with the per-stream latency of every request stream. */
export function workloadSummary(workload: ScriptWorkload, data: K6SummaryData): Record<string, string> {
  return summaryOutputs(
    data,
    { scenario: 'concurrent', config: { workload: workload.name, seed: workload.seed }, expectedImports: 0, scenarios: Object.keys(workload.streams) },
    __ENV.SUMMARY_PATH ?? '',
  );
}

/**
 * The built-in driver's summary: the same figures the k6 scripts' handleSummary computes from k6's
 * metrics (scenarios/lib/summary.ts), computed from the engine's samples and iteration outcomes.
 */
import type { ImportsSummary, LockbenchSummary, ScenarioLatency } from '../../../../scenarios/lib/contract.ts';
import type { ImportAttempt } from '../../../../scenarios/lib/requests.ts';
import type { ScenarioDescription } from '../../../../scenarios/lib/scenario.ts';
import { interpolatedPercentile } from '../../../shared/percentile.ts';
import { serviceTimeMs } from '../../../model/request-times.ts';
import type { EngineResult } from './engine.ts';

/** Latency of one stream's requests that were sent (service time), k6's percentile definition. */
function streamLatency(result: EngineResult, stream: string): ScenarioLatency {
  const durations = result.samples
    .filter((s) => s.stream === stream)
    .map(serviceTimeMs)
    .filter((d): d is number => d !== null)
    .sort((a, b) => a - b);
  return {
    requests: durations.length,
    p50Ms: interpolatedPercentile(durations, 50),
    p99Ms: interpolatedPercentile(durations, 99),
    maxMs: durations.length === 0 ? null : durations[durations.length - 1]!,
    droppedIterations: result.streams[stream]?.dropped ?? 0,
  };
}

/**
 * The imports as the client saw them; the wall time only when every expected import got an HTTP answer.
 * A request that ended in a client error (aborted on Ctrl-C, reset, timed out) was never answered: its
 * import may still be running, so the imports' wall is unknown.
 */
export function importsSummaryOf(attempts: readonly ImportAttempt[], expected: number): ImportsSummary {
  const count = (kind: string) => attempts.filter((a) => a.outcome.kind === kind).length;
  // An HTTP error (a 500 `database is locked`) is an answer; status 0 is a request that never got one.
  const answered = attempts.filter((a) => a.outcome.kind !== 'error' || a.outcome.httpStatus !== 0).length;
  const firstStartEpochMs = attempts.length === 0 ? null : Math.min(...attempts.map((a) => a.startEpochMs));
  const lastEndEpochMs = attempts.length === 0 ? null : Math.max(...attempts.map((a) => a.endEpochMs));
  const batches = attempts.flatMap((a) => (a.outcome.kind === 'error' ? [] : a.outcome.body.batches)).sort((x, y) => x.lockHoldMs - y.lockHoldMs);
  const holds = batches.map((b) => b.lockHoldMs);
  const waits = batches.map((b) => b.lockWaitMs).sort((a, b) => a - b);
  return {
    expected,
    completed: count('completed'),
    partial: count('partial'),
    failed: count('failed'),
    errored: count('error'),
    artifactsRequested: attempts.reduce((sum, a) => sum + a.requested, 0),
    artifactsAcknowledged: attempts.reduce((sum, a) => sum + (a.outcome.kind === 'error' ? 0 : a.outcome.body.imported), 0),
    batchesFailed: batches.filter((b) => b.status === 'failed').length,
    firstStartEpochMs,
    lastEndEpochMs,
    wallMs: answered === expected && firstStartEpochMs !== null && lastEndEpochMs !== null ? lastEndEpochMs - firstStartEpochMs : null,
    lockHoldMaxMs: holds.length === 0 ? null : holds[holds.length - 1]!,
    lockHoldP99Ms: interpolatedPercentile(holds, 99),
    lockWaitP99Ms: interpolatedPercentile(waits, 99),
  };
}

/**
 * Imports a run was to send: the VUs times iterations of its streams that import, and for an import
 * stream at a constant rate (the soak) those it started.
 */
export function expectedImports(description: ScenarioDescription, result: Pick<EngineResult, 'streams'>): number {
  return description.streams
    .filter((s) => s.request === 'import' || s.request === 'rollingImport' || s.request === 'smoke')
    .reduce((sum, s) => sum + (s.executor.type === 'per-vu-iterations' ? s.executor.vus * s.executor.iterations : (result.streams[s.name]?.iterations ?? 0)), 0);
}

export function builtinSummary(description: ScenarioDescription, result: EngineResult): LockbenchSummary {
  const outcomes = result.outcomes.map((o) => o.outcome);
  const successes = outcomes.flatMap((o) => o.successes);
  const checks = outcomes.flatMap((o) => Object.values(o.checks ?? {}));
  const attempts = outcomes.flatMap((o) => (o.import ? [o.import] : []));
  return {
    scenario: description.name,
    config: { ...description.settings },
    imports: importsSummaryOf(attempts, expectedImports(description, result)),
    latency: Object.fromEntries(description.streams.map((s) => [s.name, streamLatency(result, s.name)])),
    requestSuccessRate: successes.length === 0 ? null : successes.filter(Boolean).length / successes.length,
    checksRate: checks.length === 0 ? null : checks.filter(Boolean).length / checks.length,
    // k6 thresholds exist only where k6 ran; the criteria are the gate either way.
    thresholds: [],
    thresholdsOk: true,
  };
}

/**
 * A workload's result from what a trial measured: each stream's figures and the criteria judged over the
 * classified answers, the side writers' writes, the lock spans and the no-loss counts. Numbers and codes;
 * harness/reports/streams.ts words them.
 */
import type { LockSpan } from '../shared/lock-span.ts';
import type { Workload } from '../model/workload-plan.ts';
import { isSqlLockError, lockFailureOf } from '../shared/lock-errors.ts';
import { isUnanswered, type NoLossCount, type WorkloadSample } from '../model/workload-samples.ts';
import type { RequestSample, WriteSample } from '../model/results.ts';
import { interpolatedPercentile } from '../shared/percentile.ts';
import { evaluateWorkloadCriteria } from './workload-evaluate.ts';
import type { StreamDefinition, StreamFigures, WorkloadResult } from '../model/workload.ts';

/**
 * The side writers' answered writes as samples of their streams: committed, or a lock error (SQLite's
 * busy or locked codes, split fast or timed out by the time from BEGIN to the failure, as an answer's
 * time splits an HTTP stream's), or another error. A write without a stream is the first SQL stream's.
 */
export function writerSamples(workload: Workload, samples: readonly WriteSample[]): WorkloadSample[] {
  const first = workload.streams.find((s) => s.action.kind === 'sql')?.name;
  return samples.flatMap((w): WorkloadSample[] => {
    const stream = w.stream ?? first;
    if (stream === undefined) return [];
    const lock = !w.ok && w.errorCode !== undefined && isSqlLockError(w.errorCode);
    return [
      {
        stream,
        scheduledMs: w.scheduledAtMs,
        sentMs: w.scheduledAtMs,
        endMs: w.scheduledAtMs + w.latencyMs,
        status: 0,
        outcome: w.ok ? 'success' : lock ? 'lock-error' : 'error',
        lockFailure: lock ? lockFailureOf(w.failedAfterMs ?? w.latencyMs, workload.lockErrors) : null,
        acknowledged: w.ok ? 1 : null,
      },
    ];
  });
}

/** How many of each client error, `unknown` for a request without one. */
function tallyErrors(requests: readonly RequestSample[]): Record<string, number> {
  const byKind: Record<string, number> = {};
  for (const r of requests) byKind[r.error ?? 'unknown'] = (byKind[r.error ?? 'unknown'] ?? 0) + 1;
  return byKind;
}

/**
 * A request stream's other errors split: no answer at all, by why the client stopped waiting, and answers
 * the rules class as errors. The classified answers say which got no status; why is in the request samples
 * (one per answer of a workload's stream, both drivers): their tally is taken when it covers exactly those,
 * else the kinds are `unknown`.
 */
function errorSplit(own: readonly WorkloadSample[], requests: readonly RequestSample[] | null): Pick<StreamFigures, 'noAnswer' | 'errorAnswers'> {
  const total = own.filter(isUnanswered).length;
  const unanswered = requests?.filter((r) => r.status === 0) ?? [];
  const byKind = total === 0 ? {} : unanswered.length === total ? tallyErrors(unanswered) : { unknown: total };
  return { noAnswer: { total, byKind }, errorAnswers: own.filter((s) => s.outcome === 'error').length - total };
}

/**
 * Each stream's figures over its classified samples. `requests` are the driver's request samples (with the
 * client's error of a request that got no answer); null when they were not read.
 */
export function streamFigures(
  workload: Workload,
  samples: readonly WorkloadSample[],
  requests: readonly RequestSample[] | null = null,
  acknowledgedTotals?: Readonly<Record<string, number>>,
): StreamFigures[] {
  return workload.streams.map((stream) => {
    const own = samples.filter((s) => s.stream === stream.name);
    const lock = own.filter((s) => s.outcome === 'lock-error');
    const latencies = own.filter((s) => s.sentMs !== null).map((s) => s.endMs - s.sentMs!).sort((a, b) => a - b);
    // A request stream says what it acknowledged by its answers' field, or by the total counted beside them (a target that names no field).
    const says = stream.action.kind === 'sql' || stream.action.acknowledged !== null || acknowledgedTotals?.[stream.name] !== undefined;
    return {
      stream: stream.name,
      kind: stream.action.kind,
      requests: own.length,
      successes: own.filter((s) => s.outcome === 'success').length,
      partial: own.filter((s) => s.outcome === 'partial').length,
      lockErrors: {
        total: lock.length,
        fast: lock.filter((s) => s.lockFailure === 'fast').length,
        timedOut: lock.filter((s) => s.lockFailure === 'timed-out').length,
        unknown: lock.filter((s) => s.lockFailure === 'unknown').length,
      },
      otherErrors: own.filter((s) => s.outcome === 'error').length,
      ...(stream.action.kind === 'http' ? errorSplit(own, requests?.filter((r) => r.stream === stream.name) ?? null) : {}),
      p50Ms: interpolatedPercentile(latencies, 50),
      p99Ms: interpolatedPercentile(latencies, 99),
      // A request stream's total as counted beside its samples, when they do not carry it (unknown: none).
      acknowledged: !says ? null : stream.action.kind === 'http' && acknowledgedTotals !== undefined ? (acknowledgedTotals[stream.name] ?? null) : own.reduce((sum, s) => sum + (s.acknowledged ?? 0), 0),
    };
  });
}

/** The workload's streams as the trial ran them: what the reports say the run did, in place of the scenario's options. */
export function streamDefinitions(workload: Workload): StreamDefinition[] {
  return workload.streams.map(({ name, executor, startTimeMs, endsAfter, action }) => ({
    name,
    executor,
    startTimeMs,
    endsAfter,
    action:
      action.kind === 'http'
        ? { kind: 'http', method: action.method, path: action.path }
        : { kind: 'sql', statements: action.statements.length, procedure: action.procedure, transaction: action.transaction, holdMs: action.holdMs, threads: action.threads },
  }));
}

export interface WorkloadMeasurements {
  samples: readonly WorkloadSample[];
  /** The driver's request samples, which say why a request got no answer; null when not read. */
  requests?: readonly RequestSample[] | null;
  lockSpans: readonly LockSpan[] | null;
  run: { startMs: number; endMs: number };
  noLoss: Readonly<Record<string, NoLossCount>>;
  /** What each request stream's answers acknowledged, when the samples do not say it answer by answer (see CriteriaInput). */
  acknowledged?: Readonly<Record<string, number>>;
  lockSource: WorkloadResult['lockSource'];
}

export function workloadResult(workload: Workload, source: string, m: WorkloadMeasurements): WorkloadResult {
  const lockCriteria = workload.criteria.filter((c) => c.type === 'max-lock-hold' || c.type === 'lock-duty-cycle').map((c) => c.id);
  const judged = evaluateWorkloadCriteria({
    workload,
    samples: m.samples,
    lockSpans: m.lockSpans ?? [],
    run: m.run,
    noLoss: m.noLoss,
    ...(m.acknowledged === undefined ? {} : { acknowledged: m.acknowledged }),
  });
  // Without spans a lock figure is not measured: it fails, never passes on an empty list.
  const criteria = m.lockSpans === null ? judged.map((c) => (lockCriteria.includes(c.id) ? { ...c, measured: null, pass: false, code: 'no-samples' as const } : c)) : judged;
  return {
    name: workload.name,
    source,
    definition: { description: workload.description, streams: streamDefinitions(workload) },
    busyTimeoutMs: workload.lockErrors?.busyTimeoutMs ?? null,
    streams: streamFigures(workload, m.samples, m.requests ?? null, m.acknowledged),
    criteria,
    lockSource: m.lockSource,
  };
}

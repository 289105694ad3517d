/**
 * A workload resolved once, after validation: streams in file order with their names, every duration in
 * milliseconds, k6's defaults and lockbench's in-flight bounds filled, answers merged over the
 * workload's. Plain data (regexes as text), so it can be passed to a driver thread as it is.
 */
import { durationMs } from '../../../scenarios/lib/env.ts';
import { PREALLOCATED_VU_SECONDS } from '../../../scenarios/lib/defaults.ts';
import { inFlightBound } from '../../../scenarios/lib/scenario.ts';
import { DEFAULT_MAX_IN_FLIGHT } from '../workflow-writers.ts';
import type { AnswerRules, HttpAction, ResolvedExecutor, ResolvedGenerator, SqlAction, Workload, WorkloadCriterion } from '../../model/workload-plan.ts';
import type { RankedCriterion } from '../../model/rank.ts';
import type { AnswersFile, CriterionFile, StreamFile, WorkloadFile } from './schema.ts';

/** True only when A and B are the same type, optional fields included. */
type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
// The model's criterion and answer rules are the file's, defaults applied: a field added to one side and not the other fails to compile here.
true satisfies Same<CriterionFile, WorkloadCriterion>;
true satisfies Same<AnswersFile, AnswerRules>;

/** Arrivals per second of `rate` per `timeUnitMs`. */
export function perSecond(rate: number, timeUnitMs: number): number {
  return (rate * 1000) / timeUnitMs;
}

/** A lock error answered in under this share of the busy timeout is fast, unless `fastBelow` says otherwise. */
export const DEFAULT_FAST_LOCK_ERROR_SHARE = 0.5;

/** A stream as validated, its values resolved and its answers merged. */
export interface StreamParts {
  name: string;
  stream: StreamFile;
  values: Record<string, ResolvedGenerator>;
  answers: AnswerRules;
}

/** The most a ramping stream arrives per second over its stages. */
function peakRate(stream: Extract<StreamFile, { executor: 'ramping-arrival-rate' }>): number {
  return Math.max(stream.startRate, ...stream.stages.map((s) => s.target));
}

function executorOf(stream: StreamFile, timeoutMs: number): ResolvedExecutor {
  const vusFor = (ratePerSecond: number, pre?: number, max?: number) => {
    // SQL streams are bounded like the workflow writers; request streams by what arrives within one timeout.
    const maxVUs = max ?? (stream.sql ? DEFAULT_MAX_IN_FLIGHT : inFlightBound(ratePerSecond, timeoutMs));
    return { preAllocatedVUs: pre ?? Math.min(maxVUs, Math.ceil(ratePerSecond * PREALLOCATED_VU_SECONDS)), maxVUs };
  };
  switch (stream.executor) {
    case 'constant-arrival-rate': {
      const timeUnitMs = durationMs(stream.timeUnit);
      return { type: stream.executor, rate: stream.rate, timeUnitMs, durationMs: durationMs(stream.duration), ...vusFor(perSecond(stream.rate, timeUnitMs), stream.preAllocatedVUs, stream.maxVUs) };
    }
    case 'ramping-arrival-rate': {
      const timeUnitMs = durationMs(stream.timeUnit);
      return {
        type: stream.executor,
        startRate: stream.startRate,
        timeUnitMs,
        stages: stream.stages.map((s) => ({ target: s.target, durationMs: durationMs(s.duration) })),
        ...vusFor(perSecond(peakRate(stream), timeUnitMs), stream.preAllocatedVUs, stream.maxVUs),
      };
    }
    case 'per-vu-iterations':
      return { type: stream.executor, vus: stream.vus, iterations: stream.iterations, maxDurationMs: durationMs(stream.maxDuration) };
    case 'constant-vus':
      return { type: stream.executor, vus: stream.vus, durationMs: durationMs(stream.duration) };
  }
}

function actionOf(parts: StreamParts): HttpAction | SqlAction {
  const { stream } = parts;
  if (stream.sql) {
    const sql = stream.sql;
    return {
      kind: 'sql',
      statements: sql.statements ?? [],
      procedure: sql.procedure ?? null,
      transaction: sql.transaction,
      holdMs: sql.hold === undefined ? 0 : durationMs(sql.hold),
      threads: sql.threads,
      busyTimeoutMs: sql.busyTimeout === undefined ? null : durationMs(sql.busyTimeout),
    };
  }
  const request = stream.request!;
  return {
    kind: 'http',
    method: request.method,
    path: request.path,
    headers: request.headers,
    body: request.body ?? null,
    timeoutMs: durationMs(request.timeout),
    values: parts.values,
    answers: parts.answers,
    acknowledged: stream.acknowledged ?? null,
  };
}

/** The ranked criteria of a validated file (./load.ts refused no-loss and `==` ones), each better the way its comparison points. */
function rankOf(file: WorkloadFile): RankedCriterion[] {
  return (file.rank ?? []).map((id) => {
    const criterion = file.criteria.find((c) => c.id === id);
    const comparison = criterion && 'comparison' in criterion ? criterion.comparison : '<';
    return { criterion: id, better: comparison.startsWith('<') ? 'lower' : 'higher' };
  });
}

/** The resolved workload of a validated file. */
export function resolveWorkload(file: WorkloadFile, streams: readonly StreamParts[]): Workload {
  const busyTimeoutMs = file.lockErrors ? durationMs(file.lockErrors.busyTimeout) : null;
  return {
    name: file.name,
    description: file.description ?? null,
    seed: file.seed,
    lockErrors:
      busyTimeoutMs === null
        ? null
        : { busyTimeoutMs, fastBelowMs: file.lockErrors?.fastBelow === undefined ? busyTimeoutMs * DEFAULT_FAST_LOCK_ERROR_SHARE : durationMs(file.lockErrors.fastBelow) },
    streams: streams.map((parts) => {
      const action = actionOf(parts);
      const { stream } = parts;
      const endsAfter = 'endsAfter' in stream && stream.endsAfter ? { stream: stream.endsAfter.stream, tailMs: durationMs(stream.endsAfter.tail) } : null;
      return {
        name: parts.name,
        executor: executorOf(stream, action.kind === 'http' ? action.timeoutMs : 0),
        startTimeMs: durationMs(stream.startTime),
        gracefulStopMs: durationMs(stream.gracefulStop),
        endsAfter,
        tags: stream.tags,
        action,
      };
    }),
    criteria: file.criteria,
    rank: rankOf(file),
  };
}

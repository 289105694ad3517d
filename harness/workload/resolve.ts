/**
 * A workload resolved once, after validation: streams in file order with their names, every duration in
 * milliseconds, k6's defaults and lockbench's in-flight bounds filled, answers merged over the
 * workload's. Plain data (regexes as text), so it can be passed to a driver thread as it is.
 */
import { durationMs } from '../../scenarios/lib/env.ts';
import { PREALLOCATED_VU_SECONDS } from '../../scenarios/lib/defaults.ts';
import { inFlightBound } from '../../scenarios/lib/scenario.ts';
import { DEFAULT_MAX_IN_FLIGHT } from '../workflow-writers/options.ts';
import type { Json } from '../targets/templates.ts';
import type { ResolvedGenerator } from './generators.ts';
import type { AnswerRules, CriterionFile, SqlStreamFile, StreamFile, WorkloadFile } from './schema.ts';

/** Arrivals per second of `rate` per `timeUnitMs`. */
export function perSecond(rate: number, timeUnitMs: number): number {
  return (rate * 1000) / timeUnitMs;
}

export type ResolvedExecutor =
  | { type: 'constant-arrival-rate'; rate: number; timeUnitMs: number; durationMs: number; preAllocatedVUs: number; maxVUs: number }
  | { type: 'ramping-arrival-rate'; startRate: number; timeUnitMs: number; stages: { target: number; durationMs: number }[]; preAllocatedVUs: number; maxVUs: number }
  | { type: 'per-vu-iterations'; vus: number; iterations: number; maxDurationMs: number }
  | { type: 'constant-vus'; vus: number; durationMs: number };

export interface HttpAction {
  kind: 'http';
  method: string;
  path: string;
  headers: Record<string, string>;
  body: Json | null;
  /** Timeout of each request, in ms. */
  timeoutMs: number;
  values: Record<string, ResolvedGenerator>;
  answers: AnswerRules;
  /** Dot path of the acknowledged count in the JSON answer; null when the stream does not say. */
  acknowledged: string | null;
}

export interface SqlAction {
  kind: 'sql';
  /** Statements run in each write transaction (parameters :id, :n, :nowMs); empty for a plain lock holder. */
  statements: string[];
  procedure: SqlStreamFile['procedure'] | null;
  transaction: SqlStreamFile['transaction'];
  /** How long each transaction stays open after its statements, in ms (0: commit at once). */
  holdMs: number;
  threads: number;
  /** Each connection's busy timeout, in ms; null: the target's own, when it has one. */
  busyTimeoutMs: number | null;
}

export interface WorkloadStream {
  name: string;
  executor: ResolvedExecutor;
  /** When it starts after the run starts, in ms. */
  startTimeMs: number;
  /** How long iterations still running when it ends may go on, in ms. */
  gracefulStopMs: number;
  /** Ends once that stream has finished plus `tailMs`; the executor's duration is then its longest. */
  endsAfter: { stream: string; tailMs: number } | null;
  tags: Record<string, string>;
  action: HttpAction | SqlAction;
}

export type WorkloadCriterion = CriterionFile;

export interface Workload {
  name: string;
  description: string | null;
  seed: number;
  /** The app's busy timeout and the line under which a lock error is fast, in ms; null when not declared. */
  lockErrors: { busyTimeoutMs: number; fastBelowMs: number } | null;
  streams: WorkloadStream[];
  criteria: WorkloadCriterion[];
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
  };
}

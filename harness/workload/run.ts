/**
 * A workload as a run carries it out: the streams the built-in driver runs (requests rendered from the
 * workload's templates), the SQL streams the side writers run, what a run cannot carry out yet (refused
 * before anything starts), and the figures per stream and the criteria judged after it. Generic over
 * the workload's streams: no stream is known here by name.
 */
import { readFile } from 'node:fs/promises';
import Database from 'better-sqlite3';
import type { ScenarioDescription, StreamDescription } from '../../scenarios/lib/scenario.ts';
import { GRACEFUL_STOP_MARGIN_MS } from '../../scenarios/lib/scenario.ts';
import { interpolatedPercentile } from '../stats/percentile.ts';
import type { LockSpan } from '../locks/span.ts';
import type { WriteSample } from '../results.ts';
import type { SqlStreamWriters } from '../run/sql-streams.ts';
import { isSqlLockError, lockFailureOf } from './classify.ts';
import { evaluateWorkloadCriteria, type NoLossCount, type WorkloadSample } from './evaluate.ts';
import { workloadIterations, type WorkloadIterations } from './iteration.ts';
import type { LoadedWorkload, WorkloadIssue } from './load.ts';
import type { StreamFigures, WorkloadResult } from './outcome.ts';
import { engineExecutor, streamEnd } from './scenario.ts';
import { DEFAULT_FAST_LOCK_ERROR_SHARE, perSecond, type HttpAction, type SqlAction, type Workload, type WorkloadStream } from './resolve.ts';

type HttpStream = WorkloadStream & { action: HttpAction };
type SqlStream = WorkloadStream & { action: SqlAction };

const httpStreams = (workload: Workload) => workload.streams.filter((s): s is HttpStream => s.action.kind === 'http');
const sqlStreams = (workload: Workload) => workload.streams.filter((s): s is SqlStream => s.action.kind === 'sql');

/** The target setting that is the app's busy timeout, in ms, by the name the target descriptions use. */
export const BUSY_TIMEOUT_SETTING = 'busyTimeoutMs';

/** The side writers bind these for each write: a unique id per write and the time. */
const WRITER_PARAMETERS = { id: 'executionId', nowMs: 'nowMs' } as const;

/**
 * Why a `procedure` is refused: it writes the built-in target's own tables, and only the concurrent scenario
 * runs it, from scenarios/concurrent.workload.json as that file stands.
 */
const PROCEDURE_REFUSAL =
  'a procedure is run only as lockbench\'s own concurrent scenario: run scenario:concurrent without --workload, or with --workload ' +
  'scenarios/concurrent.workload.json itself (the default run is built from it); a copy or another workload gives "statements" for its app';

/** What the run layer cannot carry out yet, each at the field that asks for it: refused as a bad workload (exit 2). */
export function unrunnableIssues(workload: Workload): WorkloadIssue[] {
  return sideWriterIssues(workload);
}

/**
 * What the side writers cannot carry out yet, whichever driver sends the requests: a procedure outside the
 * concurrent scenario, and :n; and a workload needs a request stream for a driver to send.
 */
export function sideWriterIssues(workload: Workload): WorkloadIssue[] {
  const issues: WorkloadIssue[] = [];
  for (const stream of sqlStreams(workload)) {
    const at = `streams.${stream.name}.sql`;
    if (stream.action.procedure !== null) issues.push({ path: `${at}.procedure`, message: PROCEDURE_REFUSAL });
    stream.action.statements.forEach((statement, i) => {
      if (/(?<![:\w]):n\b/.test(statement)) issues.push({ path: `${at}.statements.${i}`, message: 'the side writers bind :id and :nowMs; :n is not bound yet' });
    });
  }
  if (httpStreams(workload).length === 0) issues.push({ path: 'streams', message: 'expected at least one request stream: the driver sends the load' });
  return issues;
}

function describe(stream: HttpStream): StreamDescription {
  const end = streamEnd(stream);
  return {
    name: stream.name,
    executor: engineExecutor(stream, stream.gracefulStopMs + GRACEFUL_STOP_MARGIN_MS),
    request: 'workload',
    timeoutMs: stream.action.timeoutMs,
    tags: { stream: stream.name, ...stream.tags },
    ...(end ? { end } : {}),
    ...(stream.startTimeMs > 0 ? { startTimeMs: stream.startTimeMs } : {}),
  };
}

/** The request streams as the engine runs them; their requests come from {@link workloadStreamIterations}. */
export function workloadScenario(workload: Workload, name: ScenarioDescription['name']): ScenarioDescription {
  // No scenario settings: every request is rendered from the workload's templates.
  // A stream of another executor is refused for the built-in driver when the workload is loaded; k6 runs
  // it from the workload itself (../drivers/k6), so the description leaves it out.
  const described = httpStreams(workload).filter((s) => s.executor.type === 'constant-arrival-rate' || s.executor.type === 'per-vu-iterations');
  return { name, streams: described.map(describe), settings: { artifacts: 0, compositeEvery: 0, children: 0, imports: 0, catalogEntries: 0, readLimit: 0 } };
}

/** Each request stream's iterations and classifier, by stream name. */
export function workloadStreamIterations(workload: Workload): Record<string, WorkloadIterations> {
  return Object.fromEntries(httpStreams(workload).map((s) => [s.name, workloadIterations(workload, s)]));
}

/** What the side writers run for one of the workload's SQL streams. */
export interface WorkloadWriters {
  stream: string;
  writesPerSecond: number;
  threads: number;
  maxInFlight: number;
  /** Statements with the writers' parameter names; none for a plain lock holder. */
  sqlWrite: string[];
  /** How long each transaction stays open after its statements, in ms. */
  holdMs: number;
  busyTimeoutMs: number | null;
  transaction: SqlAction['transaction'];
  /** The first write is due this long after the side writers start (just before the load), in ms. */
  startDelayMs: number;
}

/** The side writers of each of the workload's SQL streams, in file order. */
export function workloadWriters(workload: Workload): WorkloadWriters[] {
  return sqlStreams(workload).flatMap((stream) => {
    const e = stream.executor;
    // The loader takes SQL streams at a constant arrival rate only.
    if (e.type !== 'constant-arrival-rate') return [];
    return [
      {
        stream: stream.name,
        writesPerSecond: perSecond(e.rate, e.timeUnitMs),
        threads: stream.action.threads,
        maxInFlight: e.maxVUs,
        sqlWrite: stream.action.statements.map((s) => s.replace(/(?<![:\w]):(id|nowMs)\b/g, (_, p: keyof typeof WRITER_PARAMETERS) => `:${WRITER_PARAMETERS[p]}`)),
        busyTimeoutMs: stream.action.busyTimeoutMs,
        holdMs: Math.round(stream.action.holdMs),
        transaction: stream.action.transaction,
        startDelayMs: Math.round(stream.startTimeMs),
      },
    ];
  });
}

/** How the side writers run the workload's SQL streams (harness/run/sql-streams.ts), or why they do not. */
export function workloadWriterPlan(workload: Workload, targetBusyTimeoutMs: number | undefined): { run: true; streams: SqlStreamWriters[] } | { run: false; reason: string } {
  const writers = workloadWriters(workload);
  if (writers.length === 0) return { run: false, reason: 'the workload has no SQL stream' };
  return {
    run: true,
    streams: writers.map((w) => {
      const busyTimeoutMs = w.busyTimeoutMs ?? targetBusyTimeoutMs;
      return {
        stream: w.stream,
        options: {
          writesPerSecond: w.writesPerSecond,
          threads: w.threads,
          maxInFlight: w.maxInFlight,
          sqlWrite: w.sqlWrite,
          holdMs: w.holdMs,
          transaction: w.transaction,
          startDelayMs: w.startDelayMs,
          // Each stream's writes are told apart in the database by their ids.
          executionIdPrefix: `${w.stream}-${Date.now().toString(36)}-${process.pid}`,
          ...(busyTimeoutMs === undefined ? {} : { busyTimeoutMs }),
        },
      };
    }),
  };
}

/** The classified answers the driver wrote (JSON). */
export async function readAnswers(path: string): Promise<WorkloadSample[]> {
  return JSON.parse(await readFile(path, 'utf8')) as WorkloadSample[];
}

/**
 * The side writers' answered writes as samples of their streams: committed, or a lock error (SQLite's
 * busy or locked codes, split fast or timed out by the time from BEGIN to the failure, as an answer's
 * time splits an HTTP stream's), or another error. A write without a stream is the first SQL stream's.
 */
export function writerSamples(workload: Workload, samples: readonly WriteSample[]): WorkloadSample[] {
  const first = sqlStreams(workload)[0]?.name;
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

/** Runs each no-loss criterion's count on the database after the load, and the integrity check once. */
export function countNoLoss(workload: Workload, dbPath: string): Record<string, NoLossCount> {
  const checks = workload.criteria.filter((c) => c.type === 'no-loss');
  if (checks.length === 0) return {};
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 30000');
    const ok = (db.pragma('integrity_check') as { integrity_check: string }[]).every((r) => r.integrity_check === 'ok');
    return Object.fromEntries(
      checks.map((c) => {
        let found: number | null = null;
        try {
          const row = db.prepare(c.count).get() as { n?: unknown } | undefined;
          found = typeof row?.n === 'number' ? row.n : null;
        } catch {
          found = null;
        }
        return [c.id, { found, integrityOk: ok }];
      }),
    );
  } finally {
    db.close();
  }
}

export type { StreamFigures, WorkloadResult } from './outcome.ts';

export function streamFigures(workload: Workload, samples: readonly WorkloadSample[]): StreamFigures[] {
  return workload.streams.map((stream) => {
    const own = samples.filter((s) => s.stream === stream.name);
    const lock = own.filter((s) => s.outcome === 'lock-error');
    const latencies = own.filter((s) => s.sentMs !== null).map((s) => s.endMs - s.sentMs!).sort((a, b) => a - b);
    const says = stream.action.kind === 'sql' || stream.action.acknowledged !== null;
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
      p50Ms: interpolatedPercentile(latencies, 50),
      p99Ms: interpolatedPercentile(latencies, 99),
      acknowledged: says ? own.reduce((sum, s) => sum + (s.acknowledged ?? 0), 0) : null,
    };
  });
}

/**
 * The workload as a trial runs it: a workload that does not declare the app's busy timeout takes the
 * trial's `busyTimeoutMs` setting (in ms), when the target has one, to split its lock errors.
 */
export function withTrialBusyTimeout(loaded: LoadedWorkload, settings: Readonly<Record<string, string | number>>): LoadedWorkload {
  const ms = settings[BUSY_TIMEOUT_SETTING];
  if (loaded.workload.lockErrors !== null || typeof ms !== 'number') return loaded;
  return { ...loaded, workload: { ...loaded.workload, lockErrors: { busyTimeoutMs: ms, fastBelowMs: ms * DEFAULT_FAST_LOCK_ERROR_SHARE } } };
}

export interface WorkloadMeasurements {
  samples: readonly WorkloadSample[];
  lockSpans: readonly LockSpan[] | null;
  run: { startMs: number; endMs: number };
  noLoss: Readonly<Record<string, NoLossCount>>;
  lockSource: WorkloadResult['lockSource'];
}

export function workloadResult(workload: Workload, source: string, m: WorkloadMeasurements): WorkloadResult {
  const lockCriteria = workload.criteria.filter((c) => c.type === 'max-lock-hold' || c.type === 'lock-duty-cycle').map((c) => c.id);
  const judged = evaluateWorkloadCriteria({ workload, samples: m.samples, lockSpans: m.lockSpans ?? [], run: m.run, noLoss: m.noLoss });
  // Without spans a lock figure is not measured: it fails, never passes on an empty list.
  const criteria = m.lockSpans === null ? judged.map((c) => (lockCriteria.includes(c.id) ? { ...c, measured: null, pass: false, code: 'no-samples' as const } : c)) : judged;
  return { name: workload.name, source, busyTimeoutMs: workload.lockErrors?.busyTimeoutMs ?? null, streams: streamFigures(workload, m.samples), criteria, lockSource: m.lockSource };
}

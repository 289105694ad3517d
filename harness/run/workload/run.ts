/**
 * A workload as a run carries it out: the streams the built-in driver runs (requests rendered from the
 * workload's templates), the SQL streams the side writers run, the answers and no-loss counts it hands to
 * the analysis (harness/analyze/workload-result.ts). Generic over the workload's streams: no stream is
 * known here by name.
 */
import { readFile } from 'node:fs/promises';
import Database from 'better-sqlite3';
import type { ScenarioDescription, StreamDescription } from '../../../scenarios/lib/scenario.ts';
import { GRACEFUL_STOP_MARGIN_MS } from '../../../scenarios/lib/scenario.ts';
import type { LoadedWorkload, SqlAction, Workload } from '../../model/workload-plan.ts';
import type { NoLossCount, WorkloadSample } from '../../model/workload-samples.ts';
import { httpStreams, sqlStreams, type HttpStream } from '../../plan/workload/runnable.ts';
import type { SqlStreamWriters } from '../sql-streams.ts';
import type { SqlStreamTimeline } from '../sql-stream-ends.ts';
import { executionIdPrefix } from '../workflow-writers/writers.ts';
import { workloadIterations, type WorkloadIterations } from './iteration.ts';
import { engineExecutor, streamEnd } from '../../plan/workload/scenario.ts';
import { DEFAULT_FAST_LOCK_ERROR_SHARE, perSecond } from '../../plan/workload/resolve.ts';

/** The target setting that is the app's busy timeout, in ms, by the name the target descriptions use. */
export const BUSY_TIMEOUT_SETTING = 'busyTimeoutMs';

/**
 * The side writers bind these for each write, by the names the workload gives them: a unique id per write,
 * its number in the stream's schedule (from 0, as a request template's {n}), the time.
 */
const WRITER_PARAMETERS = { id: 'executionId', n: 'n', nowMs: 'nowMs' } as const;

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
  return { name, streams: httpStreams(workload).map(describe), settings: { artifacts: 0, compositeEvery: 0, children: 0, imports: 0, catalogEntries: 0, readLimit: 0 } };
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
  /** Statements with the writers' parameter names; none for a plain lock holder; null: the built-in target's executions and steps (`procedure: workflow-executions`). */
  sqlWrite: string[] | null;
  /** How long each transaction stays open after its statements, in ms. */
  holdMs: number;
  busyTimeoutMs: number | null;
  transaction: SqlAction['transaction'];
  /** The first write is due this long after the side writers start (just before the load), in ms. */
  startDelayMs: number;
  /** Writes are due for this long from the first, in ms: the stream's duration; with `endsAfter`, the longest it writes. */
  durationMs: number;
  /** The stream whose end, plus `tailMs` (ms), ends this one's writes; null: its duration ends them. */
  endsAfter: { stream: string; tailMs: number } | null;
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
        sqlWrite:
          stream.action.procedure === 'workflow-executions'
            ? null
            : stream.action.statements.map((s) => s.replace(/(?<![:\w]):(id|n|nowMs)\b/g, (_, p: keyof typeof WRITER_PARAMETERS) => `:${WRITER_PARAMETERS[p]}`)),
        busyTimeoutMs: stream.action.busyTimeoutMs,
        holdMs: Math.round(stream.action.holdMs),
        transaction: stream.action.transaction,
        startDelayMs: Math.round(stream.startTimeMs),
        durationMs: Math.round(e.durationMs),
        endsAfter: stream.endsAfter,
      },
    ];
  });
}

/**
 * Each SQL stream's place on the load's timeline as its side writers run it, for the built-in driver to end
 * a request stream that ends after one of them where the writers end it.
 */
export function sqlStreamTimelines(workload: Workload): SqlStreamTimeline[] {
  return workloadWriters(workload).map(({ stream, startDelayMs, durationMs, endsAfter }) => ({ stream, startDelayMs, durationMs, endsAfter }));
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
        endsAfter: w.endsAfter,
        options: {
          writesPerSecond: w.writesPerSecond,
          threads: w.threads,
          maxInFlight: w.maxInFlight,
          sqlWrite: w.sqlWrite,
          holdMs: w.holdMs,
          transaction: w.transaction,
          startDelayMs: w.startDelayMs,
          durationMs: w.durationMs,
          // Each stream's writes are told apart in the database by their ids.
          executionIdPrefix: executionIdPrefix(w.stream),
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


/**
 * The workload as a trial runs it: a workload that does not declare the app's busy timeout takes the
 * trial's `busyTimeoutMs` setting (in ms), when the target has one, to split its lock errors.
 */
export function withTrialBusyTimeout(loaded: LoadedWorkload, settings: Readonly<Record<string, string | number>>): LoadedWorkload {
  const ms = settings[BUSY_TIMEOUT_SETTING];
  if (loaded.workload.lockErrors !== null || typeof ms !== 'number') return loaded;
  return { ...loaded, workload: { ...loaded.workload, lockErrors: { busyTimeoutMs: ms, fastBelowMs: ms * DEFAULT_FAST_LOCK_ERROR_SHARE } } };
}

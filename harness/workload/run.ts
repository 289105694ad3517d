/**
 * A workload as a run carries it out: the streams the built-in driver runs (requests rendered from the
 * workload's templates), the SQL stream the side writers run, the answers and no-loss counts it hands to
 * the analysis (harness/analyze/workload-result.ts). Generic over the workload's streams: no stream is
 * known here by name.
 */
import { readFile } from 'node:fs/promises';
import Database from 'better-sqlite3';
import type { ScenarioDescription, StreamDescription, StreamExecutor } from '../../scenarios/lib/scenario.ts';
import { GRACEFUL_STOP_MARGIN_MS } from '../../scenarios/lib/scenario.ts';
import type { LoadedWorkload, Workload } from '../model/workload-plan.ts';
import type { NoLossCount, WorkloadSample } from '../model/workload-samples.ts';
import { httpStreams, sqlStreams, type HttpStream } from '../plan/workload/runnable.ts';
import { workloadIterations, type WorkloadIterations } from './iteration.ts';
import { streamEnd } from './scenario.ts';
import { DEFAULT_FAST_LOCK_ERROR_SHARE, perSecond } from './resolve.ts';

/** The target setting that is the app's busy timeout, in ms, by the name the target descriptions use. */
export const BUSY_TIMEOUT_SETTING = 'busyTimeoutMs';

/** The side writers bind these for each write: a unique id per write and the time. */
const WRITER_PARAMETERS = { id: 'executionId', nowMs: 'nowMs' } as const;

function executorOf(stream: HttpStream): StreamExecutor {
  const e = stream.executor;
  if (e.type === 'per-vu-iterations') return { type: e.type, vus: e.vus, iterations: e.iterations, maxDurationMs: e.maxDurationMs };
  if (e.type !== 'constant-arrival-rate') throw new Error(`stream ${stream.name}: ${e.type} is refused when the workload is loaded`);
  return { type: e.type, rate: perSecond(e.rate, e.timeUnitMs), preAllocatedVUs: e.preAllocatedVUs, maxVUs: e.maxVUs, gracefulStopMs: stream.gracefulStopMs + GRACEFUL_STOP_MARGIN_MS };
}

function describe(stream: HttpStream): StreamDescription {
  const end = streamEnd(stream);
  return { name: stream.name, executor: executorOf(stream), request: 'workload', timeoutMs: stream.action.timeoutMs, tags: { stream: stream.name, ...stream.tags }, ...(end ? { end } : {}) };
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

/** What the side writers run for the workload's SQL stream; null when it has none. */
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
}

export function workloadWriters(workload: Workload): WorkloadWriters | null {
  const stream = sqlStreams(workload)[0];
  if (!stream || stream.executor.type !== 'constant-arrival-rate') return null;
  const e = stream.executor;
  return {
    stream: stream.name,
    writesPerSecond: perSecond(e.rate, e.timeUnitMs),
    threads: stream.action.threads,
    maxInFlight: e.maxVUs,
    sqlWrite: stream.action.statements.map((s) => s.replace(/(?<![:\w]):(id|nowMs)\b/g, (_, p: keyof typeof WRITER_PARAMETERS) => `:${WRITER_PARAMETERS[p]}`)),
    busyTimeoutMs: stream.action.busyTimeoutMs,
    holdMs: Math.round(stream.action.holdMs),
  };
}

/** How the side writers run the workload's SQL stream, as the run layer's writer plan, or why they do not. */
export function workloadWriterPlan(
  workload: Workload,
  targetBusyTimeoutMs: number | undefined,
): { run: true; sqlWrite: readonly string[]; busyTimeoutMs?: number; rates: Pick<WorkloadWriters, 'writesPerSecond' | 'threads' | 'maxInFlight' | 'holdMs'> } | { run: false; reason: string; rates?: undefined } {
  const writers = workloadWriters(workload);
  if (writers === null) return { run: false, reason: 'the workload has no SQL stream' };
  const busyTimeoutMs = writers.busyTimeoutMs ?? targetBusyTimeoutMs;
  return {
    run: true,
    sqlWrite: writers.sqlWrite,
    ...(busyTimeoutMs === undefined ? {} : { busyTimeoutMs }),
    rates: { writesPerSecond: writers.writesPerSecond, threads: writers.threads, maxInFlight: writers.maxInFlight, holdMs: writers.holdMs },
  };
}

/** The classified answers the driver wrote (JSON). */
export async function readAnswers(path: string): Promise<WorkloadSample[]> {
  return JSON.parse(await readFile(path, 'utf8')) as WorkloadSample[];
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

/**
 * The workload as a trial runs it: a workload that does not declare the app's busy timeout takes the
 * trial's `busyTimeoutMs` setting (in ms), when the target has one, to split its lock errors.
 */
export function withTrialBusyTimeout(loaded: LoadedWorkload, settings: Readonly<Record<string, string | number>>): LoadedWorkload {
  const ms = settings[BUSY_TIMEOUT_SETTING];
  if (loaded.workload.lockErrors !== null || typeof ms !== 'number') return loaded;
  return { ...loaded, workload: { ...loaded.workload, lockErrors: { busyTimeoutMs: ms, fastBelowMs: ms * DEFAULT_FAST_LOCK_ERROR_SHARE } } };
}


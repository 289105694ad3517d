/**
 * A workload as today's scenario description (scenarios/lib/scenario.ts) and workflow-writer plan, so
 * the run layer can take a workload before its drivers render requests from templates themselves.
 * Today's description knows only the built-in target's request kinds, so only a workload whose request
 * streams address those routes converts; anything else is refused with a code per stream, not guessed.
 */
import { DEFAULT_CATALOG_ENTRIES, DEFAULT_CHILDREN, DEFAULT_COMPOSITE_EVERY, DEFAULT_READ_LIMIT } from '../../../scenarios/lib/defaults.ts';
import type { RequestKind, ScenarioDescription, ScenarioSettings, StreamDescription, StreamExecutor } from '../../../scenarios/lib/scenario.ts';
import { renderRequest } from './render.ts';
import type { HttpAction, SqlAction, Workload, WorkloadStream } from '../../model/workload-plan.ts';
import { perSecond } from './resolve.ts';
import { placeholdersIn } from './template.ts';

/** The built-in target's routes, as a request template addresses them. */
const BUILTIN_ROUTES: readonly { kind: Exclude<RequestKind, 'smoke' | 'rollingImport'>; method: string; path: RegExp }[] = [
  { kind: 'import', method: 'POST', path: /^\/api\/marketplace\/sources\/[^/?]+\/import$/ },
  { kind: 'catalogUpdate', method: 'PATCH', path: /^\/api\/marketplace\/catalog\/[^/?]+$/ },
  { kind: 'artifactRead', method: 'GET', path: /^\/api\/artifacts\?/ },
];

/** Why a stream does not convert. */
export type ConversionCode =
  | 'route-not-builtin'
  | 'executor-not-supported'
  | 'start-time-not-supported'
  | 'settings-not-derivable'
  | 'several-sql-streams';

export interface ConversionRefusal {
  stream: string;
  code: ConversionCode;
}

/** What today's workflow writers take from a workload's SQL stream (harness/plan/workflow-writers.ts). */
export interface WritersPlan {
  stream: string;
  writesPerSecond: number;
  threads: number;
  maxInFlight: number;
  /** Statements of each write; null: the built-in target's executions and steps (`procedure: workflow-executions`). */
  sqlWrite: readonly string[] | null;
  /** Null: the target's own busy timeout. */
  busyTimeoutMs: number | null;
}

export type Conversion = { ok: true; description: ScenarioDescription; writers: WritersPlan | null } | { ok: false; refusals: ConversionRefusal[] };

type HttpStream = WorkloadStream & { action: HttpAction };

/** A stream's executor as the engine runs it: rates per second, iterations running at the end given `gracefulStopMs`. */
export function engineExecutor(stream: WorkloadStream, gracefulStopMs: number): StreamExecutor {
  const e = stream.executor;
  switch (e.type) {
    case 'per-vu-iterations':
      return { type: e.type, vus: e.vus, iterations: e.iterations, maxDurationMs: e.maxDurationMs };
    case 'constant-vus':
      return { type: e.type, vus: e.vus, durationMs: e.durationMs };
    case 'constant-arrival-rate':
      return { type: e.type, rate: perSecond(e.rate, e.timeUnitMs), preAllocatedVUs: e.preAllocatedVUs, maxVUs: e.maxVUs, gracefulStopMs };
    case 'ramping-arrival-rate':
      return {
        type: e.type,
        startRate: perSecond(e.startRate, e.timeUnitMs),
        stages: e.stages.map((s) => ({ target: perSecond(s.target, e.timeUnitMs), durationMs: s.durationMs })),
        preAllocatedVUs: e.preAllocatedVUs,
        maxVUs: e.maxVUs,
        gracefulStopMs,
      };
  }
}

/** How long a stream runs at most from its start, in ms; null for per-vu-iterations (its maxDuration bounds it). */
function durationOf(stream: WorkloadStream): number | null {
  const e = stream.executor;
  if (e.type === 'ramping-arrival-rate') return e.stages.reduce((sum, s) => sum + s.durationMs, 0);
  return e.type === 'per-vu-iterations' ? null : e.durationMs;
}

/** When a stream stops: after its duration, or after another stream plus a tail (its duration the longest); none for per-vu-iterations. */
export function streamEnd(stream: WorkloadStream): StreamDescription['end'] {
  const durationMs = durationOf(stream);
  if (durationMs === null) return undefined;
  return stream.endsAfter
    ? { type: 'after-stream', stream: stream.endsAfter.stream, tailMs: stream.endsAfter.tailMs, maxDurationMs: durationMs }
    : { type: 'duration', durationMs };
}

function describeStream(stream: HttpStream, kind: RequestKind, executor: StreamExecutor): StreamDescription {
  const end = streamEnd(stream);
  return {
    name: stream.name,
    executor,
    request: kind,
    timeoutMs: stream.action.timeoutMs,
    tags: { stream: stream.name, ...stream.tags },
    ...(end ? { end } : {}),
    ...(stream.startTimeMs > 0 ? { startTimeMs: stream.startTimeMs } : {}),
  };
}

/** The payload settings today's request builders need, read from what the streams send. */
function settingsOf(workload: Workload, byKind: Map<RequestKind, HttpStream>): ScenarioSettings | null {
  const imports = byKind.get('import');
  const catalog = byKind.get('catalogUpdate');
  const reads = byKind.get('artifactRead');
  let artifacts = 0;
  let compositeEvery = DEFAULT_COMPOSITE_EVERY;
  let children = DEFAULT_CHILDREN;
  let importCount = 0;
  if (imports) {
    const body = renderRequest(imports.action, workload.seed, imports.name, 0).body as { entries?: { children?: unknown[] }[] } | null;
    const entries = body?.entries;
    if (!Array.isArray(entries)) return null;
    artifacts = entries.length;
    const composite = entries.findIndex((e) => Array.isArray(e.children));
    compositeEvery = composite < 0 ? 0 : composite + 1;
    children = composite < 0 ? 0 : entries[composite]!.children!.length;
    const e = imports.executor;
    importCount = e.type === 'per-vu-iterations' ? e.vus * e.iterations : 0;
  }
  let catalogEntries = DEFAULT_CATALOG_ENTRIES;
  if (catalog) {
    const entry = placeholdersIn(catalog.action.path)[0];
    const cycle = entry ? catalog.action.values[entry.name]?.sequence?.cycle : undefined;
    if (cycle === undefined) return null;
    catalogEntries = cycle;
  }
  let readLimit = DEFAULT_READ_LIMIT;
  if (reads) {
    const path = renderRequest(reads.action, workload.seed, reads.name, 0).path;
    const limit = Number(new URLSearchParams(path.slice(path.indexOf('?') + 1)).get('limit'));
    if (!Number.isInteger(limit) || limit < 1) return null;
    readLimit = limit;
  }
  return { artifacts, compositeEvery, children, imports: importCount, catalogEntries, readLimit };
}

function writersOf(stream: WorkloadStream & { action: SqlAction }): WritersPlan | null {
  const e = stream.executor;
  if (e.type !== 'constant-arrival-rate') return null;
  return {
    stream: stream.name,
    writesPerSecond: perSecond(e.rate, e.timeUnitMs),
    threads: stream.action.threads,
    maxInFlight: e.maxVUs,
    sqlWrite: stream.action.procedure === 'workflow-executions' ? null : stream.action.statements,
    busyTimeoutMs: stream.action.busyTimeoutMs,
  };
}

/** The workload as today's scenario description named `name`, and its writers; or every reason it cannot be. */
export function toScenarioDescription(workload: Workload, name: ScenarioDescription['name']): Conversion {
  const refusals: ConversionRefusal[] = [];
  const streams: StreamDescription[] = [];
  const byKind = new Map<RequestKind, HttpStream>();
  const described: { stream: HttpStream; kind: RequestKind; executor: StreamExecutor }[] = [];
  const sqlStreams = workload.streams.filter((s): s is WorkloadStream & { action: SqlAction } => s.action.kind === 'sql');
  for (const stream of workload.streams) {
    // The built-in workflow writers run for the whole load.
    if (stream.action.kind === 'sql') {
      if (stream.startTimeMs !== 0) refusals.push({ stream: stream.name, code: 'start-time-not-supported' });
      continue;
    }
    const http = stream as HttpStream;
    const route = BUILTIN_ROUTES.find((r) => r.method === http.action.method && r.path.test(http.action.path));
    const executor = engineExecutor(stream, stream.gracefulStopMs);
    if (!route) refusals.push({ stream: stream.name, code: 'route-not-builtin' });
    else {
      byKind.set(route.kind, http);
      described.push({ stream: http, kind: route.kind, executor });
    }
  }
  if (sqlStreams.length > 1) refusals.push({ stream: sqlStreams[1]!.name, code: 'several-sql-streams' });
  const writers = sqlStreams[0] ? writersOf(sqlStreams[0]) : null;
  if (sqlStreams[0] && writers === null) refusals.push({ stream: sqlStreams[0].name, code: 'executor-not-supported' });
  const settings = refusals.length === 0 ? settingsOf(workload, byKind) : null;
  if (refusals.length === 0 && settings === null) refusals.push({ stream: workload.name, code: 'settings-not-derivable' });
  if (refusals.length > 0 || settings === null) return { ok: false, refusals };
  for (const d of described) streams.push(describeStream(d.stream, d.kind, d.executor));
  return { ok: true, description: { name, streams, settings }, writers };
}

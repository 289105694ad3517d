/**
 * A scenario as data: the streams of requests it sends, each with an executor of k6's semantics, the
 * request it sends, a timeout, tags, and when it ends. The k6 scripts turn a description into
 * `options.scenarios`; lockbench's built-in driver runs the same description. No k6 imports here.
 */
import { DEFAULT_CATALOG_ENTRIES, DEFAULT_CHILDREN, DEFAULT_COMPOSITE_EVERY, DEFAULT_READ_LIMIT, PREALLOCATED_VU_SECONDS } from './defaults.ts';
import { durationMs } from './env.ts';

/** k6's `per-vu-iterations`: `vus` virtual users each run `iterations` iterations back to back (closed model). */
export interface PerVuIterationsExecutor {
  type: 'per-vu-iterations';
  vus: number;
  iterations: number;
  /** The stream is stopped after this long, in ms. */
  maxDurationMs: number;
}

/**
 * k6's `constant-arrival-rate` (open model): `rate` iterations per second, arrival i scheduled at
 * `t0 + i / rate` whatever the latency; an arrival that finds all `maxVUs` busy is a dropped iteration.
 */
export interface ConstantArrivalRateExecutor {
  type: 'constant-arrival-rate';
  /** Iterations per second. */
  rate: number;
  preAllocatedVUs: number;
  maxVUs: number;
  /** How long iterations still running when the stream ends may go on, in ms. */
  gracefulStopMs: number;
}

/**
 * k6's `ramping-arrival-rate` (open model): the rate goes from `startRate` through each stage's
 * `target`, linearly over the stage's duration; arrival j (from 1) is scheduled when the expected
 * number of arrivals since the stream's start reaches j. VUs as for constant-arrival-rate.
 */
export interface RampingArrivalRateExecutor {
  type: 'ramping-arrival-rate';
  /** Iterations per second at the stream's start. */
  startRate: number;
  /** Each stage's rate reached at its end (iterations per second), and how long it takes, in ms. */
  stages: { target: number; durationMs: number }[];
  preAllocatedVUs: number;
  maxVUs: number;
  /** How long iterations still running when the stream ends may go on, in ms. */
  gracefulStopMs: number;
}

/** k6's `constant-vus` (closed model): `vus` virtual users each run iterations back to back for `durationMs`. */
export interface ConstantVusExecutor {
  type: 'constant-vus';
  vus: number;
  durationMs: number;
}

export type StreamExecutor = PerVuIterationsExecutor | ConstantArrivalRateExecutor | RampingArrivalRateExecutor | ConstantVusExecutor;

/** The most iterations of a stream running at once: its VUs (closed model) or its maxVUs (open model). */
export function maxConcurrency(executor: StreamExecutor): number {
  return executor.type === 'per-vu-iterations' || executor.type === 'constant-vus' ? executor.vus : executor.maxVUs;
}

/** The most iterations a stream starts per second: its rate at its peak; none for a closed-model stream. */
export function peakRatePerSecond(executor: StreamExecutor): number {
  if (executor.type === 'constant-arrival-rate') return executor.rate;
  if (executor.type === 'ramping-arrival-rate') return Math.max(executor.startRate, ...executor.stages.map((s) => s.target));
  return 0;
}

/** How long a ramping stream's stages take in all, in ms. */
export function stagesDurationMs(executor: RampingArrivalRateExecutor): number {
  return executor.stages.reduce((sum, s) => sum + s.durationMs, 0);
}

/**
 * When a rate stream stops starting iterations: after a fixed duration, or once another stream has
 * finished plus a tail (capped by `maxDurationMs`, the duration a k6 run is given).
 */
export type StreamEnd =
  | { type: 'duration'; durationMs: number }
  | { type: 'after-stream'; stream: string; tailMs: number; maxDurationMs: number };

/**
 * What one iteration of a stream does; see ./requests.ts. A `workload` stream's requests are rendered
 * from a workload file's templates by the driver (harness/run/workload/iteration.ts), not built here.
 */
export type RequestKind = 'import' | 'rollingImport' | 'catalogUpdate' | 'artifactRead' | 'smoke' | 'workload';

export interface StreamDescription {
  /** The stream's name: k6's scenario name and the `stream` column of the samples file. */
  name: string;
  executor: StreamExecutor;
  request: RequestKind;
  /** Timeout of each request, in ms. */
  timeoutMs: number;
  tags: Record<string, string>;
  /** Rate streams only: when they stop. */
  end?: StreamEnd;
  /** When the stream starts after the run starts, in ms (k6's `startTime`); absent: with the run. */
  startTimeMs?: number;
}

/** Settings the request builders need, beyond the streams. */
export interface ScenarioSettings {
  artifacts: number;
  compositeEvery: number;
  children: number;
  imports: number;
  catalogEntries: number;
  readLimit: number;
}

export interface ScenarioDescription {
  name: 'concurrent' | 'smoke' | 'soak' | 'bench';
  streams: StreamDescription[];
  settings: ScenarioSettings;
}

/** The stream whose end the rate streams of the concurrent scenario follow. */
export const IMPORT_STREAM = 'imports';

/** Extra time beyond the request timeout that iterations may take once a stream ends, in ms. */
export const GRACEFUL_STOP_MARGIN_MS = 5_000;

/** The most requests of a rate stream in flight at once: what arrives within one timeout (at least 1). */
export function inFlightBound(rate: number, timeoutMs: number): number {
  return Math.max(1, Math.ceil((rate * timeoutMs) / 1000));
}

function rateStream(name: string, request: RequestKind, rate: number, maxVUs: number, timeoutMs: number, end: StreamEnd): StreamDescription {
  return {
    name,
    executor: {
      type: 'constant-arrival-rate',
      rate,
      preAllocatedVUs: Math.min(maxVUs, Math.ceil(rate * PREALLOCATED_VU_SECONDS)),
      maxVUs,
      gracefulStopMs: timeoutMs + GRACEFUL_STOP_MARGIN_MS,
    },
    request,
    timeoutMs,
    tags: { stream: name },
    end,
  };
}

/** The resolved settings of one concurrent run (./config.ts reads them from the environment). */
export interface ConcurrentConfig {
  baseUrl: string;
  imports: number;
  artifacts: number;
  compositeEvery: number;
  children: number;
  catalogRate: number;
  catalogEntries: number;
  readRate: number;
  readLimit: number;
  /** After the imports have answered, the rate streams go on this long (a k6 duration). */
  tail: string;
  /** The rate streams stop after this long whatever the imports do (a k6 duration). */
  maxDuration: string;
  importTimeout: string;
  requestTimeout: string;
  /**
   * Most requests of a rate stream in flight at once (env CATALOG_MAX_VUS, READ_MAX_VUS). An arrival
   * that finds no free VU is never sent (a dropped iteration), which would hide the slowest answers;
   * the default, rate x request timeout, holds every request that can still be in flight.
   */
  catalogMaxVus: number;
  readMaxVus: number;
  /** Where handleSummary writes the JSON summary (env SUMMARY_PATH); empty = stdout text only. */
  summaryPath: string;
}

/**
 * The investigation's load: IMPORTS concurrent imports of ARTIFACTS entries (one VU each), while
 * catalog updates and artifact reads arrive at constant rates until the imports have answered, plus
 * a tail, so that what the imports block is measured until they end.
 */
export function concurrentScenario(config: ConcurrentConfig): ScenarioDescription {
  const importTimeoutMs = durationMs(config.importTimeout);
  const end: StreamEnd = {
    type: 'after-stream',
    stream: IMPORT_STREAM,
    tailMs: durationMs(config.tail),
    maxDurationMs: durationMs(config.maxDuration),
  };
  return {
    name: 'concurrent',
    streams: [
      {
        name: IMPORT_STREAM,
        executor: { type: 'per-vu-iterations', vus: config.imports, iterations: 1, maxDurationMs: importTimeoutMs + GRACEFUL_STOP_MARGIN_MS },
        request: 'import',
        timeoutMs: importTimeoutMs,
        tags: { stream: IMPORT_STREAM },
      },
      rateStream('catalog', 'catalogUpdate', config.catalogRate, config.catalogMaxVus, durationMs(config.requestTimeout), end),
      ...(config.readRate > 0 ? [rateStream('reads', 'artifactRead', config.readRate, config.readMaxVus, durationMs(config.requestTimeout), end)] : []),
    ],
    settings: {
      artifacts: config.artifacts,
      compositeEvery: config.compositeEvery,
      children: config.children,
      imports: config.imports,
      catalogEntries: config.catalogEntries,
      readLimit: config.readLimit,
    },
  };
}

/** Timeout of each smoke request, in ms: the target is idle, so this is generous. */
export const SMOKE_TIMEOUT_MS = 30_000;

/** One tiny import read back and one catalog update, checking status codes and answer shapes. */
export function smokeScenario(settings: Pick<ScenarioSettings, 'artifacts'>): ScenarioDescription {
  return {
    name: 'smoke',
    streams: [
      {
        name: 'smoke',
        executor: { type: 'per-vu-iterations', vus: 1, iterations: 1, maxDurationMs: 3 * SMOKE_TIMEOUT_MS + GRACEFUL_STOP_MARGIN_MS },
        request: 'smoke',
        timeoutMs: SMOKE_TIMEOUT_MS,
        tags: { stream: 'smoke' },
      },
    ],
    settings: { artifacts: settings.artifacts, compositeEvery: 3, children: 2, imports: 1, catalogEntries: 1, readLimit: 1 },
  };
}

/** What the driver benchmark (`npm run bench:driver`) asks of one run: a rate, for a duration. */
export interface BenchSettings {
  /** Catalog updates per second. */
  rate: number;
  /** How long arrivals go on, in ms. */
  durationMs: number;
  /** Most updates in flight at once; an arrival beyond it is a dropped iteration. */
  maxVUs: number;
  /**
   * Back to back instead of at a rate: one VU sends each update as soon as the answer before it was
   * read, for the duration (per-vu-iterations, closed model); `rate` and `maxVUs` are then unused.
   */
  backToBack?: boolean;
}

/** Iterations of the back-to-back stream: more than any route answers within a run; the duration ends it. */
const BACK_TO_BACK_ITERATIONS = 10_000_000;

/** The benchmark's stream: its name in the samples file. */
export const BENCH_STREAM = 'catalog';
/** Timeout of each benchmark request, in ms: far above any answer of a 127.0.0.1 route. */
export const BENCH_TIMEOUT_MS = 10_000;

/**
 * The driver benchmark's one stream: catalog updates at a constant arrival rate for a duration (or back
 * to back), the same `catalogUpdate` requests the concurrent scenario sends, cycling through catalog
 * entries 1..400.
 */
export function benchScenario(bench: BenchSettings): ScenarioDescription {
  const common = { name: BENCH_STREAM, request: 'catalogUpdate', timeoutMs: BENCH_TIMEOUT_MS, tags: { stream: BENCH_STREAM } } as const;
  return {
    name: 'bench',
    streams: [
      bench.backToBack
        ? { ...common, executor: { type: 'per-vu-iterations', vus: 1, iterations: BACK_TO_BACK_ITERATIONS, maxDurationMs: bench.durationMs } }
        : {
            ...common,
            executor: {
              type: 'constant-arrival-rate',
              rate: bench.rate,
              preAllocatedVUs: bench.maxVUs,
              maxVUs: bench.maxVUs,
              gracefulStopMs: BENCH_TIMEOUT_MS + GRACEFUL_STOP_MARGIN_MS,
            },
            end: { type: 'duration', durationMs: bench.durationMs },
          },
    ],
    settings: { artifacts: 0, compositeEvery: 0, children: 0, imports: 0, catalogEntries: DEFAULT_CATALOG_ENTRIES, readLimit: 1 },
  };
}

/** The description's stream of that name. */
export function streamNamed(description: ScenarioDescription, name: string): StreamDescription | undefined {
  return description.streams.find((s) => s.name === name);
}

/** Settings of the soak: sustained rates for a duration. */
export interface SoakConfig {
  /** How long every stream runs, a k6 duration. */
  duration: string;
  /** Imports started per second (each of `artifacts` new rows, into sources src-1..src-`sources` in turn). */
  importRate: number;
  artifacts: number;
  sources: number;
  catalogRate: number;
  readRate: number;
  catalogEntries: number;
  importTimeout: string;
  requestTimeout: string;
}

/**
 * Sustained load: imports, catalog updates and reads at constant rates for `duration`, each import
 * writing new rows, so memory, the WAL and the error counts can be watched over time.
 */
export function soakScenario(config: SoakConfig): ScenarioDescription {
  const end: StreamEnd = { type: 'duration', durationMs: durationMs(config.duration) };
  const importTimeoutMs = durationMs(config.importTimeout);
  const requestTimeoutMs = durationMs(config.requestTimeout);
  const rate = (name: string, request: RequestKind, perSecond: number, timeoutMs: number): StreamDescription =>
    rateStream(name, request, perSecond, inFlightBound(perSecond, timeoutMs), timeoutMs, end);
  return {
    name: 'soak',
    streams: [
      rate(IMPORT_STREAM, 'rollingImport', config.importRate, importTimeoutMs),
      rate('catalog', 'catalogUpdate', config.catalogRate, requestTimeoutMs),
      ...(config.readRate > 0 ? [rate('reads', 'artifactRead', config.readRate, requestTimeoutMs)] : []),
    ],
    settings: { artifacts: config.artifacts, compositeEvery: DEFAULT_COMPOSITE_EVERY, children: DEFAULT_CHILDREN, imports: config.sources, catalogEntries: config.catalogEntries, readLimit: DEFAULT_READ_LIMIT },
  };
}

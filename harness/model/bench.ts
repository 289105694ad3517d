/**
 * The driver benchmark's data (`npm run bench:driver`): what its runs measured (harness/run/bench/bench.ts),
 * the figures and verdicts drawn from that (harness/analyze/bench-figures.ts), which its report words
 * (harness/reports/bench-driver.ts) and bench.json holds.
 */
import type { RequestSample } from './results.ts';
import type { LatencySummary } from '../shared/latency-histogram.ts';

/** The load generators compared. */
export type BenchDriver = 'builtin' | 'autocannon' | 'k6';

/** How a run's load was measured, whichever tool sent it. */
interface LoadRecordBase {
  /** How it loaded the route: `open model, maxVUs 400`; `closed model, 1 connection, --overallRate 500`. */
  mode: string;
  /** CPU time the load generator spent, in ms (what it covers: `cpuScope`); null where not measured. */
  cpuMs: number | null;
  /** What `cpuMs` counts. */
  cpuScope: string;
  /** How long the load went on, in ms, for CPU as a share of a core. */
  loadMs: number;
}

/** A lockbench driver's run (built-in or k6): its per-request samples. */
export interface SampledLoad extends LoadRecordBase {
  kind: 'samples';
  samples: RequestSample[];
  /** Arrivals not sent because every VU was busy; null where the driver wrote no summary. */
  dropped: number | null;
}

/** autocannon's run: its answers counted and each response's latency, in ms. */
export interface AnsweredLoad extends LoadRecordBase {
  kind: 'answers';
  ok: number;
  failed: number;
  latenciesMs: number[];
}

/** One load generator's run against one route, as measured; `routeCpuMs` is what the route's process spent meanwhile (null where not measured). */
export type DriverRecord =
  | { driver: BenchDriver; status: 'measured'; routeCpuMs: number | null; load: SampledLoad | AnsweredLoad }
  | { driver: BenchDriver; status: 'not-run'; reason: string };

/** The figures of one run. */
export interface LoadFigures extends LoadRecordBase {
  /** Requests answered 2xx. */
  ok: number;
  /** Requests answered otherwise, or with a client error (timeout, refused, reset). */
  failed: number;
  /** Arrivals not sent because every VU was busy; null where the driver has no schedule. */
  dropped: number | null;
  /** Requests per second actually sent; null when fewer than two were. */
  achievedRate: number | null;
  /** Send time minus scheduled time, in ms; null where the driver does not report a schedule. */
  lag: LatencySummary | null;
  /** Service time, first byte sent to last byte read, in ms. */
  latency: LatencySummary;
  /** Requests in flight on average (Little's law: the sum of service times over the send span). */
  meanInFlight: number | null;
}

/**
 * One load generator's run against one route at one rate; `routeCpuMs` is what the route's own process
 * spent meanwhile (null where not measured).
 */
export type DriverMeasurement =
  | ({ driver: BenchDriver; status: 'measured'; routeCpuMs: number | null } & LoadFigures)
  | { driver: BenchDriver; status: 'not-run'; reason: string };

/** One target judged on one route at one rate. */
export interface Verdict {
  target: 'achieved-rate' | 'scheduling-lag' | 'p50-vs-autocannon';
  /** The figure judged: the rate's miss or the p50's difference as a share, or the lag p99 in ms; null when not measured. */
  measured: number | null;
  limit: number;
  /** A figure that was not measured fails: a target not shown met is not met. */
  pass: boolean;
  /** The same figure for autocannon where it has one (its achieved rate's miss), to tell a driver's limit from the route's. */
  reference?: number | null;
}

/** One route at one rate, as run. */
export interface BenchCaseRecord {
  /** The route's name, as `--routes` takes it. */
  route: string;
  /** Requests per second asked; null: back to back on one connection (closed model). */
  rate: number | null;
  durationMs: number;
  drivers: DriverRecord[];
}

/** One route at one rate, with its figures and verdicts. */
export interface BenchCase extends Omit<BenchCaseRecord, 'drivers'> {
  drivers: DriverMeasurement[];
  verdicts: Verdict[];
}

/** What the benchmark ran and measured, with the machine it ran on. */
export interface BenchRecord {
  startedAt: string;
  machine: { cpus: number; cpuModel: string; node: string; loadAverageBefore: number[]; loadAverageAfter: number[] };
  /** The built-in driver's undici version, and k6's version or why it did not run. */
  versions: { undici: string; autocannon: string; k6: string };
  routes: Record<string, string>;
  durationMs: number;
  /**
   * CPU of a built-in driver run that sends one request, in ms: its warm-up, writing its files,
   * stopping its thread (started ahead of the run, outside the figure); part of every builtin figure in
   * the CPU column. Null when no route ran.
   */
  builtinFixedCpuMs: number | null;
  cases: BenchCaseRecord[];
}

/** The benchmark's result, bench.json. */
export interface BenchResult extends Omit<BenchRecord, 'cases'> {
  cases: BenchCase[];
}

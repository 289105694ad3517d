/**
 * The driver accuracy benchmark (`npm run bench:driver`): for each route and each rate, the built-in
 * driver runs a one-stream constant-arrival-rate description, then autocannon loads the same route at
 * the concurrency the built-in driver needed, then k6 where the user has it; then all three once more
 * back to back on one connection, where their latencies are comparable. What each run measured (its
 * samples, autocannon's latencies, CPU) comes back as data: figures and verdicts are
 * harness/analyze/bench-figures.ts, their words harness/reports/bench-driver.ts.
 */
import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { iterationFor } from '../../../scenarios/lib/requests.ts';
import { BENCH_TIMEOUT_MS, benchScenario, type BenchSettings } from '../../../scenarios/lib/scenario.ts';
import { createBuiltinDriver } from '../drivers/builtin/driver.ts';
import { createK6Driver } from '../drivers/k6/driver.ts';
import { K6_ENV_VARIABLE } from '../drivers/k6/find.ts';
import { readSamples } from '../drivers/samples.ts';
import type { RequestSample } from '../../model/results.ts';
import { DriverUnavailableError, type LoadDriver } from '../drivers/types.ts';
import type { DriverRun } from '../../model/driver-run.ts';
import type { RunningTarget } from '../target-process/target-process.ts';
import { runAutocannon } from './autocannon.ts';
import { ownCpuMs, processCpuMs, reapedChildrenCpuMs } from './cpu.ts';
import type { AnsweredLoad, BenchCaseRecord, BenchDriver, BenchRecord, DriverRecord, SampledLoad } from '../../model/bench.ts';
import { ROUTES, type RouteName } from './routes.ts';

/** Default rates, requests per second. */
export const DEFAULT_RATES: readonly number[] = [50, 500, 2_000];
/** Default duration of each run, in ms. */
export const DEFAULT_DURATION_MS = 10_000;
/** The least maxVUs a run is given. */
const MIN_MAX_VUS = 100;
/** maxVUs is this many seconds' worth of arrivals (at least MIN_MAX_VUS): far more than a 127.0.0.1 route keeps in flight. */
const MAX_VU_SECONDS = 0.25;
/** How long each route is loaded, unmeasured, before its first run, in ms. */
const ROUTE_WARM_UP_MS = 3_000;
/** What k6's column says where k6 is not installed. */
const K6_ABSENT = 'k6: not installed (lockbench never installs it)';

export interface BenchOptions {
  routes: readonly RouteName[];
  rates: readonly number[];
  durationMs: number;
  /** --k6 <path>; null: $LOCKBENCH_K6, else PATH. */
  k6Path: string | null;
  /** The report folder: the runs' samples files, driver summaries and the target's database go here. */
  dir: string;
  log(line: string): void;
  signal: AbortSignal;
  /**
   * Requests in flight on average over a run's samples (harness/analyze/bench-figures.ts), null when unknown:
   * autocannon is given as many connections as the built-in driver kept busy.
   */
  meanInFlight(samples: readonly RequestSample[]): number | null;
}

/** What the CPU column counts for the built-in driver. */
export const BUILTIN_CPU_SCOPE =
  "this process over the driver's run() call, all threads (process.cpuUsage): the driver's worker thread (its warm-up against a responder of its own, the load, writing the samples file and summary; the thread is started ahead of the run) and the idle main thread";
const K6_CPU_SCOPE = "k6's process, start to exit, from /proc cutime+cstime";

function maxVUsFor(rate: number): number {
  return Math.max(MIN_MAX_VUS, Math.ceil(rate * MAX_VU_SECONDS));
}

/** Runs `load`, with the route's CPU meanwhile; a failure is recorded, not thrown. */
async function measure(driver: BenchDriver, route: RunningTarget, run: () => Promise<SampledLoad | AnsweredLoad>): Promise<DriverRecord> {
  const routeBefore = processCpuMs(route.pid);
  try {
    const load = await run();
    const routeAfter = processCpuMs(route.pid);
    return { driver, status: 'measured', routeCpuMs: routeBefore === null || routeAfter === null ? null : routeAfter - routeBefore, load };
  } catch (err) {
    return { driver, status: 'not-run', reason: `failed: ${(err as Error).message}` };
  }
}

/** One run of a lockbench load driver (built-in or k6) over the bench description; a driver failure throws. */
async function runLoad(driver: LoadDriver, settings: BenchSettings, baseUrl: string, files: string, signal: AbortSignal): Promise<DriverRun> {
  const run = await driver.run({
    description: benchScenario(settings),
    env: {
      BASE_URL: baseUrl,
      BENCH_RATE: String(settings.rate),
      BENCH_DURATION: `${settings.durationMs}ms`,
      BENCH_MAX_VUS: String(settings.maxVUs),
      ...(settings.backToBack ? { BENCH_BACK_TO_BACK: '1' } : {}),
    },
    baseUrl,
    samplesPath: `${files}.csv`,
    summaryPath: `${files}.json`,
    logPath: `${files}.log`,
    signal,
  });
  if (run.failure !== undefined) throw new Error(run.failure);
  return run;
}

/** {@link runLoad} with the driver's CPU over it, and the samples it wrote. */
async function runDriver(
  driver: LoadDriver,
  settings: BenchSettings,
  baseUrl: string,
  files: string,
  signal: AbortSignal,
  cpu: { scope: string; read(): number | null },
): Promise<SampledLoad> {
  const cpuBefore = cpu.read();
  const run = await runLoad(driver, settings, baseUrl, files, signal);
  const cpuAfter = cpu.read();
  if (run.files.samples === null) throw new Error('the driver wrote no samples file');
  const samples = await readSamples(run.files.samples);
  const dropped = run.summary ? Object.values(run.summary.latency).reduce((sum, l) => sum + l.droppedIterations, 0) : null;
  return {
    kind: 'samples',
    mode: settings.backToBack ? 'closed model, per-vu-iterations, 1 VU back to back' : `open model, constant-arrival-rate, maxVUs ${settings.maxVUs}`,
    samples,
    dropped,
    cpuMs: cpuBefore === null || cpuAfter === null ? null : cpuAfter - cpuBefore,
    cpuScope: cpu.scope,
    loadMs: settings.durationMs,
  };
}

function packageVersion(name: string): string {
  return (createRequire(import.meta.url)(`${name}/package.json`) as { version: string }).version;
}

/** Runs every route at every rate with every driver; what each run measured, as it measured it. */
export async function runBench(options: BenchOptions): Promise<BenchRecord> {
  const { log, signal } = options;
  const loadAverageBefore = loadavg();
  const builtin = createBuiltinDriver();
  const undici = (await builtin.prepare()).version ?? 'unknown';
  const k6 = createK6Driver({ k6Path: options.k6Path });
  let k6Version: string;
  let k6Missing: string | null = null;
  try {
    k6Version = (await k6.prepare()).version ?? 'unknown';
  } catch (err) {
    if (!(err instanceof DriverUnavailableError)) throw err;
    // Nothing on PATH is the usual case; a k6 the user named but that does not run is worth its reason.
    const named = options.k6Path !== null || process.env[K6_ENV_VARIABLE]?.trim();
    k6Missing = named ? `k6: ${err.message.split('\n')[0]}` : K6_ABSENT;
    k6Version = k6Missing;
  }
  const cases: BenchCaseRecord[] = [];
  let builtinFixedCpuMs: number | null = null;
  for (const routeName of options.routes) {
    const definition = ROUTES.get(routeName)!;
    const routeDir = join(options.dir, routeName);
    await mkdir(routeDir, { recursive: true });
    const route = await definition.start(routeDir);
    log(`${routeName}: pid ${route.pid} at ${route.url}`);
    try {
      // The route's own first requests run cold (its JIT compiles meanwhile, on the cores the driver
      // needs): it is warmed up, unmeasured, before the first run, so that no driver pays for it.
      log(`${routeName}: warm-up, ${ROUTE_WARM_UP_MS / 1000} s back to back, not measured`);
      await runLoad(builtin, { rate: 1, durationMs: ROUTE_WARM_UP_MS, maxVUs: 1, backToBack: true }, route.url, join(routeDir, 'warm-up'), signal);
      if (builtinFixedCpuMs === null) {
        const before = ownCpuMs();
        await runDriver(builtin, { rate: 1, durationMs: 1, maxVUs: 1 }, route.url, join(routeDir, 'builtin-fixed-cost'), signal, { scope: BUILTIN_CPU_SCOPE, read: ownCpuMs });
        builtinFixedCpuMs = ownCpuMs() - before;
      }
      // Each rate, then back to back (null): there both tools send the next request as soon as an
      // answer is read, on one connection, so their latencies are taken under the same conditions.
      for (const rate of [...options.rates, null]) {
        if (signal.aborted) break;
        const settings: BenchSettings =
          rate === null ? { rate: 1, durationMs: options.durationMs, maxVUs: 1, backToBack: true } : { rate, durationMs: options.durationMs, maxVUs: maxVUsFor(rate) };
        const name = rate === null ? 'back-to-back' : String(rate);
        const what = rate === null ? `${routeName} back to back` : `${routeName} at ${rate}/s`;
        const files = (driver: BenchDriver) => join(routeDir, `${driver}-${name}`);
        const drivers: DriverRecord[] = [];
        log(`${what}: builtin driver`);
        drivers.push(await measure('builtin', route, () => runDriver(builtin, settings, route.url, files('builtin'), signal, { scope: BUILTIN_CPU_SCOPE, read: ownCpuMs })));
        const ours = drivers[0]!;
        // autocannon keeps as many connections busy as the built-in driver had requests in flight.
        const inFlight = ours.status === 'measured' && ours.load.kind === 'samples' ? options.meanInFlight(ours.load.samples) : null;
        const connections = rate === null ? 1 : Math.max(1, Math.round(inFlight ?? 1));
        log(`${what}: autocannon, ${connections} connection(s)`);
        const call = iterationFor('catalogUpdate', benchScenario(settings).settings, 0).first;
        drivers.push(
          await measure('autocannon', route, () =>
            runAutocannon({ baseUrl: route.url, call, connections, overallRate: rate, durationMs: options.durationMs, timeoutMs: BENCH_TIMEOUT_MS }),
          ),
        );
        if (k6Missing !== null) drivers.push({ driver: 'k6', status: 'not-run', reason: k6Missing });
        else {
          log(`${what}: k6 ${k6Version}`);
          drivers.push(await measure('k6', route, () => runDriver(k6, settings, route.url, files('k6'), signal, { scope: K6_CPU_SCOPE, read: reapedChildrenCpuMs })));
        }
        cases.push({ route: routeName, rate, durationMs: options.durationMs, drivers });
      }
    } finally {
      await route.stop();
    }
  }
  return {
    startedAt: new Date().toISOString(),
    machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', node: process.version, loadAverageBefore, loadAverageAfter: loadavg() },
    versions: { undici, autocannon: packageVersion('autocannon'), k6: k6Version },
    routes: Object.fromEntries(options.routes.map((r) => [r, ROUTES.get(r)!.summary])),
    durationMs: options.durationMs,
    builtinFixedCpuMs,
    cases,
  };
}

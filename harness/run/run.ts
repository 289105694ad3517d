/**
 * A whole `scenario:concurrent` run: criteria, the load driver, a plan of trials each on a fresh target,
 * reports, verdict. Creating the run (options, dependencies) is separate from the CLI that parses flags
 * and signals.
 */
import { cpus, tmpdir, totalmem } from 'node:os';
import { mkdtemp, rm, rmdir, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { loadCriteria, type Criterion } from '../criteria.ts';
import { bundleEntryPoints } from '../entry-points.ts';
import { createDriver } from '../drivers/registry.ts';
import { DriverUnavailableError, type DriverInfo, type LoadDriver } from '../drivers/types.ts';
import type { HostInfo, ProfileResult, RunFailure, RunResults } from '../results.ts';
import { assembleTrialResult } from './assemble.ts';
import type { StartLockObserver } from './observer.ts';
import { loadRunWorkload, type RunOptions } from './options.ts';
import type { LoadedWorkload } from '../workload/load.ts';
import type { Progress } from './progress.ts';
import { criteriaFor } from './scenarios.ts';
import type { TrialPhases } from './stack.ts';
import type { LoadedTargetDescription } from '../targets/load.ts';
import { runTarget } from './target.ts';
import { targetChecks } from './target-checks.ts';
import { profileTrials, trialSettings, type Trial } from '../plan/trials.ts';
import { runTrial, TrialStartError } from './trial.ts';

/** Exit codes (README "Gating CI"): gated pass, gated criterion failed, bad usage, harness could not run. */
export const EXIT = { pass: 0, gateFailed: 1, badUsage: 2, harnessFailed: 3, interrupted: 130 } as const;

export interface RunDependencies {
  progress: Progress;
  /** Aborted on Ctrl-C / SIGTERM: the driver, writers, observer and target stop; what was measured is still written. */
  signal: AbortSignal;
  /** Starts the external lock observer around each load (unless `options.observer` is false); default the real one. */
  startObserver?: StartLockObserver;
  /** Default: harness/criteria.json. */
  criteriaFile?: string;
  /** The target; default the one `options.target` names (the built-in target when null). */
  target?: LoadedTargetDescription;
  /** The load driver; default the one `options.driver` names. */
  driver?: LoadDriver;
  /** A trial's phases; default the real ones (processes and threads). */
  phases?: TrialPhases;
  /** Writes the report folder; default harness/reports' writer. */
  writeReports: (results: RunResults, dir: string) => Promise<void>;
  /** Creates `<root>/<timestamp>-<scenario>/`; default harness/reports'. */
  createRunFolder: (root: string, scenario: string, startedAt: Date) => Promise<string>;
  /** Points `<root>/latest` at the run's folder. */
  pointLatest: (root: string, dir: string) => Promise<void>;
  /**
   * Adds to the results before they are written and judged (a comparison with a baseline, a sweep's
   * points); default none.
   */
  extend?: (results: RunResults) => Promise<RunResults>;
  /** The run's workload, loaded once; default the one `options.workload` names (none when null). */
  workload?: LoadedWorkload | null;
  /** Told before each trial starts (progress: trial i of N, elapsed, ETA). */
  onTrialStart?: (event: { index: number; total: number; trial: Trial; elapsedMs: number }) => void;
}

export interface RunOutcome {
  results: RunResults;
  runDir: string;
  exitCode: number;
}

/** The run gave no verdict (exit 3): nothing was judged and no report was written; `failure` says why. */
export class RunFailedError extends Error {
  override readonly name = 'RunFailedError';
  constructor(readonly failure: RunFailure) {
    super(failure.code === 'target-did-not-start' ? `the target of trial ${failure.trial} did not start` : failure.message);
  }
}

/** Removes `file` when it is empty: a target that could not be spawned leaves a log with nothing in it. */
async function removeIfEmpty(file: string): Promise<void> {
  const size = await stat(file).then((s) => s.size, () => null);
  if (size === 0) await rm(file, { force: true });
}

/** The criteria and a ready driver, or a {@link RunFailedError}: the run cannot measure without either. */
async function prepareRun(deps: Pick<RunDependencies, 'progress' | 'criteriaFile' | 'phases'>, driver: LoadDriver): Promise<{ criteria: Criterion[]; driverInfo: DriverInfo }> {
  let criteria: Criterion[];
  try {
    criteria = loadCriteria(deps.criteriaFile);
    // The real phases start threads and processes: from bundles, each starts in a fraction of the time.
    if (deps.phases === undefined) await bundleEntryPoints();
  } catch (err) {
    throw new RunFailedError({ code: 'harness-error', message: err instanceof Error ? err.message : String(err) });
  }
  const end = deps.progress.start(`${driver.name} driver: prepare`);
  try {
    const driverInfo = await driver.prepare();
    end();
    return { criteria, driverInfo };
  } catch (err) {
    end('failed');
    if (err instanceof DriverUnavailableError) throw new RunFailedError({ code: 'driver-unavailable', driver: driver.name, message: err.message });
    throw err;
  }
}

/** A path relative to the working directory when it lies below it, else absolute. */
export function displayPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel === '' ? '.' : rel.startsWith('..') ? path : rel;
}

export function hostInfo(): HostInfo {
  const list = cpus();
  return {
    cpus: list.length,
    cpuModel: list[0]?.model.trim() ?? 'unknown',
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    totalMemoryBytes: totalmem(),
  };
}

/** A trial that never started: the run was interrupted before its turn. */
function notRunTrial(trial: Trial, options: RunOptions, target: LoadedTargetDescription, reason: string, criteria: readonly Criterion[]): ProfileResult {
  // Every criterion reads "not run", so the table and junit.xml still say what was not judged.
  return assembleTrialResult(
    {
      id: trial.id,
      gated: trial.gated,
      scenario: options.scenario,
      flags: targetChecks(target).settingsRecord(trialSettings(trial, options, target)),
      targetConfig: null,
      status: 'not-run',
      error: reason,
      notes: [],
      phases: [],
      criteria,
      observerIntervalUs: options.observerIntervalUs,
      holderPids: null,
      targetLog: null,
    },
    null,
    null,
  );
}

export function exitCodeFor(results: RunResults, interrupted: boolean): number {
  if (interrupted) return EXIT.interrupted;
  if (results.profiles.some((p) => p.status === 'errored') || !results.complete) return EXIT.harnessFailed;
  return results.pass ? EXIT.pass : EXIT.gateFailed;
}

/** Runs `trials` (by default each profile once) and writes the reports. */
export async function runScenario(options: RunOptions, deps: RunDependencies, plannedTrials?: readonly Trial[]): Promise<RunOutcome> {
  const { progress, signal } = deps;
  const target = deps.target ?? runTarget(options);
  const trials = plannedTrials ?? profileTrials(options, target);
  const workload = deps.workload !== undefined ? deps.workload : loadRunWorkload(options);
  const started = new Date();
  const startedPerf = performance.now();
  const driver = deps.driver ?? createDriver(options.driver, { k6Path: options.k6Path });
  // What the whole run needs comes first: without it nothing is measured, so there is no verdict and
  // no report folder, and `latest` keeps pointing at the last run that measured something.
  const prepared = await prepareRun(deps, driver);
  const { driverInfo } = prepared;
  // A workload brings its own criteria: the scenario's would judge streams it does not send.
  const criteria = workload ? [] : prepared.criteria;
  const runDir = await deps.createRunFolder(options.reportRoot, options.scenario, started);
  progress.info(`report folder: ${displayPath(runDir)}`);

  const profiles: ProfileResult[] = [];
  let incompleteReason: string | undefined;
  const workDir = await mkdtemp(join(tmpdir(), 'lockbench-run-'));
  try {
    for (const [i, trial] of trials.entries()) {
      const judged = criteriaFor(options.scenario, criteria);
      if (signal.aborted) {
        profiles.push(notRunTrial(trial, options, target, 'interrupted before it ran', judged));
        continue;
      }
      deps.onTrialStart?.({ index: i, total: trials.length, trial, elapsedMs: performance.now() - startedPerf });
      const result = await runTrial(
        { options, target, trial, criteria, driver, runDir, workDir, progress, signal, workload, ...(deps.startObserver ? { startObserver: deps.startObserver } : {}) },
        deps.phases,
      );
      const failing = result.criteria.filter((c) => !c.pass).length + (result.workload?.criteria.filter((c) => !c.pass).length ?? 0);
      const outcome = result.status !== 'completed' ? 'not judged' : failing === 0 ? 'all criteria pass' : `${failing} criteria fail`;
      progress.info(`[${trial.id}] ${result.status}${result.error ? ` (${result.error})` : ''}: ${outcome}`);
      profiles.push(result);
    }
  } catch (err) {
    if (!(err instanceof TrialStartError)) throw err;
    await removeIfEmpty(err.logFile);
    await rmdir(runDir).catch(() => undefined);
    // The folder stays only when it holds something to read (the target's log, earlier trials' files).
    throw new RunFailedError({
      code: 'target-did-not-start',
      trial: err.trialId,
      start: err.start.failure,
      outputTail: err.start.outputTail,
      logFile: displayPath(err.logFile),
    });
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }

  // Decided once measuring has ended: a signal while the reports are written cuts nothing, and the exit
  // code must say what results.json says.
  const interrupted = signal.aborted;
  if (interrupted) incompleteReason ??= 'interrupted (SIGINT/SIGTERM)';
  const errored = profiles.filter((p) => p.status === 'errored').map((p) => p.name);
  if (errored.length > 0) incompleteReason ??= `trial ${errored.join(', ')} could not run to the end`;
  const gatedProfiles = profiles.filter((p) => p.gated);
  const measured: RunResults = {
    scenario: options.scenario,
    startedAt: started.toISOString(),
    finishedAt: new Date().toISOString(),
    durationMs: performance.now() - startedPerf,
    complete: incompleteReason === undefined && profiles.every((p) => p.status === 'completed'),
    ...(incompleteReason === undefined ? {} : { incompleteReason }),
    driver: driverInfo,
    host: hostInfo(),
    options: { ...options, reportRoot: displayPath(options.reportRoot) },
    profiles,
    // With no profile gated the run only measures; its verdict is that it ran.
    pass: gatedProfiles.every((p) => p.pass),
  };
  const results = deps.extend ? await deps.extend(measured) : measured;
  await deps.writeReports(results, runDir);
  await deps.pointLatest(options.reportRoot, runDir);
  return { results, runDir, exitCode: exitCodeFor(results, interrupted) };
}

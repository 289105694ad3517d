/**
 * Executes a run's plan (harness/plan/run.ts): the load driver made ready, a report folder, and each
 * planned trial on a fresh target, in order. It returns what each trial measured (trial records) and
 * tells the caller of each as it ends; judging them and writing the reports is the caller's
 * (scripts/lib/concurrent.ts). Creating the run (plan, dependencies) is separate from the CLI that
 * parses flags and signals.
 */
import { cpus, tmpdir, totalmem } from 'node:os';
import { mkdtemp, rm, rmdir, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { bundleEntryPoints } from '../shared/entry-points.ts';
import { createDriver } from './drivers/registry.ts';
import { DriverUnavailableError, type LoadDriver } from './drivers/types.ts';
import type { TrialRecord } from '../model/trial.ts';
import type { RunPlan } from '../plan/run.ts';
import type { Trial } from '../plan/trials.ts';
import type { DriverInfo, HostInfo, RunFailure, RunResults } from '../model/results.ts';
import type { StartLockObserver } from './observer.ts';
import type { LabelObservedSpans, TrialContext, TrialPhases } from './phases.ts';
import type { Progress } from '../model/progress.ts';
import { targetChecks } from './target-checks.ts';
import { notRunFacts, runTrial, TrialStartError } from './trial.ts';

export interface RunDependencies {
  progress: Progress;
  /** Aborted on Ctrl-C / SIGTERM: the driver, writers, observer and target stop; what was measured is still written. */
  signal: AbortSignal;
  /** Starts the external lock observer around each load (unless `options.observer` is false); default the real one. */
  startObserver?: StartLockObserver;
  /** The load driver; default the one `options.driver` names. */
  driver?: LoadDriver;
  /** A trial's phases; default the real ones (processes and threads). */
  phases?: TrialPhases;
  /** Creates `<root>/<timestamp>-<scenario>/`; default harness/reports'. */
  createRunFolder: (root: string, scenario: string, startedAt: Date) => Promise<string>;
  /** Told before each trial starts (progress: trial i of N, elapsed, ETA). */
  onTrialStart?: (event: { index: number; total: number; trial: Trial; elapsedMs: number }) => void;
  /** Told of each trial's record as it ends, in order, a trial that never ran included. */
  onTrial?: (record: TrialRecord) => void;
  /** Labels the observer's spans for each trial's spans file (the analysis's observedSpansFile). */
  labelObservedSpans: LabelObservedSpans;
}

/** What a run measured: its trials' records, and when and with which driver. */
export interface RunRecords {
  records: TrialRecord[];
  runDir: string;
  driverInfo: DriverInfo;
  startedAt: Date;
  /** `performance.now()` when the run began, for its duration. */
  startedPerf: number;
  /** The run was interrupted before its trials ended: decided once measuring has ended. */
  interrupted: boolean;
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

/** A ready driver, or a {@link RunFailedError}: the run cannot measure without it. */
async function prepareDriver(deps: Pick<RunDependencies, 'progress' | 'phases'>, driver: LoadDriver): Promise<DriverInfo> {
  try {
    // The real phases start threads and processes: from bundles, each starts in a fraction of the time.
    if (deps.phases === undefined) await bundleEntryPoints();
  } catch (err) {
    throw new RunFailedError({ code: 'harness-error', message: err instanceof Error ? err.message : String(err) });
  }
  const end = deps.progress.start(`${driver.name} driver: prepare`);
  try {
    const driverInfo = await driver.prepare();
    end();
    return driverInfo;
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

/**
 * How a run ended, as data: interrupted (Ctrl-C, SIGTERM), harness-failed (a trial could not run to
 * the end, so the gate has no verdict), else the gate's pass or gate-failed. The scripts map it to an
 * exit code (scripts/lib/exit.ts).
 */
export type RunVerdict = 'interrupted' | 'harness-failed' | 'pass' | 'gate-failed';

/** The verdict of judged (and extended) results: an interruption first, then a run that did not complete, then the gate. */
export function runVerdict(results: RunResults, interrupted: boolean): RunVerdict {
  if (interrupted) return 'interrupted';
  if (results.profiles.some((p) => p.status === 'errored') || !results.complete) return 'harness-failed';
  return results.pass ? 'pass' : 'gate-failed';
}

/** Runs the plan's trials in order and returns their records; a trial whose turn comes after Ctrl-C is recorded as not run. */
export async function runPlan(plan: RunPlan, deps: RunDependencies): Promise<RunRecords> {
  const { options, target, workload, trials } = plan;
  const { progress, signal } = deps;
  const startedAt = new Date();
  const startedPerf = performance.now();
  const driver = deps.driver ?? createDriver(options.driver, { k6Path: options.k6Path });
  // What the whole run needs comes first: without it nothing is measured, so there is no verdict and
  // no report folder, and `latest` keeps pointing at the last run that measured something.
  const driverInfo = await prepareDriver(deps, driver);
  const runDir = await deps.createRunFolder(options.reportRoot, options.scenario, startedAt);
  progress.info(`report folder: ${displayPath(runDir)}`);

  const checks = targetChecks(target);
  const records: TrialRecord[] = [];
  const workDir = await mkdtemp(join(tmpdir(), 'lockbench-run-'));
  try {
    for (const [i, { trial, settings, processSettings, flags, scenario, writers, scenarioWorkload }] of trials.entries()) {
      const planned: Pick<TrialContext, 'options' | 'checks' | 'trial' | 'settings' | 'flags' | 'workload' | 'scenarioWorkload'> = { options, checks, trial, settings, flags, workload, scenarioWorkload };
      let record: TrialRecord;
      if (signal.aborted) {
        record = { facts: notRunFacts(planned, 'interrupted before it ran'), run: null, collected: null };
      } else {
        deps.onTrialStart?.({ index: i, total: trials.length, trial, elapsedMs: performance.now() - startedPerf });
        const context = { ...planned, target, processSettings, scenario, writers, driver, runDir, workDir, progress, signal, labelObservedSpans: deps.labelObservedSpans, ...(deps.startObserver ? { startObserver: deps.startObserver } : {}) };
        record = await runTrial(context, deps.phases);
      }
      records.push(record);
      deps.onTrial?.(record);
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
  return { records, runDir, driverInfo, startedAt, startedPerf, interrupted: signal.aborted };
}


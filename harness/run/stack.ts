/**
 * The real phases of a trial: the processes and threads it starts (target, workflow writers, lock
 * observer, the driver's load) and the measurements it takes from them.
 */
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DriverRun } from '../drivers/types.ts';
import type { ResourceSample } from '../results.ts';
import { readSamples } from '../drivers/samples.ts';
import { checkIntegrity, summarizeImportJobs } from '../integrity/integrity.ts';
import { profileArgs, profileFlagRecord } from '../profiles.ts';
import type { LogLevel } from '../../target/options.ts';
import { startTarget, type RunningTarget } from '../target-process/target-process.ts';
import { startWorkflowWriters, type WorkflowWriterHandle } from '../workflow-writers/writers.ts';
import type { Collected } from './assemble.ts';
import { observedSpansFile, type HolderPids } from './observed-locks.ts';
import { startLockObservation, type LockObservation, type ObservationOutcome } from './observer.ts';
import { SCENARIO_DEFINITIONS } from './scenarios.ts';
import { monitorResources } from './resources.ts';
import { getLockStats, smokeCheck, type TargetHealth } from './target-api.ts';
import { trialFiles, trialTargetOptions, type TrialContext } from './trial.ts';

/** What a trial has started so far: each piece is registered as soon as it runs, so one stop path stops it. */
export interface StackParts {
  dbPath: string;
  /** The target flags the trial runs with, as results.json records them. */
  flags?: Record<string, string>;
  target?: RunningTarget;
  health?: TargetHealth;
  writers?: WorkflowWriterHandle;
  observation?: LockObservation;
  /** Set when the observation has been stopped (by collect, or by the stop path). */
  observationOutcome?: ObservationOutcome;
  holderPids?: HolderPids;
  /** Set when the target exited without being asked to. */
  targetExit?: string;
  /** Aborts the load when the target dies under it. */
  loadAbort?: AbortController;
  /** The target's memory and the WAL over the load. */
  resources?: ResourceSample[];
}

export interface TrialPhases {
  startStack(ctx: TrialContext, parts: StackParts): Promise<void>;
  driveLoad(ctx: TrialContext, parts: StackParts): Promise<DriverRun>;
  /** Never throws: what cannot be measured is listed in `failures`. */
  collect(ctx: TrialContext, parts: StackParts, run: DriverRun): Promise<Collected>;
  /** Stops whatever `parts` holds that is still running; notes what a reader should know. */
  stopStack(ctx: TrialContext, parts: StackParts): Promise<{ notes: string[] }>;
}

/** The target log level: info keeps one line per request out of the log while still saying what it runs. */
const TARGET_LOG_LEVEL: LogLevel = 'info';
/** The database file and the WAL and shared-memory files SQLite keeps beside it. */
const DB_FILE_SUFFIXES = ['', '-wal', '-shm'] as const;

function removeDatabase(dbPath: string): Promise<unknown> {
  return Promise.all(DB_FILE_SUFFIXES.map((suffix) => rm(`${dbPath}${suffix}`, { force: true })));
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Said on the console when the observer does not watch: never a silent fallback. */
function fallbackMessage(outcome: ObservationOutcome): string {
  return outcome.status === 'observed' ? 'lock observer ran' : `${outcome.reason}; lock-hold falls back to the self-reported figure`;
}

async function startStack(ctx: TrialContext, parts: StackParts): Promise<void> {
  const { options, trial, progress } = ctx;
  const files = trialFiles(trial.id);
  const targetOptions = trialTargetOptions(trial, options);
  parts.flags = profileFlagRecord(targetOptions);
  await removeDatabase(parts.dbPath);
  parts.loadAbort = new AbortController();
  parts.target = await startTarget({
    args: profileArgs({ ...targetOptions, logLevel: TARGET_LOG_LEVEL }),
    dbPath: parts.dbPath,
    logFile: join(ctx.runDir, files.targetLog),
    onUnexpectedExit: (code, signal) => {
      parts.targetExit = `the target exited during the run (code ${code}, signal ${signal})`;
      parts.loadAbort?.abort();
    },
  });
  const target = parts.target;
  progress.info(`[${trial.id}] target pid ${target.pid} at ${target.url}, database ${parts.dbPath}`);
  // The smoke check, the writers' warm-up and the observer's start do not depend on each other: in
  // parallel, each registered as soon as it runs, so the stop path stops whatever did start.
  const started = await Promise.allSettled([
    smokeCheck(target.url, targetOptions, options.imports).then((health) => (parts.health = health)),
    startWorkflowWriters({
      dbPath: parts.dbPath,
      writesPerSecond: options.workflowRate,
      threads: options.writerThreads,
      maxInFlight: options.writerMaxInFlight,
      busyTimeoutMs: targetOptions.busyTimeoutMs,
      ...(targetOptions.walAutocheckpoint === undefined ? {} : { walAutocheckpoint: targetOptions.walAutocheckpoint }),
    }).then((writers) => (parts.writers = writers)),
    startLockObservation({
      enabled: options.observer,
      dbPath: parts.dbPath,
      intervalUs: options.observerIntervalUs,
      ...(ctx.startObserver ? { start: ctx.startObserver } : {}),
    }).then((observation) => (parts.observation = observation)),
  ]);
  const failed = started.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  // The workflow writers are worker threads of this process: their holds carry its pid.
  parts.holderPids = { target: target.pid, workflowWriters: process.pid };
  const observation = parts.observation!;
  if (!observation.running) {
    parts.observationOutcome = await observation.stop();
    progress.info(`[${trial.id}] ${fallbackMessage(parts.observationOutcome)}`);
  }
}

async function driveLoad(ctx: TrialContext, parts: StackParts): Promise<DriverRun> {
  const target = parts.target!;
  const files = trialFiles(ctx.trial.id);
  const definition = SCENARIO_DEFINITIONS[ctx.options.scenario];
  const env = definition.env(ctx.options, target.url);
  const abort = parts.loadAbort ?? new AbortController();
  const onRunAbort = () => abort.abort();
  ctx.signal.addEventListener('abort', onRunAbort, { once: true });
  const monitor = monitorResources(target.pid, parts.dbPath);
  try {
    return await ctx.driver.run({
      description: definition.describe(env),
      env,
      baseUrl: target.url,
      samplesPath: join(ctx.runDir, files.samples),
      summaryPath: join(ctx.runDir, files.driverSummary),
      logPath: join(ctx.runDir, files.driverLog),
      signal: abort.signal,
    });
  } finally {
    ctx.signal.removeEventListener('abort', onRunAbort);
    parts.resources = await monitor.stop();
  }
}

async function collect(ctx: TrialContext, parts: StackParts, run: DriverRun): Promise<Collected> {
  const files = trialFiles(ctx.trial.id);
  const failures: string[] = [];
  const measure = async <T>(name: string, fn: () => Promise<T>): Promise<T | null> => {
    try {
      return await fn();
    } catch (err) {
      failures.push(`${name}: ${errorMessage(err)}`);
      return null;
    }
  };
  if (parts.observation?.running && parts.observationOutcome === undefined) {
    parts.observationOutcome = await parts.observation.stop();
    if (parts.observationOutcome.status !== 'observed') ctx.progress.info(`[${ctx.trial.id}] ${fallbackMessage(parts.observationOutcome)}`);
  }
  const observation = parts.observationOutcome ?? null;
  const samples = run.files.samples === null ? null : await measure('read the request samples', () => readSamples(run.files.samples!));
  const writersHandle = parts.writers;
  const writers = writersHandle ? await measure('stop the workflow writers', () => writersHandle.stop({ drain: !ctx.signal.aborted })) : null;
  // From the start of observing when the observer ran, so the target's own spans cover its window.
  const observedSince = observation?.status === 'observed' ? observation.result.startedAtMs : Number.POSITIVE_INFINITY;
  const target = parts.target;
  const locks =
    parts.targetExit !== undefined || !target
      ? null
      : await measure('collect the target lock statistics', () => getLockStats(target.url, Math.min(run.startedAtMs, observedSince)));
  let importJobsWallMs: number | null = null;
  const integrity = await measure('integrity check', async () => {
    importJobsWallMs = summarizeImportJobs(parts.dbPath).wallMs;
    return checkIntegrity({ dbPath: parts.dbPath, artifactsAcknowledged: run.summary?.imports.artifactsAcknowledged ?? null, writers });
  });
  const observedSpans = parts.holderPids ? observedSpansFile(observation, parts.holderPids) : null;
  let spansFile: string | null = null;
  if (locks || writers?.spans || observedSpans) {
    // The timeline's data: each side's own spans, and the observer's labelled by holder.
    const written = await measure('write the lock spans', () =>
      writeFile(join(ctx.runDir, files.spans), `${JSON.stringify({ target: locks?.spans ?? [], workflowWriters: writers?.spans ?? [], observed: observedSpans })}\n`),
    );
    if (written !== null) spansFile = files.spans;
  }
  if (run.summary === null && run.failure === undefined) failures.push('the driver wrote no summary');
  return { observation, samples, writers, locks, integrity, importJobsWallMs, spansFile, resources: parts.resources ?? null, failures };
}

async function stopStack(_ctx: TrialContext, parts: StackParts): Promise<{ notes: string[] }> {
  const notes: string[] = [];
  const stopping: Promise<unknown>[] = [];
  if (parts.observation?.running && parts.observationOutcome === undefined) {
    stopping.push(parts.observation.stop().then((o) => (parts.observationOutcome = o)));
  }
  if (parts.writers) {
    // Stopping twice returns the first result; after collect this only closes what is left.
    stopping.push(parts.writers.stop({ drain: false }).catch(() => undefined));
  }
  if (parts.target) {
    const target = parts.target;
    stopping.push(
      target.stop().then((exit) => {
        if (exit.code !== 0 && exit.code !== null && parts.targetExit === undefined) notes.push(`the target exited with code ${exit.code} when stopped`);
      }),
    );
  }
  await Promise.all(stopping);
  await removeDatabase(parts.dbPath).catch(() => undefined);
  return { notes };
}

export const realPhases: TrialPhases = { startStack, driveLoad, collect, stopStack };

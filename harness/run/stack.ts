/**
 * The real phases of a trial: the processes and threads it starts (target, workflow writers, lock
 * observer, the driver's load) and the measurements it takes from them.
 */
import { existsSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join, sep } from 'node:path';
import type { DriverRun } from '../drivers/types.ts';
import type { ProfileNote, ResourceSample, WorkflowWriterResult } from '../results.ts';
import { readSamples } from '../drivers/samples.ts';
import type { RunningTarget } from '../target-process/target-process.ts';
import { freePort, planLaunch, startDescribedTarget } from '../targets/launch.ts';
import { withBundledTarget } from '../targets/builtin.ts';
import type { LoadedTargetDescription } from '../targets/load.ts';
import { startWorkflowWriters, type WorkflowWriterHandle } from '../workflow-writers/writers.ts';
import { readJournalMode, type JournalMode } from '../observe/index.ts';
import type { Collected } from './assemble.ts';
import { observedSpansFile, type HolderPids } from './observed-locks.ts';
import { startLockObservation, type LockObservation, type ObservationOutcome } from './observer.ts';
import { SCENARIO_DEFINITIONS } from './scenarios.ts';
import { monitorResources } from './resources.ts';
import { getLockStats } from './target-api.ts';
import { targetChecks, type TargetAccount } from './target-checks.ts';
import { isBuiltinTarget } from './target.ts';
import { BUSY_TIMEOUT_SETTING, countNoLoss, readAnswers, workloadScenario, workloadWriterPlan } from '../workload/run.ts';
import { trialFiles, trialSettings, type Trial } from '../plan/trials.ts';
import type { LoadDriver } from '../drivers/types.ts';
import type { RunOptions } from './options.ts';
import type { Progress } from './progress.ts';
import type { LoadedWorkload } from '../workload/load.ts';
import type { StartLockObserver } from './observer.ts';

/** What a trial has started so far: each piece is registered as soon as it runs, so one stop path stops it. */
export interface StackParts {
  /** The trial's own folder, `{workDir}` in its description. */
  trialDir: string;
  dbPath: string;
  /** The database file is the trial's own (under `trialDir`): made fresh before the target starts, removed after. */
  ownsDatabase?: boolean;
  /** Where the target answers: the started target's URL, or a running target's. */
  baseUrl?: string;
  /** The target settings the trial runs with, as results.json records them. */
  flags?: Record<string, string>;
  /** The target lockbench started; absent for a target given by URL. */
  target?: RunningTarget;
  health?: TargetAccount;
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
  /** What a reader should know about what this trial measured and what it could not. */
  notes?: ProfileNote[];
  /** The journal mode once the target was up, before anything of lockbench's opened the database. */
  journalModeBefore?: JournalMode;
}

export interface TrialContext {
  options: RunOptions;
  /** The target the trial starts (or finds running), drives and checks. */
  target: LoadedTargetDescription;
  trial: Trial;
  driver: LoadDriver;
  /** The run's report folder: driver summaries, samples, logs and spans go here. */
  runDir: string;
  /** A scratch folder for the database files: each trial's own `{workDir}` is a folder in it. */
  workDir: string;
  progress: Progress;
  /** Aborted on Ctrl-C / SIGTERM. */
  signal: AbortSignal;
  startObserver?: StartLockObserver;
  /** The run's workload: its streams are the load, its SQL stream the side writers, its criteria the verdict. */
  workload?: LoadedWorkload | null;
}

export interface TrialPhases {
  startStack(ctx: TrialContext, parts: StackParts): Promise<void>;
  driveLoad(ctx: TrialContext, parts: StackParts): Promise<DriverRun>;
  /** Never throws: what cannot be measured is listed in `failures`. */
  collect(ctx: TrialContext, parts: StackParts, run: DriverRun): Promise<Collected>;
  /** Stops whatever `parts` holds that is still running; notes what a reader should know. */
  stopStack(ctx: TrialContext, parts: StackParts): Promise<{ notes: ProfileNote[] }>;
}

/** Notes about the scenario's own measurements (workflow writes, rows per source), not a workload's. */
const SCENARIO_ONLY_NOTES: readonly ProfileNote['code'][] = ['no-workflow-write', 'no-artifacts-per-source'];

/** The pid of a running target that does not say which it is: its holds are attributed to "other". */
const UNKNOWN_PID = -1;
/** The database file and the WAL and shared-memory files SQLite keeps beside it. */
const DB_FILE_SUFFIXES = ['', '-wal', '-shm'] as const;

function removeDatabase(dbPath: string): Promise<unknown> {
  return Promise.all(DB_FILE_SUFFIXES.map((suffix) => rm(`${dbPath}${suffix}`, { force: true })));
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Said on the console when the observer does not watch: never a silent fallback. */
function fallbackMessage(outcome: ObservationOutcome, target: LoadedTargetDescription): string {
  if (outcome.status === 'observed') return 'lock observer ran';
  const fallback = target.description.locks ? 'lock-hold falls back to the self-reported figure' : 'lock-hold is not measured (the target reports no lock figures of its own)';
  return `${outcome.reason}; ${fallback}`;
}

/** The target, started fresh for the trial (its own database under the trial's folder), or found running. */
async function startOrFindTarget(ctx: TrialContext, parts: StackParts, settings: Record<string, string | number>): Promise<void> {
  const { description } = ctx.target;
  const port = description.start ? await freePort() : 0;
  const planned = planLaunch(ctx.target, { workDir: parts.trialDir, port, settings });
  const plan = planned.kind === 'start' && isBuiltinTarget(ctx.target) ? withBundledTarget(planned) : planned;
  parts.dbPath = plan.database;
  if (plan.kind === 'running') {
    // Not ours: never created, never removed.
    if (!existsSync(plan.database)) throw new Error(`the running target's database ${plan.database} does not exist; "database" must name the file the target at ${plan.baseUrl} uses`);
    parts.baseUrl = plan.baseUrl;
    return;
  }
  parts.ownsDatabase = plan.database.startsWith(`${parts.trialDir}${sep}`);
  await mkdir(parts.trialDir, { recursive: true });
  if (parts.ownsDatabase) await removeDatabase(plan.database);
  parts.target = await startDescribedTarget(plan, {
    logFile: join(ctx.runDir, trialFiles(ctx.trial.id).targetLog),
    onUnexpectedExit: (code, signal) => {
      parts.targetExit = `the target exited during the run (code ${code}, signal ${signal})`;
      parts.loadAbort?.abort();
    },
  });
  parts.baseUrl = parts.target.url;
}

async function startStack(ctx: TrialContext, parts: StackParts): Promise<void> {
  const { options, trial, progress } = ctx;
  const checks = targetChecks(ctx.target);
  const settings = trialSettings(trial, options, ctx.target);
  parts.flags = checks.settingsRecord(settings);
  // The scenario's notes on what the target cannot measure speak of its own streams; a workload brings its own.
  parts.notes = ctx.workload ? checks.notes.filter((n) => !SCENARIO_ONLY_NOTES.includes(n.code)) : [...checks.notes];
  parts.loadAbort = new AbortController();
  await startOrFindTarget(ctx, parts, settings);
  const baseUrl = parts.baseUrl!;
  parts.health = await checks.smokeCheck(baseUrl, settings, options);
  // As the target set it up: read from the header, no connection opened.
  parts.journalModeBefore = readJournalMode(parts.dbPath);
  const targetPid = parts.target?.pid ?? options.targetPid ?? parts.health.pid ?? UNKNOWN_PID;
  const where = parts.target ? `target pid ${targetPid} at ${baseUrl}` : `running target at ${baseUrl}${targetPid === UNKNOWN_PID ? '' : ` (pid ${targetPid})`}`;
  progress.info(`[${trial.id}] ${where}, database ${parts.dbPath}`);
  // The target's own busy timeout, when it is a setting by that name: the writers wait as long as the app does.
  const busyTimeoutMs = settings[BUSY_TIMEOUT_SETTING];
  const workloadPlan = ctx.workload ? workloadWriterPlan(ctx.workload.workload, typeof busyTimeoutMs === 'number' ? busyTimeoutMs : undefined) : null;
  const writerPlan = workloadPlan ?? checks.writers(settings);
  if (!writerPlan.run) progress.info(`[${trial.id}] ${ctx.workload ? 'side writers' : 'workflow writers'} not run: ${writerPlan.reason}`);
  // The workflow writers are worker threads of this process: their holds carry its pid.
  parts.holderPids = { target: targetPid, workflowWriters: process.pid };
  // The writers' warm-up and the observer's start do not depend on each other: side by side, each
  // registered as soon as it runs, so the stop path stops whatever did start.
  const walAutocheckpoint = settings.walAutocheckpoint;
  const started = await Promise.allSettled([
    writerPlan.run
      ? startWorkflowWriters({
          dbPath: parts.dbPath,
          writesPerSecond: workloadPlan?.rates?.writesPerSecond ?? options.workflowRate,
          threads: workloadPlan?.rates?.threads ?? options.writerThreads,
          maxInFlight: workloadPlan?.rates?.maxInFlight ?? options.writerMaxInFlight,
          ...(workloadPlan?.rates?.holdMs ? { holdMs: workloadPlan.rates.holdMs } : {}),
          sqlWrite: writerPlan.sqlWrite,
          ...(writerPlan.busyTimeoutMs === undefined ? {} : { busyTimeoutMs: writerPlan.busyTimeoutMs }),
          // Checkpoints off holds for every connection that commits, the writers' too.
          ...(typeof walAutocheckpoint === 'number' ? { walAutocheckpoint } : {}),
        }).then((writers) => (parts.writers = writers))
      : Promise.resolve(),
    startLockObservation({
      enabled: options.observer,
      dbPath: parts.dbPath,
      intervalUs: options.observerIntervalUs,
      ...(ctx.startObserver ? { start: ctx.startObserver } : {}),
    }).then((observation) => (parts.observation = observation)),
  ]);
  const failed = started.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  const observation = parts.observation!;
  if (!observation.running) {
    parts.observationOutcome = await observation.stop();
    progress.info(`[${trial.id}] ${fallbackMessage(parts.observationOutcome, ctx.target)}`);
  }
}

async function driveLoad(ctx: TrialContext, parts: StackParts): Promise<DriverRun> {
  const baseUrl = parts.baseUrl!;
  const files = trialFiles(ctx.trial.id);
  const definition = SCENARIO_DEFINITIONS[ctx.options.scenario];
  const workload = ctx.workload?.workload;
  // The catalog updates address the entries the target seeds; a workload's streams say what they address.
  const env = workload ? {} : { ...definition.env(ctx.options, baseUrl), CATALOG_ENTRIES: String(ctx.target.description.seeded.catalogEntries) };
  const abort = parts.loadAbort ?? new AbortController();
  const onRunAbort = () => abort.abort();
  ctx.signal.addEventListener('abort', onRunAbort, { once: true });
  // A target whose pid is unknown has no memory to read; the WAL is still followed.
  const targetPid = parts.holderPids?.target ?? UNKNOWN_PID;
  const monitor = monitorResources(targetPid === UNKNOWN_PID ? null : targetPid, parts.dbPath);
  try {
    return await ctx.driver.run({
      description: workload ? workloadScenario(workload, ctx.options.scenario) : definition.describe(ctx.options, ctx.target.description.seeded.catalogEntries),
      env,
      ...(workload ? { workload, answersPath: join(ctx.runDir, files.answers) } : {}),
      baseUrl,
      ...(isBuiltinTarget(ctx.target) ? {} : { target: ctx.target }),
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

/** Drains the writers, unless the run is interrupted: then, or at a Ctrl-C during the drain, the writes still waiting give up. */
async function stopWriters(writers: WorkflowWriterHandle, signal: AbortSignal): Promise<WorkflowWriterResult> {
  const cut = () => void writers.stop({ drain: false });
  signal.addEventListener('abort', cut, { once: true });
  try {
    return await writers.stop({ drain: !signal.aborted });
  } finally {
    signal.removeEventListener('abort', cut);
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
    if (parts.observationOutcome.status !== 'observed') ctx.progress.info(`[${ctx.trial.id}] ${fallbackMessage(parts.observationOutcome, ctx.target)}`);
  }
  const observation = parts.observationOutcome ?? null;
  const samples = run.files.samples === null ? null : await measure('read the request samples', () => readSamples(run.files.samples!));
  const writersHandle = parts.writers;
  const writers = writersHandle ? await measure('stop the workflow writers', () => stopWriters(writersHandle, ctx.signal)) : null;
  // From the start of observing when the observer ran, so the target's own spans cover its window.
  const observedSince = observation?.status === 'observed' ? observation.result.startedAtMs : Number.POSITIVE_INFINITY;
  const baseUrl = parts.baseUrl;
  const locksRoute = ctx.target.description.locks;
  const locks =
    parts.targetExit !== undefined || baseUrl === undefined || locksRoute === undefined
      ? null
      : await measure('collect the target lock statistics', () => getLockStats(baseUrl, Math.min(run.startedAtMs, observedSince), locksRoute.path));
  let importJobsWallMs: number | null = null;
  // A workload judges what was stored by its own no-loss checks; the target's integrity SQL counts the scenario's rows.
  const integrity = ctx.workload ? null : await measure('integrity check', async () => {
    const checked = targetChecks(ctx.target).integrity({ dbPath: parts.dbPath, run, writers, options: ctx.options });
    importJobsWallMs = checked.importJobsWallMs;
    return checked.integrity;
  });
  // After the writers and the checks: what lockbench ran beside the target must have left it as it was.
  const journalMode = parts.journalModeBefore === undefined ? null : { before: parts.journalModeBefore, after: readJournalMode(parts.dbPath) };
  const observedSpans = parts.holderPids ? observedSpansFile(observation, parts.holderPids, samples) : null;
  let spansFile: string | null = null;
  if (locks || writers?.spans || observedSpans) {
    // The timeline's data: each side's own spans, and the observer's labelled by holder.
    const written = await measure('write the lock spans', () =>
      writeFile(join(ctx.runDir, files.spans), `${JSON.stringify({ target: locks?.spans ?? [], workflowWriters: writers?.spans ?? [], observed: observedSpans })}\n`),
    );
    if (written !== null) spansFile = files.spans;
  }
  if (run.summary === null && run.failure === undefined) failures.push('the driver wrote no summary');
  const targetReportsLocks = locksRoute !== undefined;
  const workload = ctx.workload?.workload;
  const answers = workload && run.summary !== null ? await measure("read the workload's answers", () => readAnswers(join(ctx.runDir, files.answers))) : null;
  const noLoss = workload && parts.targetExit === undefined ? await measure('count what the acknowledged requests stored', () => Promise.resolve(countNoLoss(workload, parts.dbPath))) : null;
  return {
    observation,
    samples,
    writers,
    locks,
    targetReportsLocks,
    integrity,
    importJobsWallMs,
    spansFile,
    resources: parts.resources ?? null,
    journalMode,
    failures,
    ...(workload ? { workload: { answers, noLoss, run: { startMs: run.startedAtMs, endMs: run.startedAtMs + run.durationMs } } } : {}),
  };
}

async function stopStack(_ctx: TrialContext, parts: StackParts): Promise<{ notes: ProfileNote[] }> {
  const notes: ProfileNote[] = [];
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
        if (exit.code !== 0 && exit.code !== null && parts.targetExit === undefined) notes.push({ code: 'target-exit-on-stop', exitCode: exit.code });
      }),
    );
  }
  await Promise.all(stopping);
  if (parts.ownsDatabase) await removeDatabase(parts.dbPath).catch(() => undefined);
  return { notes };
}

export const realPhases: TrialPhases = { startStack, driveLoad, collect, stopStack };

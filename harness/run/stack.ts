/**
 * The real phases of a trial: the processes and threads it starts (target, workflow writers, lock
 * observer, the driver's load) and the measurements it takes from them. Each returns what it made
 * (harness/run/phases.ts); the start phase reports every piece as it starts, for the stop phase.
 */
import { existsSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join, sep } from 'node:path';
import type { IntegrityResult, ProfileNote, RequestSample, WorkflowWriterResult } from '../model/results.ts';
import type { Collected } from '../model/trial.ts';
import { readSamples } from './drivers/samples.ts';
import type { RunningTarget } from './target-process/target-process.ts';
import { freePort, planLaunch, startDescribedTarget } from './launch.ts';
import { withBundledTarget } from '../plan/targets/builtin.ts';
import type { LoadedTargetDescription } from '../plan/targets/load.ts';
import { scenarioMapping } from '../plan/targets/schema.ts';
import { startWorkflowWriters, type WorkflowWriterHandle } from './workflow-writers/writers.ts';
import { readJournalMode } from './observe/index.ts';
import { trialFiles } from '../plan/trials.ts';
import type { ObservationOutcome } from '../model/observation.ts';
import { startLockObservation } from './observer.ts';
import { TargetExitWatch, type Load, type Stack, type Started, type TrialContext, type TrialPhases } from './phases.ts';
import { SCENARIO_DEFINITIONS } from '../plan/scenarios.ts';
import { DRIVER_CHOICES } from '../plan/drivers.ts';
import type { ScenarioDescription } from '../../scenarios/lib/scenario.ts';
import type { PlannedWriters } from '../plan/run.ts';
import { monitorResources } from './resources.ts';
import { getLockStats } from './target-api.ts';
import { BUSY_TIMEOUT_SETTING, countNoLoss, readAnswers, workloadScenario, workloadWriterPlan } from './workload/run.ts';
import { startSqlStreams } from './sql-streams.ts';
import { answersAsScenario } from './workload/recorded.ts';

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
async function startOrFindTarget(
  ctx: TrialContext,
  exit: TargetExitWatch,
  started: (piece: Started) => void,
): Promise<{ dbPath: string; baseUrl: string; target: RunningTarget | null }> {
  const { description } = ctx.target;
  const trialDir = join(ctx.workDir, ctx.trial.id);
  const port = description.start ? await freePort() : 0;
  const planned = planLaunch(ctx.target, { workDir: trialDir, port, settings: ctx.processSettings });
  const plan = planned.kind === 'start' && ctx.target.kind === 'builtin' ? withBundledTarget(planned) : planned;
  if (plan.kind === 'running') {
    // Not ours: never created, never removed.
    if (!existsSync(plan.database)) throw new Error(`the running target's database ${plan.database} does not exist; "database" must name the file the target at ${plan.baseUrl} uses`);
    return { dbPath: plan.database, baseUrl: plan.baseUrl, target: null };
  }
  await mkdir(trialDir, { recursive: true });
  if (plan.database.startsWith(`${trialDir}${sep}`)) {
    started({ kind: 'database', path: plan.database });
    await removeDatabase(plan.database);
  }
  const target = await startDescribedTarget(plan, {
    logFile: join(ctx.runDir, trialFiles(ctx.trial.id).targetLog),
    onUnexpectedExit: (code, signal) => exit.exited(`the target exited during the run (code ${code}, signal ${signal})`),
  });
  started({ kind: 'target', target, exit });
  return { dbPath: plan.database, baseUrl: target.url, target };
}

async function startStack(ctx: TrialContext, started: (piece: Started) => void): Promise<Stack> {
  const { options, trial, progress, checks, settings } = ctx;
  const exit = new TargetExitWatch();
  const { dbPath, baseUrl, target } = await startOrFindTarget(ctx, exit, started);
  const account = await checks.smokeCheck(baseUrl, settings, options);
  // As the target set it up: read from the header, no connection opened.
  const journalModeBefore = readJournalMode(dbPath);
  const targetPid = target?.pid ?? options.targetPid ?? account.pid ?? UNKNOWN_PID;
  const where = target ? `target pid ${targetPid} at ${baseUrl}` : `running target at ${baseUrl}${targetPid === UNKNOWN_PID ? '' : ` (pid ${targetPid})`}`;
  progress.info(`[${trial.id}] ${where}, database ${dbPath}`);
  // The target's own busy timeout, when it is a setting by that name: the writers wait as long as the app does.
  const busyTimeoutMs = settings[BUSY_TIMEOUT_SETTING];
  const workloadPlan = ctx.workload ? workloadWriterPlan(ctx.workload.workload, typeof busyTimeoutMs === 'number' ? busyTimeoutMs : undefined) : null;
  const writerPlan = workloadPlan ?? plannedWriters(ctx);
  if (!writerPlan.run) progress.info(`[${trial.id}] ${ctx.workload ? 'side writers' : 'workflow writers'} not run: ${writerPlan.reason}`);
  // The workflow writers are worker threads of this process: their holds carry its pid.
  const holderPids = { target: targetPid, workflowWriters: process.pid };
  // The writers' warm-up and the observer's start do not depend on each other: side by side, each
  // reported as soon as it runs, so the stop path stops whatever did start.
  const walAutocheckpoint = settings.walAutocheckpoint;
  // Checkpoints off holds for every connection that commits, the writers' too.
  const common = { dbPath, ...(typeof walAutocheckpoint === 'number' ? { walAutocheckpoint } : {}) };
  const [writers, observation] = await Promise.allSettled([
    writerPlan.run
      ? ('streams' in writerPlan ? startSqlStreams(writerPlan.streams, common) : startWorkflowWriters(writerPlan.options, { dbPath })).then((handle) => {
          started({ kind: 'writers', writers: handle });
          return handle;
        })
      : Promise.resolve(null),
    startLockObservation({
      enabled: options.observer,
      dbPath,
      intervalUs: options.observerIntervalUs,
      ...(ctx.startObserver ? { start: ctx.startObserver } : {}),
    }).then((handle) => {
      started({ kind: 'observation', observation: handle });
      return handle;
    }),
  ]);
  if (writers.status === 'rejected') throw writers.reason;
  if (observation.status === 'rejected') throw observation.reason;
  if (!observation.value.running) progress.info(`[${trial.id}] ${fallbackMessage(await observation.value.stop(), ctx.target)}`);
  return { dbPath, baseUrl, account, holderPids, journalModeBefore, target, exit, writers: writers.value, observation: observation.value };
}

/** The scenario's workflow writers as the plan resolved them; a workload brings its own. */
function plannedWriters(ctx: TrialContext): PlannedWriters {
  if (ctx.writers === null) throw new Error('the plan gave no workflow writers for a run without a workload');
  return ctx.writers;
}

/** What the driver runs: the trial's workload's streams, else the scenario as the plan described it. */
function loadDescription(ctx: TrialContext): ScenarioDescription {
  const workload = ctx.workload?.workload;
  if (workload) return workloadScenario(workload, ctx.options.scenario);
  if (ctx.scenario === null) throw new Error('the plan gave no scenario description for a run without a workload');
  return ctx.scenario;
}

async function driveLoad(ctx: TrialContext, stack: Stack): Promise<Load> {
  const { baseUrl } = stack;
  const files = trialFiles(ctx.trial.id);
  const definition = SCENARIO_DEFINITIONS[ctx.options.scenario];
  const workload = ctx.workload?.workload;
  // Only k6 reads the scenario as environment strings; the built-in driver takes the typed description.
  // The catalog updates address the entries the target seeds; a workload's streams say what they address.
  const env =
    workload || !DRIVER_CHOICES.get(ctx.driver.name)?.readsEnv
      ? null
      : { ...definition.env(ctx.options, baseUrl), CATALOG_ENTRIES: String(scenarioMapping(ctx.target.description).seeded.catalogEntries) };
  // The load stops at Ctrl-C, and when the target dies under it.
  const abort = new AbortController();
  const onAbort = () => abort.abort();
  ctx.signal.addEventListener('abort', onAbort, { once: true });
  stack.exit.signal.addEventListener('abort', onAbort, { once: true });
  if (stack.exit.signal.aborted) abort.abort();
  // A target whose pid is unknown has no memory to read; the WAL is still followed.
  const targetPid = stack.holderPids.target;
  const monitor = monitorResources(targetPid === UNKNOWN_PID ? null : targetPid, stack.dbPath);
  try {
    const run = await ctx.driver.run({
      description: loadDescription(ctx),
      ...(env ? { env } : {}),
      ...(workload ? { workload, answersPath: join(ctx.runDir, files.answers) } : {}),
      baseUrl,
      ...(ctx.target.kind === 'builtin' ? {} : { target: ctx.target }),
      samplesPath: join(ctx.runDir, files.samples),
      summaryPath: join(ctx.runDir, files.driverSummary),
      logPath: join(ctx.runDir, files.driverLog),
      signal: abort.signal,
      // A workload's SQL streams start on the load's timeline.
      onStart: (startedAtMs) => stack.writers?.begin?.(startedAtMs),
      // An SQL stream that ends after a request stream stops issuing writes from its end, plus its tail.
      onStreamEnd: (stream, endedAtMs) => stack.writers?.streamEnded?.(stream, endedAtMs),
    });
    return { run, resources: await monitor.stop() };
  } catch (err) {
    // The monitor's timer must not outlive a driver that failed.
    await monitor.stop();
    throw err;
  } finally {
    ctx.signal.removeEventListener('abort', onAbort);
    stack.exit.signal.removeEventListener('abort', onAbort);
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

async function collect(ctx: TrialContext, stack: Stack, { run, resources }: Load): Promise<Collected> {
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
  // Stopping twice returns the first outcome: one that never ran was said when the stack started.
  const observing = stack.observation.running;
  const observation = await stack.observation.stop();
  if (observing && observation.status !== 'observed') ctx.progress.info(`[${ctx.trial.id}] ${fallbackMessage(observation, ctx.target)}`);
  const samplesFile = run.files.samples;
  const samples = samplesFile === null ? null : await measure('read the request samples', () => readSamples(samplesFile));
  const writersHandle = stack.writers;
  const writers = writersHandle ? await measure('stop the workflow writers', () => stopWriters(writersHandle, ctx.signal)) : null;
  // From the start of observing when the observer ran, so the target's own spans cover its window.
  const observedSince = observation.status === 'observed' ? observation.result.startedAtMs : Number.POSITIVE_INFINITY;
  const { baseUrl, dbPath } = stack;
  const targetExited = stack.exit.reason !== undefined;
  const locksRoute = ctx.target.description.locks;
  const locks =
    targetExited || locksRoute === undefined
      ? null
      : await measure('collect the target lock statistics', () => getLockStats(baseUrl, Math.min(run.startedAtMs, observedSince), locksRoute.path));
  let importJobsWallMs: number | null = null;
  // A workload judges what was stored by its own no-loss checks; the target's integrity SQL counts the scenario's rows.
  const integrity = ctx.workload ? null : await measure('integrity check', async () => {
    const checked = ctx.checks.integrity({ dbPath, run, writers, options: ctx.options });
    importJobsWallMs = checked.importJobsWallMs;
    return checked.integrity;
  });
  // After the writers and the checks: what lockbench ran beside the target must have left it as it was.
  const journalMode = { before: stack.journalModeBefore, after: readJournalMode(dbPath) };
  const observedSpans = ctx.labelObservedSpans(observation, stack.holderPids, samples) ?? null;
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
  const noLoss = workload && !targetExited ? await measure('count what the acknowledged requests stored', () => Promise.resolve(countNoLoss(workload, dbPath))) : null;
  const carried = workload ? null : await scenarioMeasurements(ctx, { run, samples, dbPath, targetExited, integrity }, measure);
  return {
    observation,
    samples,
    writers,
    locks,
    targetReportsLocks,
    integrity,
    importJobsWallMs,
    spansFile,
    resources,
    journalMode,
    failures,
    ...(workload ? { workload: { answers, noLoss, run: loadSpan(run) } } : {}),
    ...(carried ? { workload: carried } : {}),
  };
}

/** The load's span on the driver's clock, epoch ms: the window of a workload's criteria that name none. */
function loadSpan(run: Load['run']): { startMs: number; endMs: number } {
  return { startMs: run.startedAtMs, endMs: run.startedAtMs + run.durationMs };
}

/**
 * What the workload a scenario carries (the seed, the smoke check's, the soak's; on a described target adapted
 * to its description) is judged on, from what the trial measured anyway: the recorded request
 * samples classified by its answer rules (they keep the status and the service time a lock error is split
 * by), its no-loss count and integrity check on the database (the target's checks: a described target's
 * own SQL), the imports' acknowledged count from the driver's summary. The side writers' writes, the observer's spans and the load's span are the analysis's,
 * as for any workload. Null when the trial carries no such workload.
 */
async function scenarioMeasurements(
  ctx: TrialContext,
  m: { run: Load['run']; samples: RequestSample[] | null; dbPath: string; targetExited: boolean; integrity: IntegrityResult | null },
  measure: <T>(name: string, fn: () => Promise<T>) => Promise<T | null>,
): Promise<NonNullable<Collected['workload']> | null> {
  const carried = ctx.scenarioWorkload?.workload;
  if (!carried || ctx.scenario === null) return null;
  // The drivers count the imports' acknowledged entries by the target's own field (a description's importedField).
  const countedField = scenarioMapping(ctx.target.description).requests.import.importedField ?? null;
  const { answers, acknowledged } = answersAsScenario(carried, ctx.scenario, { summary: m.run.summary, samples: m.samples }, countedField);
  // A trial cut short judges none of it: its stop path is not made longer by a count nobody reads.
  const counted = !m.targetExited && !ctx.signal.aborted;
  const noLoss = counted
    ? await measure("count what the scenario workload's acknowledged requests stored", () => Promise.resolve(ctx.checks.noLoss(carried, { dbPath: m.dbPath, options: ctx.options, integrity: m.integrity })))
    : null;
  return { answers, noLoss, run: loadSpan(m.run), acknowledged };
}

async function stopStack(_ctx: TrialContext, started: readonly Started[]): Promise<{ notes: ProfileNote[] }> {
  const notes: ProfileNote[] = [];
  await Promise.all(
    started.map(async (piece) => {
      switch (piece.kind) {
        case 'observation':
          // Stopping twice returns the first outcome: after collect this only makes sure it ended.
          return piece.observation.stop();
        case 'writers':
          // Stopping twice returns the first result; after collect this only closes what is left.
          return piece.writers.stop({ drain: false }).catch(() => undefined);
        case 'target': {
          const exit = await piece.target.stop();
          if (exit.code !== 0 && exit.code !== null && piece.exit.reason === undefined) notes.push({ code: 'target-exit-on-stop', exitCode: exit.code });
          return;
        }
        case 'database':
          return;
      }
    }),
  );
  // Once everything that had it open has stopped.
  for (const piece of started) if (piece.kind === 'database') await removeDatabase(piece.path).catch(() => undefined);
  return { notes };
}

export const realPhases: TrialPhases = { startStack, driveLoad, collect, stopStack };

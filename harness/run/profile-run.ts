/**
 * One profile, in DESIGN.md's phases: fresh DB file -> target -> smoke check -> workflow writers ->
 * lock observer -> k6 -> stop the observer -> stop writers -> target lock statistics -> integrity check
 * -> criteria. The observer, the target and the writers are stopped in `finally`, whatever happened.
 */
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { evaluateCriteria, type Criterion } from '../criteria.ts';
import { checkIntegrity, summarizeImportJobs } from '../integrity/integrity.ts';
import type { LogLevel } from '../../target/options.ts';
import { profileArgs, profileFlagRecord, type ProfileDefinition } from '../profiles.ts';
import type { IntegrityResult, ProfileResult, ProfileStatus, TargetLockStats, WorkflowWriterResult, WriteSample } from '../results.ts';
import { startTarget, type RunningTarget } from '../target-process/target-process.ts';
import { startWorkflowWriters, type WorkflowWriterHandle } from '../workflow-writers/writers.ts';
import { k6RanToCompletion, runK6, type K6RunResult } from './k6-process.ts';
import { readRequestSamples, type RequestSample } from './k6-samples.ts';
import { importWindowFigures, measurementNotes, NO_MEASUREMENTS, profileMetrics, type ProfileMeasurements } from './metrics.ts';
import { observedLocks, observedSpansFile, type HolderPids } from './observed-locks.ts';
import { startLockObservation, type LockObservation, type ObservationOutcome, type StartLockObserver } from './observer.ts';
import type { RunOptions } from './options.ts';
import type { Progress } from './progress.ts';
import { criteriaFor, SCENARIO_DEFINITIONS } from './scenarios.ts';
import { getLockStats, smokeCheck } from './target-api.ts';

export interface ProfileRunContext {
  options: RunOptions;
  profile: ProfileDefinition;
  gated: boolean;
  criteria: readonly Criterion[];
  k6Path: string;
  /** The run's report folder: k6 summaries, logs and spans go here. */
  runDir: string;
  /** A scratch folder for the database files. */
  workDir: string;
  progress: Progress;
  /** Aborted on Ctrl-C / SIGTERM. */
  signal: AbortSignal;
  /** Starts the external lock observer; default the real one (a process of its own). */
  startObserver?: StartLockObserver;
}

/** The target log level: info keeps one line per request out of the log while still saying what it runs. */
const TARGET_LOG_LEVEL: LogLevel = 'info';

/** The database file and the WAL and shared-memory files SQLite keeps beside it. */
const DB_FILE_SUFFIXES = ['', '-wal', '-shm'] as const;

function removeDatabase(dbPath: string): Promise<unknown> {
  return Promise.all(DB_FILE_SUFFIXES.map((suffix) => rm(`${dbPath}${suffix}`, { force: true })));
}

/** A profile's result before anything was measured; also what a profile that never ran reports. */
export function emptyProfileResult(name: string, gated: boolean, flags: Record<string, string>): ProfileResult {
  return {
    name,
    gated,
    status: 'completed',
    config: { flags, target: null },
    metrics: profileMetrics(NO_MEASUREMENTS),
    importWindow: importWindowFigures(NO_MEASUREMENTS),
    criteria: [],
    pass: false,
    notes: [],
    phases: [],
    workflowWriters: null,
    targetLocks: null,
    integrity: null,
    observed: null,
    files: { k6Summary: null, k6Log: null, k6Samples: null, targetLog: null, spans: null },
  };
}

/** Said on the console when the observer does not watch: never a silent fallback. */
function fallbackMessage(outcome: ObservationOutcome): string {
  return outcome.status === 'observed' ? 'lock observer ran' : `${outcome.reason}; lock-hold falls back to the self-reported figure`;
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export async function runProfile(ctx: ProfileRunContext): Promise<ProfileResult> {
  const { options, profile, progress } = ctx;
  const tag = `[${profile.name}]`;
  const dbPath = join(ctx.workDir, `${profile.name}.db`);
  const files = {
    k6Summary: `k6-${profile.name}.json`,
    k6Log: `k6-${profile.name}.log`,
    k6Samples: `k6-samples-${profile.name}.csv`,
    targetLog: `target-${profile.name}.log`,
    spans: `spans-${profile.name}.json`,
  };
  // The profile's flags plus the run-wide work model: what the target is started with, what results.json
  // records, and the configuration its GET /api/health must report.
  const targetOptions = { ...profile.flags, prepareMs: options.prepareMs, writeMs: options.writeMs };
  const targetFlags = profileArgs({ ...targetOptions, logLevel: TARGET_LOG_LEVEL });
  const result = emptyProfileResult(profile.name, ctx.gated, profileFlagRecord(targetOptions));

  // Stops k6 when the run is interrupted or when the target dies under it.
  const profileAbort = new AbortController();
  const onRunAbort = () => profileAbort.abort();
  ctx.signal.addEventListener('abort', onRunAbort, { once: true });
  let targetExit: string | undefined;

  async function phase<T>(name: string, fn: () => Promise<T>): Promise<T> {
    const end = progress.start(`${tag} ${name}`);
    const started = performance.now();
    try {
      const value = await fn();
      end('done');
      return value;
    } catch (err) {
      end(ctx.signal.aborted ? 'interrupted' : 'failed');
      throw err;
    } finally {
      result.phases.push({ name, durationMs: performance.now() - started });
    }
  }
  const checkNotInterrupted = () => {
    if (ctx.signal.aborted) throw new Error('interrupted');
  };

  let target: RunningTarget | undefined;
  let writers: WorkflowWriterHandle | undefined;
  let writerResult: WorkflowWriterResult | undefined;
  let k6: K6RunResult | undefined;
  let locks: TargetLockStats | undefined;
  let integrity: IntegrityResult | undefined;
  let importJobsWallMs: number | null = null;
  let requestSamples: RequestSample[] | undefined;
  let writeSamples: WriteSample[] | null = null;
  let observation: LockObservation | undefined;
  let observationOutcome: ObservationOutcome | null = null;
  let holderPids: HolderPids | undefined;
  let status: ProfileStatus = 'completed';

  try {
    await phase('fresh database', () => removeDatabase(dbPath));
    target = await phase('start target', () =>
      startTarget({
        args: targetFlags,
        dbPath,
        logFile: join(ctx.runDir, files.targetLog),
        onUnexpectedExit: (code, signal) => {
          targetExit = `the target exited during the run (code ${code}, signal ${signal})`;
          profileAbort.abort();
        },
      }),
    );
    result.files.targetLog = files.targetLog;
    progress.info(`${tag} target pid ${target.pid} at ${target.url}, database ${dbPath}`);
    checkNotInterrupted();
    const running = target;
    const health = await phase('smoke check', () =>
      smokeCheck(running.url, targetOptions, options.imports),
    );
    result.config.target = health.config;
    checkNotInterrupted();

    writers = await phase('start workflow writers', () =>
      startWorkflowWriters({
        dbPath,
        writesPerSecond: options.workflowRate,
        threads: options.writerThreads,
        maxInFlight: options.writerMaxInFlight,
        busyTimeoutMs: profile.flags.busyTimeoutMs,
      }),
    );
    checkNotInterrupted();

    // The workflow writers are worker threads of this process: their holds carry its pid.
    holderPids = { target: running.pid, workflowWriters: process.pid };
    const observing = {
      enabled: options.observer,
      dbPath,
      intervalUs: options.observerIntervalUs,
      ...(ctx.startObserver ? { start: ctx.startObserver } : {}),
    };
    observation = options.observer
      ? await phase(`start lock observer (every ${options.observerIntervalUs} us)`, () => startLockObservation(observing))
      : await startLockObservation(observing);
    if (!observation.running) {
      observationOutcome = await observation.stop();
      progress.info(`${tag} ${fallbackMessage(observationOutcome)}`);
    }
    try {
      k6 = await phase(`k6 ${options.scenario}`, () =>
        runK6({
          k6Path: ctx.k6Path,
          scenario: options.scenario,
          env: SCENARIO_DEFINITIONS[options.scenario].env(options, running.url),
          summaryPath: join(ctx.runDir, files.k6Summary),
          logFile: join(ctx.runDir, files.k6Log),
          samplesPath: join(ctx.runDir, files.k6Samples),
          signal: profileAbort.signal,
        }),
      );
    } finally {
      const running = observation;
      if (running.running) {
        observationOutcome = await phase('stop lock observer', () => running.stop());
        if (observationOutcome.status !== 'observed') progress.info(`${tag} ${fallbackMessage(observationOutcome)}`);
      }
    }
    result.files.k6Log = files.k6Log;
    if (k6.summary) result.files.k6Summary = files.k6Summary;
    if (targetExit && !ctx.signal.aborted) throw new Error(targetExit);
    if (!k6RanToCompletion(k6) && !ctx.signal.aborted) {
      throw new Error(
        `k6 did not run to completion (exit ${k6.exitCode}${k6.signal ? `, signal ${k6.signal}` : ''}); see ${files.k6Log}` +
          (k6.summaryError ? `; ${k6.summaryError}` : ''),
      );
    }

    // From here every measurement is taken even when another one failed, so an interrupted or broken
    // profile still reports all it can.
    const failures: string[] = [];
    async function measure<T>(name: string, fn: () => Promise<T>): Promise<T | undefined> {
      try {
        return await phase(name, fn);
      } catch (err) {
        failures.push(`${name}: ${errorMessage(err)}`);
        return undefined;
      }
    }
    if (!k6.summary) failures.push(k6.summaryError ?? 'k6 wrote no summary');
    requestSamples = await measure('read k6 request samples', () => readRequestSamples(join(ctx.runDir, files.k6Samples)));
    if (requestSamples) result.files.k6Samples = files.k6Samples;
    const handle = writers;
    writerResult = await measure('stop workflow writers', () => handle.stop({ drain: !ctx.signal.aborted }));
    // From the start of observing when the observer ran, so the target's own spans cover its window.
    const observedSince = observationOutcome?.status === 'observed' ? observationOutcome.result.startedAtMs : Number.POSITIVE_INFINITY;
    const locksSince = Math.min(k6.startedAtMs, observedSince);
    if (targetExit) failures.push(`collect target lock statistics: ${targetExit}`);
    else locks = await measure('collect target lock statistics', () => getLockStats(running.url, locksSince));
    const artifactsAcknowledged = k6.summary?.lockbench.imports.artifactsAcknowledged ?? null;
    integrity = await measure('integrity check', async () => {
      importJobsWallMs = summarizeImportJobs(dbPath).wallMs;
      return checkIntegrity({ dbPath, artifactsAcknowledged, writers: writerResult ?? null });
    });
    if (failures.length > 0) {
      if (!ctx.signal.aborted) throw new Error(failures.join('; '));
      result.notes.push(...failures);
    }
    if (ctx.signal.aborted) status = 'incomplete';
  } catch (err) {
    status = ctx.signal.aborted ? 'incomplete' : 'errored';
    result.error = ctx.signal.aborted ? 'interrupted' : errorMessage(err);
  } finally {
    ctx.signal.removeEventListener('abort', onRunAbort);
    const stopping: Promise<unknown>[] = [];
    // Only when something failed between starting the observer and the k6 phase's own stop.
    if (observation && observationOutcome === null) {
      stopping.push(observation.stop().then((o) => (observationOutcome = o)));
    }
    if (writers && !writerResult) {
      stopping.push(writers.stop({ drain: false }).then((r) => (writerResult = r)));
    }
    if (target) {
      const running = target;
      stopping.push(
        phase('stop target', async () => {
          const exit = await running.stop();
          if (exit.code !== 0 && exit.code !== null && !targetExit && status === 'completed') {
            result.notes.push(`the target exited with code ${exit.code} when stopped`);
          }
        }).catch(() => undefined),
      );
    }
    await Promise.all(stopping);
    await removeDatabase(dbPath).catch(() => undefined);
  }

  const writerSpans = writerResult?.spans ?? null;
  if (writerResult) {
    const { spans: _spans, samples, ...summary } = writerResult;
    writeSamples = samples;
    result.workflowWriters = summary;
  }
  if (holderPids) {
    result.observed = observedLocks({
      outcome: observationOutcome,
      intervalUs: options.observerIntervalUs,
      pids: holderPids,
      targetSpans: locks?.spans ?? null,
      writerSpans,
    });
  }
  const observedSpans = holderPids ? observedSpansFile(observationOutcome, holderPids) : null;
  if (locks || writerSpans || observedSpans) {
    // The timeline's data: each side's own spans, and the observer's labelled by holder.
    await writeFile(
      join(ctx.runDir, files.spans),
      `${JSON.stringify({ target: locks?.spans ?? [], workflowWriters: writerSpans ?? [], observed: observedSpans })}\n`,
    );
    result.files.spans = files.spans;
  }
  if (locks) {
    const { spans: _spans, ...summary } = locks;
    result.targetLocks = summary;
  }
  result.integrity = integrity ?? null;
  const measurements: ProfileMeasurements = {
    summary: k6?.summary ?? null,
    locks: result.targetLocks,
    writers: result.workflowWriters,
    integrity: result.integrity,
    importJobsWallMs,
    requestSamples: requestSamples ?? null,
    writeSamples,
    observed: result.observed,
  };
  result.metrics = profileMetrics(measurements);
  result.importWindow = importWindowFigures(measurements);
  result.notes.push(...measurementNotes(measurements));
  result.status = status;
  // Judged whatever happened: what was not measured fails with its reason, and only a completed profile can pass.
  result.criteria = evaluateCriteria(criteriaFor(options.scenario, ctx.criteria), result.metrics);
  result.pass = status === 'completed' && result.criteria.every((c) => c.pass);
  return result;
}

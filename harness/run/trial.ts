/**
 * One trial (a profile's settings, once) in named phases with one stop path:
 *   start the stack (fresh database, target, smoke check, workflow writers, lock observer)
 *   -> drive the load (the driver) -> collect the measurements -> stop the stack -> assemble the result.
 * The phases are passed in, so the orchestration and its error paths are tested without processes;
 * assembling is pure (./assemble.ts). Whatever a phase started is registered in `StackParts` as soon
 * as it runs, and `stopStack` stops exactly that, also after a failure or Ctrl-C.
 */
import { join } from 'node:path';
import type { Criterion } from '../model/criterion.ts';
import type { LoadDriver } from '../drivers/types.ts';
import type { DriverRun } from '../model/driver-run.ts';
import type { ProfileDefinition } from '../profiles.ts';
import type { TargetOptionsInput } from '../../target/options.ts';
import { TargetStartError } from '../target-process/target-process.ts';
import { BUILTIN_TARGET } from '../targets/builtin.ts';
import { databasePath } from '../targets/launch.ts';
import type { LoadedTargetDescription } from '../targets/load.ts';
import type { ProfileNote, ProfileResult, ProfileStatus } from '../results.ts';
import { assembleTrialResult, type Collected, type TrialFacts } from './assemble.ts';
import type { StartLockObserver } from './observer.ts';
import type { RunOptions } from './options.ts';
import type { Progress } from '../model/progress.ts';
import type { LoadedWorkload } from '../model/workload-plan.ts';
import { withTrialBusyTimeout } from '../workload/run.ts';
import { splitStreamSettings, withStreamSettings } from '../workload/vary.ts';
import { realPhases, type StackParts, type TrialPhases } from './stack.ts';
import { isBuiltinTarget, targetProfileSettings, typedSettings } from './target.ts';

/** One trial of a run: which settings, once. File names and reports key on `id`. */
export interface Trial {
  /** Unique in the run and safe in file names: the profile's name, or `<point>.r<repeat>` in a sweep. */
  id: string;
  /** The target description's profile the trial starts from, by name (a built-in {@link ProfileDefinition} is one). */
  profile: Pick<ProfileDefinition, 'name'>;
  /** Target settings on top of the profile's (a sweep point's `{ batchSize: 10 }`); empty for a profile as it is. */
  settings: Partial<Record<string, string | number>>;
  gated: boolean;
  /** A sweep point's figures of the workload's streams (`{ 'streams.orders.rate': 8 }`); absent otherwise. */
  streams?: Record<string, number>;
}

/** The settings that are set (a sweep point's partial record leaves some undefined). */
function definedSettings(settings: Readonly<Partial<Record<string, string | number>>>): Record<string, string | number> {
  return Object.fromEntries(Object.entries(settings).filter((e): e is [string, string | number] => e[1] !== undefined));
}

/** A trial of `target`'s profile `profile`; `settings` are checked against the description, `gated` defaults to the profile's mark. */
export function targetTrial(
  target: LoadedTargetDescription,
  trial: { id: string; profile: string; settings?: Readonly<Record<string, string | number>>; gated?: boolean },
): Trial {
  const { description } = target;
  targetProfileSettings(description, trial.profile);
  return {
    id: trial.id,
    profile: { name: trial.profile },
    settings: typedSettings(description, trial.settings ?? {}),
    gated: trial.gated ?? description.profiles[trial.profile]?.gated ?? false,
  };
}

/**
 * A sweep's trials on `target`: each planned trial (harness/compare/plan.ts) is the base profile with its
 * point's settings, e.g. `planTrials(runTarget(options), { base: 'batched', trials: plan.trials }, gated)`.
 */
export function planTrials(
  target: LoadedTargetDescription,
  plan: { base: string; trials: readonly { id: string; settings: Readonly<Partial<Record<string, string | number>>> }[] },
  gated: boolean,
): Trial[] {
  return plan.trials.map((t) => {
    // A workload's stream figures change the load, not the target.
    const { target: settings, streams } = splitStreamSettings(definedSettings(t.settings));
    const trial = targetTrial(target, { id: t.id, profile: plan.base, settings, gated });
    return Object.keys(streams).length === 0 ? trial : { ...trial, streams };
  });
}

/**
 * The settings a trial runs `target` with: its profile's, the run's (for the built-in target its work
 * model, --prepare-ms and --write-ms; then --set), then the trial's own. What the target is started
 * with and what results.json records; the built-in target's GET /api/health must report them too.
 */
export function trialSettings(
  trial: Trial,
  options: Pick<RunOptions, 'prepareMs' | 'writeMs'> & Partial<Pick<RunOptions, 'settings'>>,
  target: LoadedTargetDescription = BUILTIN_TARGET,
): Record<string, string | number> {
  const runWide: Record<string, number> = isBuiltinTarget(target) ? { prepareMs: options.prepareMs, writeMs: options.writeMs } : {};
  return { ...targetProfileSettings(target.description, trial.profile.name), ...runWide, ...(options.settings ?? {}), ...definedSettings(trial.settings) };
}

/** The built-in target's options a trial runs with (see {@link trialSettings}). */
export function trialTargetOptions(trial: Trial, options: Pick<RunOptions, 'prepareMs' | 'writeMs'> & Partial<Pick<RunOptions, 'settings'>>): TrialTargetOptions {
  return trialSettings(trial, options, BUILTIN_TARGET) as unknown as TrialTargetOptions;
}

/** A trial's target options: a profile's flags and the work model, with whatever a sweep point sets. */
export type TrialTargetOptions = ProfileDefinition['flags'] & Pick<TargetOptionsInput, 'prepareMs' | 'writeMs' | 'executor' | 'poolSize'>;

export interface TrialContext {
  options: RunOptions;
  /** The target the trial starts (or finds running), drives and checks. */
  target: LoadedTargetDescription;
  trial: Trial;
  criteria: readonly Criterion[];
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

/** The files a trial writes into the report folder, named by its id. */
export function trialFiles(id: string) {
  return {
    driverSummary: `driver-${id}.json`,
    driverLog: `driver-${id}.log`,
    samples: `samples-${id}.csv`,
    targetLog: `target-${id}.log`,
    spans: `spans-${id}.json`,
    /** A workload's answers, each classified as it was read. */
    answers: `answers-${id}.json`,
  };
}

/**
 * A trial whose target never became ready (could not be spawned, exited during start-up, or never
 * announced itself): nothing can be measured, so the run stops with no verdict. Thrown after the
 * trial's stop path ran.
 */
export class TrialStartError extends Error {
  override readonly name = 'TrialStartError';
  constructor(
    readonly trialId: string,
    readonly start: TargetStartError,
    /** The target's log in the report folder. */
    readonly logFile: string,
  ) {
    super(`[${trialId}] ${start.message}`);
  }
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export async function runTrial(given: TrialContext, phases: TrialPhases = realPhases): Promise<ProfileResult> {
  const ctx: TrialContext = given.workload
    ? { ...given, workload: withStreamSettings(withTrialBusyTimeout(given.workload, trialSettings(given.trial, given.options, given.target)), given.trial.streams ?? {}) }
    : given;
  const { trial, progress, signal } = ctx;
  const tag = `[${trial.id}]`;
  const trialDir = join(ctx.workDir, trial.id);
  const parts: StackParts = { trialDir, dbPath: databasePath(ctx.target, trialDir) };
  const timings: { name: string; durationMs: number }[] = [];
  async function phase<T>(name: string, fn: () => Promise<T>): Promise<T> {
    const end = progress.start(`${tag} ${name}`);
    const started = performance.now();
    try {
      const value = await fn();
      end('done');
      return value;
    } catch (err) {
      end(signal.aborted ? 'interrupted' : 'failed');
      throw err;
    } finally {
      timings.push({ name, durationMs: performance.now() - started });
    }
  }

  let run: DriverRun | null = null;
  let collected: Collected | null = null;
  let startFailure: TargetStartError | undefined;
  const failures: string[] = [];
  const notes: ProfileNote[] = [];
  try {
    await phase('start the stack', () =>
      phases.startStack(ctx, parts).catch((err: unknown) => {
        if (err instanceof TargetStartError && !signal.aborted) startFailure = err;
        throw err;
      }),
    );
    if (signal.aborted) throw new Error('interrupted');
    run = await phase(`drive the load (${ctx.driver.name})`, () => phases.driveLoad(ctx, parts));
    if (run.failure !== undefined) failures.push(run.failure);
    collected = await phase('collect the measurements', () => phases.collect(ctx, parts, run!));
    failures.push(...collected.failures);
  } catch (err) {
    failures.push(errorMessage(err));
  } finally {
    const stopped = await phase('stop the stack', () => phases.stopStack(ctx, parts)).catch((err: unknown): { notes: ProfileNote[] } => ({
      notes: [{ code: 'error', message: errorMessage(err) }],
    }));
    notes.push(...stopped.notes);
  }
  if (startFailure !== undefined) throw new TrialStartError(trial.id, startFailure, join(ctx.runDir, trialFiles(trial.id).targetLog));
  notes.unshift(...(parts.notes ?? []));
  if (parts.targetExit !== undefined) failures.unshift(parts.targetExit);

  const status: ProfileStatus = signal.aborted ? 'incomplete' : failures.length > 0 ? 'errored' : 'completed';
  const facts: TrialFacts = {
    id: trial.id,
    gated: trial.gated,
    scenario: ctx.options.scenario,
    flags: parts.flags ?? {},
    targetConfig: parts.health?.config ?? null,
    status,
    ...(status === 'completed' ? {} : { error: signal.aborted ? 'interrupted' : failures.join('; ') }),
    notes: status === 'incomplete' ? [...failures.map((message): ProfileNote => ({ code: 'error', message })), ...notes] : notes,
    phases: timings,
    criteria: ctx.criteria,
    observerIntervalUs: ctx.options.observerIntervalUs,
    holderPids: parts.holderPids ?? null,
    targetLog: parts.target ? trialFiles(trial.id).targetLog : null,
    ...(ctx.workload ? { workload: ctx.workload } : {}),
  };
  return assembleTrialResult(facts, run, collected);
}

/**
 * One trial (a profile's settings, once) in named phases with one stop path:
 *   start the stack (fresh database, target, smoke check, workflow writers, lock observer)
 *   -> drive the load (the driver) -> collect the measurements -> stop the stack -> assemble the result.
 * The phases are passed in, so the orchestration and its error paths are tested without processes;
 * assembling is pure (./assemble.ts). Whatever a phase started is registered in `StackParts` as soon
 * as it runs, and `stopStack` stops exactly that, also after a failure or Ctrl-C.
 */
import { join } from 'node:path';
import type { Criterion } from '../criteria.ts';
import type { DriverRun } from '../drivers/types.ts';
import { trialFiles, trialSettings } from '../plan/trials.ts';
import { TargetStartError } from '../target-process/target-process.ts';
import { databasePath } from '../targets/launch.ts';
import type { ProfileNote, ProfileResult, ProfileStatus } from '../results.ts';
import { assembleTrialResult, type Collected, type TrialFacts } from './assemble.ts';
import { withTrialBusyTimeout } from '../workload/run.ts';
import { withStreamSettings } from '../workload/vary.ts';
import { realPhases, type StackParts, type TrialContext, type TrialPhases } from './stack.ts';

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

export async function runTrial(given: TrialContext & { criteria: readonly Criterion[] }, phases: TrialPhases = realPhases): Promise<ProfileResult> {
  const ctx = given.workload
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

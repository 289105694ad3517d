/**
 * One trial (a profile's settings, once) in named phases with one stop path:
 *   start the stack (fresh database, target, smoke check, workflow writers, lock observer)
 *   -> drive the load (the driver) -> collect the measurements -> stop the stack.
 * Each phase returns what it made and the next receives it (./phases.ts); the phases are passed in, so
 * the orchestration and its error paths are tested without processes. What the start phase reports as
 * started, the stop phase stops, also after a failure or Ctrl-C. The trial returns its record, what was
 * measured; judging it is the analysis's (harness/analyze/assemble.ts).
 */
import { join } from 'node:path';
import type { Collected, TrialFacts, TrialRecord } from '../model/trial.ts';
import { trialFiles } from '../plan/trials.ts';
import { TargetStartError } from './target-process/target-process.ts';
import type { ProfileNote, ProfileStatus } from '../model/results.ts';
import { withTrialBusyTimeout } from './workload/run.ts';
import { withStreamSettings } from '../plan/workload/vary.ts';
import type { Load, Stack, Started, TrialContext, TrialPhases } from './phases.ts';
import { realPhases } from './stack.ts';

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

/** Notes about the scenario's own measurements (workflow writes, rows per source), not a workload's. */
const SCENARIO_ONLY_NOTES: readonly ProfileNote['code'][] = ['no-workflow-write', 'no-artifacts-per-source'];

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** What the target cannot measure: the scenario's notes speak of its own streams; a workload brings its own. */
function targetNotes(ctx: TrialContext): ProfileNote[] {
  return ctx.workload ? ctx.checks.notes.filter((n) => !SCENARIO_ONLY_NOTES.includes(n.code)) : [...ctx.checks.notes];
}

/** What a trial's workload depends on: the run's (or its scenario's) and the trial's own settings. */
type WorkloadContext = Pick<TrialContext, 'workload' | 'scenarioWorkload' | 'settings' | 'trial'>;

/** The context with its workload made the trial's: the run's with its busy timeout and stream settings, else its scenario's with its busy timeout. */
function withTrialWorkload<T extends WorkloadContext>(given: T): T {
  return given.workload
    ? { ...given, workload: withStreamSettings(withTrialBusyTimeout(given.workload, given.settings), given.trial.streams ?? {}) }
    : given.scenarioWorkload
      ? { ...given, scenarioWorkload: withTrialBusyTimeout(given.scenarioWorkload, given.settings) }
      : given;
}

/**
 * The workload that judges the trial: the run's, else the one its scenario carries. Here alone the trial
 * knows whether a workload file was its load, and says so for the analysis: such a trial has none of the
 * scenario's own figures.
 */
function judgingWorkload(ctx: WorkloadContext): Pick<TrialFacts, 'workload' | 'workloadFrom'> {
  return ctx.workload
    ? { workload: ctx.workload, workloadFrom: 'file' }
    : ctx.scenarioWorkload
      ? { workload: ctx.scenarioWorkload, workloadFrom: 'scenario' }
      : {};
}

/**
 * The facts of a trial that never started: the run was interrupted before its turn. It carries its
 * workload as any trial does, so its criteria are reported, none judged.
 */
export function notRunFacts(given: Pick<TrialContext, 'options' | 'flags'> & WorkloadContext, reason: string): TrialFacts {
  const ctx = withTrialWorkload(given);
  return {
    id: ctx.trial.id,
    gated: ctx.trial.gated,
    scenario: ctx.options.scenario,
    flags: ctx.flags,
    targetConfig: null,
    status: 'not-run',
    error: reason,
    notes: [],
    phases: [],
    observerIntervalUs: ctx.options.observerIntervalUs,
    holderPids: null,
    targetLog: null,
    ...judgingWorkload(ctx),
  };
}

export async function runTrial(given: TrialContext, phases: TrialPhases = realPhases): Promise<TrialRecord> {
  const ctx = withTrialWorkload(given);
  const { trial, progress, signal } = ctx;
  const tag = `[${trial.id}]`;
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

  const started: Started[] = [];
  let stack: Stack | null = null;
  let load: Load | null = null;
  let collected: Collected | null = null;
  let startFailure: TargetStartError | undefined;
  const failures: string[] = [];
  const notes: ProfileNote[] = [];
  try {
    const up = await phase('start the stack', () =>
      phases.startStack(ctx, (piece) => started.push(piece)).catch((err: unknown) => {
        if (err instanceof TargetStartError && !signal.aborted) startFailure = err;
        throw err;
      }),
    );
    stack = up;
    if (signal.aborted) throw new Error('interrupted');
    const driven = await phase(`drive the load (${ctx.driver.name})`, () => phases.driveLoad(ctx, up));
    load = driven;
    if (driven.run.failure !== undefined) failures.push(driven.run.failure);
    collected = await phase('collect the measurements', () => phases.collect(ctx, up, driven));
    failures.push(...collected.failures);
  } catch (err) {
    failures.push(errorMessage(err));
  } finally {
    const stopped = await phase('stop the stack', () => phases.stopStack(ctx, started)).catch((err: unknown): { notes: ProfileNote[] } => ({
      notes: [{ code: 'error', message: errorMessage(err) }],
    }));
    notes.push(...stopped.notes);
  }
  if (startFailure !== undefined) throw new TrialStartError(trial.id, startFailure, join(ctx.runDir, trialFiles(trial.id).targetLog));
  notes.unshift(...targetNotes(ctx));
  const startedTarget = started.find((p) => p.kind === 'target');
  const targetExit = startedTarget?.exit.reason;
  if (targetExit !== undefined) failures.unshift(targetExit);

  const status: ProfileStatus = signal.aborted ? 'incomplete' : failures.length > 0 ? 'errored' : 'completed';
  const facts: TrialFacts = {
    id: trial.id,
    gated: trial.gated,
    scenario: ctx.options.scenario,
    flags: ctx.flags,
    targetConfig: stack?.account.config ?? null,
    status,
    ...(status === 'completed' ? {} : { error: signal.aborted ? 'interrupted' : failures.join('; ') }),
    notes: status === 'incomplete' ? [...failures.map((message): ProfileNote => ({ code: 'error', message })), ...notes] : notes,
    phases: timings,
    observerIntervalUs: ctx.options.observerIntervalUs,
    holderPids: stack?.holderPids ?? null,
    targetLog: startedTarget ? trialFiles(trial.id).targetLog : null,
    ...judgingWorkload(ctx),
  };
  return { facts, run: load?.run ?? null, collected };
}

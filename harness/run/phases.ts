/**
 * A trial's phases and what each returns: start the stack -> drive the load -> collect the measurements
 * -> stop the stack. Each phase receives what the one before made. Whatever the start phase starts it
 * reports as soon as it runs, so the stop phase stops exactly that, also when the start fails part-way,
 * a later phase fails, or the run is interrupted.
 */
import type { LoadDriver } from './drivers/types.ts';
import type { Collected } from '../model/trial.ts';
import type { DriverRun } from '../model/driver-run.ts';
import type { HolderPids, ObservationOutcome } from '../model/observation.ts';
import type { JournalMode } from '../model/lock-observation.ts';
import type { Trial } from '../plan/trials.ts';
import type { ProfileNote, RequestSample, ResourceSample } from '../model/results.ts';
import type { RunningTarget } from './target-process/target-process.ts';
import type { PlannedTarget } from '../plan/target.ts';
import type { WorkflowWriterHandle } from './workflow-writers/writers.ts';
import type { LoadedWorkload } from '../model/workload-plan.ts';
import type { LockObservation, StartLockObserver } from './observer.ts';
import type { RunOptions } from '../plan/options.ts';
import type { Progress } from '../model/progress.ts';
import type { SettingsProcess } from '../plan/launch-plan.ts';
import type { PlannedWriters } from '../plan/run.ts';
import type { ScenarioDescription } from '../../scenarios/lib/scenario.ts';
import type { TargetAccount, TargetChecks, TrialSettings } from './target-checks.ts';

export interface TrialContext {
  options: RunOptions;
  /** The target the trial starts (or finds running), drives and checks, with its kind as the plan decided it. */
  target: PlannedTarget;
  /** What the run checks on that target, chosen once for the run. */
  checks: TargetChecks;
  trial: Trial;
  /** The settings the trial runs the target with, as planned: its profile's, the run's, its own. */
  settings: TrialSettings;
  /** Those settings as the target's process takes them, as planned. */
  processSettings: SettingsProcess;
  /** The scenario's workflow writers as planned; null when the workload's SQL streams are the side writers. */
  writers: PlannedWriters | null;
  /** Those settings as results.json records them, as planned. */
  flags: Record<string, string>;
  /** The description the driver runs, as planned; null when the workload is the load. */
  scenario: ScenarioDescription | null;
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
  /**
   * The workload the planned scenario carries (the seed, the smoke check's, the soak's): not the load, which `scenario` and
   * `writers` are, but what the trial's measurements are also judged by (harness/plan/run.ts PlannedTrial).
   */
  scenarioWorkload?: LoadedWorkload | null;
  /** The observer's spans as the spans file holds them, each labelled with its holder (see {@link LabelObservedSpans}). */
  labelObservedSpans: LabelObservedSpans;
}

/**
 * Labels the observer's spans with their holders (and the target's write holds with the requests in
 * flight) for the spans file: analysis, which the run is given rather than imports. Null when nothing was observed.
 */
export type LabelObservedSpans = (outcome: ObservationOutcome, pids: HolderPids, requests: readonly RequestSample[] | null) => unknown;

/** The target exiting without being asked to: the first reason is kept, and the load under it is aborted. */
export class TargetExitWatch {
  #reason: string | undefined;
  readonly #abort = new AbortController();

  /** Why the target exited, once it did. */
  get reason(): string | undefined {
    return this.#reason;
  }

  /** Aborted when the target exits. */
  get signal(): AbortSignal {
    return this.#abort.signal;
  }

  exited(reason: string): void {
    this.#reason ??= reason;
    this.#abort.abort();
  }
}

/** A piece of the stack, reported by the start phase as soon as it runs, so that the stop phase stops it. */
export type Started =
  /** The trial's own database file (under its folder): made fresh before the target starts, removed after. */
  | { kind: 'database'; path: string }
  | { kind: 'target'; target: RunningTarget; exit: TargetExitWatch }
  | { kind: 'writers'; writers: WorkflowWriterHandle }
  | { kind: 'observation'; observation: LockObservation };

/** The stack a trial's load runs against, once every piece has started. */
export interface Stack {
  dbPath: string;
  /** Where the target answers: the started target's URL, or a running target's. */
  baseUrl: string;
  /** What the target said about itself when checked. */
  account: TargetAccount;
  holderPids: HolderPids;
  /** The journal mode once the target was up, before anything of lockbench's opened the database. */
  journalModeBefore: JournalMode;
  /** The target lockbench started; null for a target found running. */
  target: RunningTarget | null;
  /** Fires when the started target exits without being asked to; never for a running target. */
  exit: TargetExitWatch;
  /** Null when the workflow writers do not run on this target. */
  writers: WorkflowWriterHandle | null;
  /** Running, or already settled (off, or it could not start). */
  observation: LockObservation;
}

/** The load as the driver ran it, and the target's memory and the WAL over it. */
export interface Load {
  run: DriverRun;
  resources: ResourceSample[];
}

export interface TrialPhases {
  /** Reports each piece to `started` as soon as it runs; returns the stack once all have started. */
  startStack(ctx: TrialContext, started: (piece: Started) => void): Promise<Stack>;
  driveLoad(ctx: TrialContext, stack: Stack): Promise<Load>;
  /** Never throws: what cannot be measured is listed in `failures`. */
  collect(ctx: TrialContext, stack: Stack, load: Load): Promise<Collected>;
  /** Stops what was started (the pieces the start phase reported); notes what a reader should know. */
  stopStack(ctx: TrialContext, started: readonly Started[]): Promise<{ notes: ProfileNote[] }>;
}

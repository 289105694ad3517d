/**
 * What one trial measured, as the run returns it and the analysis reads it: the driver's run, what the
 * collect phase gathered (samples, spans, writer results, resources, the observation) and the facts the
 * orchestration knows beside them. Plain data: the run fills it, harness/analyze/assemble.ts judges it.
 */
import type { JournalMode } from './lock-observation.ts';
import type { IntegrityResult, ProfileNote, ProfileStatus, RequestSample, ResourceSample, ScenarioName, TargetLockStats, WorkflowWriterResult } from './results.ts';
import type { NoLossCount, WorkloadSample } from './workload-samples.ts';
import type { LoadedWorkload } from './workload-plan.ts';
import type { DriverRun } from './driver-run.ts';
import type { HolderPids, ObservationOutcome } from './observation.ts';

/** What the collect phase measured; null where it could not. */
export interface Collected {
  observation: ObservationOutcome | null;
  samples: RequestSample[] | null;
  writers: WorkflowWriterResult | null;
  locks: TargetLockStats | null;
  /** False when the target offers no lock figures of its own (no `locks` in its description). Default true. */
  targetReportsLocks?: boolean;
  integrity: IntegrityResult | null;
  importJobsWallMs: number | null;
  /** The lock spans file written into the report folder. */
  spansFile: string | null;
  /** The target's memory and the WAL over the load. */
  resources: ResourceSample[] | null;
  /** The journal mode before the side writers and the observer started, and after the load and the checks. */
  journalMode?: { before: JournalMode; after: JournalMode } | null;
  failures: string[];
  /**
   * A workload's classified answers (null when not read), its no-loss counts and the load's span. For the
   * seed workload, `acknowledged` holds by stream what the driver counted as acknowledged, which the
   * recorded request samples (no bodies) cannot say per answer.
   */
  workload?: {
    answers: WorkloadSample[] | null;
    noLoss: Record<string, NoLossCount> | null;
    run: { startMs: number; endMs: number };
    acknowledged?: Readonly<Record<string, number>>;
  };
}

/** What the orchestration knows about the trial beside the measurements. */
export interface TrialFacts {
  id: string;
  gated: boolean;
  scenario: ScenarioName;
  flags: Record<string, string>;
  targetConfig: Record<string, unknown> | null;
  status: ProfileStatus;
  error?: string;
  notes: ProfileNote[];
  phases: { name: string; durationMs: number }[];
  observerIntervalUs: number;
  holderPids: HolderPids | null;
  /** The target's log file in the report folder, once it was started. */
  targetLog: string | null;
  /**
   * The trial's workload (its busy timeout and stream figures set), whose criteria alone judge the trial:
   * the run's workload file, or the one its scenario (or described target) was built from. Every planned
   * trial has one; the analysis refuses a trial without.
   */
  workload?: LoadedWorkload;
  /**
   * Where `workload` came from: `file`, the run's workload file, which was the trial's load (its streams
   * sent, its SQL streams written); `scenario`, the one the trial's scenario carries beside the scenario's own
   * load. Only a scenario's trial measures the scenario's figures (its metrics, import window, imports and
   * workflow writers); absent: `scenario`, as every trial was before workload files.
   */
  workloadFrom?: 'file' | 'scenario';
}

/** One trial as the run returns it: null where a phase never ran (a trial that failed to start has no load). */
export interface TrialRecord {
  facts: TrialFacts;
  run: DriverRun | null;
  collected: Collected | null;
}

/**
 * What one trial measured, as the run returns it and the analysis reads it: the driver's run, what the
 * collect phase gathered (samples, spans, writer results, resources, the observation) and the facts the
 * orchestration knows beside them. Plain data: the run fills it, harness/run/assemble.ts judges it.
 */
import type { LockbenchSummary } from '../../scenarios/lib/contract.ts';
import type { JournalMode, ObserveResult } from '../observe/types.ts';
import type { IntegrityResult, ProfileNote, ProfileStatus, RequestSample, ResourceSample, ScenarioName, TargetLockStats, WorkflowWriterResult } from '../results.ts';
import type { NoLossCount, WorkloadSample } from '../workload/evaluate.ts';
import type { LoadedWorkload } from '../workload/load.ts';

/** How a driver run ended. */
export interface DriverRun {
  /** The scenario ran to its end (not aborted, the driver did not fail). */
  completed: boolean;
  aborted: boolean;
  /** Why the driver failed, when it did. */
  failure?: string;
  /** Epoch ms when the load began. */
  startedAtMs: number;
  durationMs: number;
  /** Per-run figures (imports, latency per stream, request success); null when the driver wrote none. */
  summary: LockbenchSummary | null;
  /** Files written, relative names are the caller's business: absolute paths or null. */
  files: { summary: string | null; log: string | null; samples: string | null };
}

/** What one observation came to. */
export type ObservationOutcome =
  | { status: 'observed'; result: ObserveResult; observerPid: number }
  /** off: `--no-observer`; unavailable: it could not start here; failed: it started but returned nothing. */
  | { status: 'off' | 'unavailable' | 'failed'; reason: string };

/** The pids the holds are attributed by. */
export interface HolderPids {
  /**
   * The target's process: the one lockbench started (or `--target-pid` of a running target). It and every
   * process descended from it (a forking server's workers, a shell's child) are the target.
   */
  target: number;
  /** The process whose worker threads are the workflow writers (the harness). */
  workflowWriters: number;
}

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
  /** A workload's classified answers (null when not read), its no-loss counts and the load's span. */
  workload?: { answers: WorkloadSample[] | null; noLoss: Record<string, NoLossCount> | null; run: { startMs: number; endMs: number } };
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
  /** The trial's workload (its busy timeout and stream figures set), whose criteria then judge the trial. */
  workload?: LoadedWorkload;
}

/** One trial as the run returns it: null where a phase never ran (a trial that failed to start has no load). */
export interface TrialRecord {
  facts: TrialFacts;
  run: DriverRun | null;
  collected: Collected | null;
}

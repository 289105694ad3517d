/**
 * A load driver carries out a scenario description against a running target: lockbench's own
 * open-model driver (builtin) or the user's k6. Both write the same samples file and the same summary,
 * so the criteria mean the same thing whichever ran.
 */
import type { ScenarioDescription } from '../../../scenarios/lib/scenario.ts';
import type { LoadedTargetDescription } from '../../plan/targets/load.ts';
import type { DriverInfo, DriverName } from '../../model/results.ts';
import type { DriverRun } from '../../model/driver-run.ts';
import type { Workload } from '../../model/workload-plan.ts';

/** How a driver run ended: the trial record's type (harness/model/trial.ts). */

/** Counts while a run goes on, for the progress line. */
export interface DriverProgress {
  /** Requests answered (or failed) so far, per stream. */
  done: Record<string, number>;
  inFlight: number;
  dropped: number;
}

export interface DriverRunInput {
  description: ScenarioDescription;
  /**
   * The k6 scripts take their settings from the environment: the same values the description was built
   * from. Given only to a driver whose registry entry reads it (harness/plan/drivers.ts `readsEnv`) and
   * only without a workload, whose script is given the target alone.
   */
  env?: Record<string, string>;
  baseUrl: string;
  /**
   * A foreign target's description: each request is mapped onto its routes and judged by its statuses.
   * Absent for the built-in target, whose routes and import answers the scenarios know themselves.
   */
  target?: LoadedTargetDescription;
  /** A workload whose request streams the description names: requests rendered from its templates, answers classified by its rules. */
  workload?: Workload;
  /** With a workload: where each answer's classified record goes (JSON). */
  answersPath?: string;
  /** Where the driver-neutral samples file goes. */
  samplesPath: string;
  /** Where the driver's own summary (JSON) goes. */
  summaryPath: string;
  /** Where the driver's output goes. */
  logPath: string;
  /** Aborting stops the load: no new requests, in-flight ones cancelled; what was measured is still written. */
  signal: AbortSignal;
  onProgress?: (progress: DriverProgress) => void;
  /**
   * Called once when the load's timeline begins, with its t0 (epoch ms): what runs beside the load on
   * the same timeline (a workload's SQL streams) starts from it. A driver that cannot tell never calls it.
   */
  onStart?: (startedAtMs: number) => void;
  /**
   * Called once per stream when its end is known (epoch ms): the built-in driver, when its last iteration has
   * answered; k6, when its end is worked out before the run, or when the iterations it is followed by are done.
   * What ends after a stream beside the load (a workload's SQL stream with `endsAfter`) stops from it.
   */
  onStreamEnd?: (stream: string, endedAtMs: number) => void;
}

/** Thrown by `prepare` when the driver cannot run here (k6 asked for but missing); the run exits 3. */
export class DriverUnavailableError extends Error {
  override readonly name = 'DriverUnavailableError';
}

export interface LoadDriver {
  readonly name: DriverName;
  /** Finds what the driver needs and says which version will measure. */
  prepare(): Promise<DriverInfo>;
  run(input: DriverRunInput): Promise<DriverRun>;
}

/** Messages between the built-in driver and its thread. */
import type { MessagePort } from 'node:worker_threads';
import type { LockbenchSummary } from '../../../../scenarios/lib/contract.ts';
import type { ScenarioDescription } from '../../../../scenarios/lib/scenario.ts';
import type { LoadedTargetDescription } from '../../../plan/targets/load.ts';
import type { Workload } from '../../../model/workload-plan.ts';
import type { DriverProgress } from '../types.ts';

export interface BuiltinTask {
  description: ScenarioDescription;
  baseUrl: string;
  /** A foreign target's description, whose routes the thread loads; absent for the built-in target. */
  target?: LoadedTargetDescription;
  /** A workload whose streams the description names, and where its classified answers go. */
  workload?: { workload: Workload; answersPath: string };
  samplesPath: string;
  summaryPath: string;
  /** Progress goes out, an abort comes in. */
  port: MessagePort;
}

export type BuiltinTaskResult =
  | { ok: true; summary: LockbenchSummary; startedAtMs: number; endedAtMs: number; aborted: boolean }
  | { ok: false; message: string };

/** From the thread to the driver. */
export type WorkerMessage =
  | { type: 'progress'; progress: DriverProgress }
  | { type: 'started'; startedAtMs: number }
  | { type: 'stream-ended'; stream: string; endedAtMs: number };

/** From the driver to the thread. */
export type ParentMessage = { type: 'abort' };

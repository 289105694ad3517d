/**
 * A run's plan, made once before anything starts: the resolved options, the target description loaded
 * once, the workload loaded once, and the trials with the settings each runs the target with. The run
 * executes it; nothing below loads the target or merges a profile's settings again.
 */
import type { RunOptions } from './options.ts';
import type { LoadedTargetDescription } from './targets/load.ts';
import type { LoadedWorkload } from '../model/workload-plan.ts';
import { profileTrials, trialSettings, type Trial } from './trials.ts';
import { plannedTarget, type PlannedTarget } from './target.ts';

/** A trial with the settings it runs the target with: its profile's, the run's, then its own. */
export interface PlannedTrial {
  trial: Trial;
  settings: Readonly<Record<string, string | number>>;
}

export interface RunPlan {
  options: RunOptions;
  /** The target `options.target` names (the built-in target when null), loaded once, its kind decided. */
  target: PlannedTarget;
  /** The run's workload, loaded and checked once; null for the scenario's own load. */
  workload: LoadedWorkload | null;
  trials: readonly PlannedTrial[];
}

/** The plan of a run: `trials` (a sweep's), by default each of `options.profiles` once. */
export function planRun(input: { options: RunOptions; target: LoadedTargetDescription; workload?: LoadedWorkload | null; trials?: readonly Trial[] }): RunPlan {
  const { options, target } = input;
  const trials = input.trials ?? profileTrials(options, target);
  return {
    options,
    target: plannedTarget(target),
    workload: input.workload ?? null,
    trials: trials.map((trial) => ({ trial, settings: trialSettings(trial, options, target) })),
  };
}

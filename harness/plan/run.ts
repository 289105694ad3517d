/**
 * A run's plan, made once before anything starts: the resolved options, the target description loaded
 * once, the workload loaded once, and the trials with the settings each runs the target with. The run
 * executes it; nothing below loads the target or merges a profile's settings again.
 */
import type { RunOptions } from './options.ts';
import type { LoadedTargetDescription } from './targets/load.ts';
import { scenarioMapping } from './targets/schema.ts';
import type { LoadedWorkload } from '../model/workload-plan.ts';
import { profileTrials, trialSettings, type Trial } from './trials.ts';
import { plannedTarget, settingsRecord, type PlannedTarget } from './target.ts';
import { SCENARIO_DEFINITIONS } from './scenarios.ts';
import { settingsToProcess, type SettingsProcess } from './launch-plan.ts';
import { planWorkflowWriters, type PlannedWriterOptions } from './workflow-writers.ts';
import { describedWorkload } from './described-workload.ts';

/** How a trial's workflow writers write, resolved before anything starts, or why they do not run. */
export type PlannedWriters = { run: true; options: PlannedWriterOptions } | { run: false; reason: string };
import type { ScenarioDescription } from '../../scenarios/lib/scenario.ts';

/** A trial with the settings it runs the target with: its profile's, the run's, then its own. */
export interface PlannedTrial {
  trial: Trial;
  settings: Readonly<Record<string, string | number>>;
  /** Those settings as the target's process takes them: its environment and arguments. */
  processSettings: SettingsProcess;
  /** Those settings as results.json records them (a profile's `flags`). */
  flags: Record<string, string>;
  /**
   * The description the driver runs: the scenario's, from the run's options and the catalog entries the
   * target seeds. Null when the run's workload is the load: its streams are described as the trial runs them.
   */
  scenario: ScenarioDescription | null;
  /** The scenario's workflow writers on this target with these settings; null when the workload's SQL streams are the side writers. */
  writers: PlannedWriters | null;
  /**
   * The workload the scenario carries (the seed's, scenarios/concurrent.workload.json, or the smoke check's
   * or the soak's file, with the run's flags set on it; on a described target adapted to its description:
   * ./described-workload.ts), whose criteria alone judge the trial over what it measured; the driver still
   * runs `scenario`. Null only when a workload file is the load.
   */
  scenarioWorkload: LoadedWorkload | null;
}

export interface RunPlan {
  options: RunOptions;
  /** The target `options.target` names (the built-in target when null), loaded once, its kind decided. */
  target: PlannedTarget;
  /** The run's workload, loaded and checked once; null for the scenario's own load. */
  workload: LoadedWorkload | null;
  trials: readonly PlannedTrial[];
}

/** The scenario's workflow writers: lockbench's own executions and steps, or the description's `sql.workflowWrite`. */
function scenarioWriters(target: PlannedTarget, settings: Readonly<Record<string, string | number>>, options: RunOptions): PlannedWriters {
  const { workflowWrite } = target.description.sql;
  if (target.kind === 'described' && workflowWrite === undefined) return { run: false, reason: 'the target description has no sql.workflowWrite' };
  // The target's own busy timeout, when it is a setting by that name: the writers wait as long as the target does.
  const busyTimeoutMs = settings.busyTimeoutMs;
  // Checkpoints off holds for every connection that commits, the writers' too.
  const walAutocheckpoint = settings.walAutocheckpoint;
  return {
    run: true,
    options: planWorkflowWriters({
      writesPerSecond: options.workflowRate,
      threads: options.writerThreads,
      maxInFlight: options.writerMaxInFlight,
      sqlWrite: target.kind === 'builtin' ? null : (workflowWrite?.statements ?? null),
      ...(typeof busyTimeoutMs === 'number' ? { busyTimeoutMs } : {}),
      ...(typeof walAutocheckpoint === 'number' ? { walAutocheckpoint } : {}),
    }),
  };
}

/** The workload a scenario carries on this target: the scenario's own on the built-in target, adapted to a described one. */
function carriedWorkload(target: PlannedTarget, carried: LoadedWorkload, scenario: ScenarioDescription): LoadedWorkload {
  return target.kind === 'builtin' ? carried : describedWorkload(carried, target, scenario);
}

/** The plan of a run: `trials` (a sweep's), by default each of `options.profiles` once. */
export function planRun(input: { options: RunOptions; target: LoadedTargetDescription; workload?: LoadedWorkload | null; trials?: readonly Trial[] }): RunPlan {
  const { options, target } = input;
  const trials = input.trials ?? profileTrials(options, target);
  const workload = input.workload ?? null;
  const definition = SCENARIO_DEFINITIONS[options.scenario];
  const planned = plannedTarget(target);
  // Only the scenario addresses the seeded catalog entries; a workload's streams say what they address.
  const catalogEntries = workload === null ? scenarioMapping(target.description).seeded.catalogEntries : 0;
  const scenarioWorkload = workload === null ? carriedWorkload(planned, definition.workload(options, catalogEntries), definition.describe(options, catalogEntries)) : null;
  return {
    options,
    target: planned,
    workload,
    trials: trials.map((trial) => {
      const settings = trialSettings(trial, options, target);
      return {
        trial,
        settings,
        processSettings: settingsToProcess(target.description, settings),
        flags: settingsRecord(planned, settings),
        scenario: workload === null ? definition.describe(options, catalogEntries) : null,
        writers: workload === null ? scenarioWriters(planned, settings, options) : null,
        scenarioWorkload,
      };
    }),
  };
}

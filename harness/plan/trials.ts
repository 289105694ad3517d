/**
 * A run's trials, planned before anything starts: which profile each starts from, the settings it runs
 * the target with (the profile's, then the run's, then its own) and the files it writes. Pure: the run
 * executes these, the sweep's estimate and the model read them.
 */
import type { ProfileDefinition } from './profiles.ts';
import type { TargetOptionsInput } from '../../target/options.ts';
import { BUILTIN_TARGET } from './targets/builtin.ts';
import type { LoadedTargetDescription } from './targets/load.ts';
import { RunOptionError, type RunOptions } from './options.ts';
import { isBuiltinTarget, targetProfileNames, targetProfileSettings, typedSettings } from './target.ts';
import { splitStreamSettings } from './workload/vary.ts';

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

/** The trials of a `scenario:concurrent` run: each of the target's profiles it names once, in order. */
export function profileTrials(options: Pick<RunOptions, 'profiles' | 'gated'>, target: LoadedTargetDescription): Trial[] {
  const known = targetProfileNames(target.description);
  return options.profiles.map((name) => {
    if (!known.includes(name)) throw new RunOptionError('--profiles', `unknown profile ${name}; ${target.description.name} has ${known.join(', ')}`);
    return targetTrial(target, { id: name, profile: name, gated: options.gated.includes(name) });
  });
}

/**
 * A sweep's trials on `target`: each planned trial (harness/plan/sweep.ts) is the base profile with its
 * point's settings, e.g. `planTrials(target, { base: 'batched', trials: plan.trials }, gated)`.
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
  options: Pick<RunOptions, 'prepareMs' | 'writeMs' | 'settings'>,
  target: LoadedTargetDescription = BUILTIN_TARGET,
): Record<string, string | number> {
  const runWide: Record<string, number> = isBuiltinTarget(target) ? { prepareMs: options.prepareMs, writeMs: options.writeMs } : {};
  return { ...targetProfileSettings(target.description, trial.profile.name), ...runWide, ...options.settings, ...definedSettings(trial.settings) };
}

/** The built-in target's options a trial runs with (see {@link trialSettings}). */
export function trialTargetOptions(trial: Trial, options: Pick<RunOptions, 'prepareMs' | 'writeMs' | 'settings'>): TrialTargetOptions {
  return builtinTargetOptions(trialSettings(trial, options, BUILTIN_TARGET));
}

/** Settings of the built-in target, merged by {@link trialSettings}, as its options: its description checked each name and value. */
export function builtinTargetOptions(settings: Readonly<Record<string, string | number>>): TrialTargetOptions {
  return settings as unknown as TrialTargetOptions;
}

/** A trial's target options: a profile's flags and the work model, with whatever a sweep point sets. */
export type TrialTargetOptions = ProfileDefinition['flags'] & Pick<TargetOptionsInput, 'prepareMs' | 'writeMs' | 'executor' | 'poolSize'>;

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

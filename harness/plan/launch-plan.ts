/**
 * What a trial's target is started with, decided before anything starts: the shapes of a launch plan
 * and the description's settings checked and chosen by profile. harness/run/launch.ts (run) fills
 * and starts them.
 */
import { settingValueProblem, type TargetDescription } from './targets/schema.ts';

/** Values for a description's named settings, e.g. `{ batchSize: 10, importMode: 'batched' }`. */
export type SettingValues = Readonly<Record<string, string | number>>;

export type ReadyCheck = { kind: 'line'; pattern: RegExp; stream: 'stdout' | 'stderr' | 'any' } | { kind: 'url'; url: string };

export interface StartPlan {
  kind: 'start';
  command: string;
  args: string[];
  cwd: string;
  /** Added to the harness's own environment. */
  env: Record<string, string>;
  /** The base URL, unless the ready line's `(?<url>...)` group gives it. */
  baseUrl: string;
  ready: ReadyCheck;
  readyTimeoutMs: number;
  stopTimeoutMs: number;
  database: string;
}

export interface RunningPlan {
  kind: 'running';
  baseUrl: string;
  database: string;
}

export type LaunchPlan = StartPlan | RunningPlan;

/** The description's setting `name`, checked against `value`: an unknown name or a bad value throws, naming it. */
export function checkedSetting(description: TargetDescription, name: string, value: string | number): TargetDescription['settings'][string] {
  const setting = description.settings[name];
  if (!setting) throw new Error(`unknown setting "${name}" for target ${description.name}; known settings: ${Object.keys(description.settings).join(', ') || 'none'}`);
  const problem = settingValueProblem(setting, value);
  if (problem) throw new Error(`setting "${name}": ${problem}`);
  return setting;
}

/** The settings of one of the description's profiles. */
export function profileSettings(description: TargetDescription, profile: string): SettingValues {
  const found = description.profiles[profile];
  if (!found) throw new Error(`target ${description.name} has no profile "${profile}"; its profiles: ${Object.keys(description.profiles).join(', ') || 'none'}`);
  return found.settings;
}

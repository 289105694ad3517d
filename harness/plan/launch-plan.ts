/**
 * What a trial's target is started with, decided before anything starts: the shapes of a launch plan
 * and the description's settings checked, chosen by profile and turned into the environment and
 * arguments the target's process takes. harness/run/launch.ts (run) fills
 * and starts them.
 */
import { settingValueProblem, type TargetDescription } from './targets/schema.ts';
import { fillText } from './targets/templates.ts';

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

/** The environment variables and arguments that carry a trial's settings to the target's process. */
export interface SettingsProcess {
  env: Record<string, string>;
  args: string[];
}

/** The chosen settings as the target's process takes them; unknown names and bad values throw. */
export function settingsToProcess(description: TargetDescription, values: SettingValues): SettingsProcess {
  const env: Record<string, string> = {};
  const args: string[] = [];
  for (const [name, value] of Object.entries(values)) {
    const setting = checkedSetting(description, name, value);
    if (setting.env !== undefined) env[setting.env] = String(value);
    else args.push(...(setting.args ?? []).map((a) => fillText(a, { value })));
  }
  return { env, args };
}

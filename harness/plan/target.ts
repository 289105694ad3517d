/**
 * The target a run measures, as a target description (harness/targets): lockbench's own by default,
 * or the one `--target <file>` names. Its profiles become the run's trials; a trial's settings are the
 * profile's, then the run's, then the trial's own (a sweep point).
 */
import { BUILTIN_TARGET } from './targets/builtin.ts';
import { checkedSetting, profileSettings, type SettingValues } from './launch-plan.ts';
import { loadTargetDescription, type LoadedTargetDescription } from './targets/load.ts';
import type { TargetDescription } from './targets/schema.ts';
import { profileFlagRecord } from './profiles.ts';
import type { TargetOptionsInput } from '../../target/options.ts';
import type { TargetSummary } from '../model/results.ts';

/** The trial of a target that has no profiles (one given by `url`): it runs as it is. */
export const AS_IS_PROFILE = 'as-is';

/** The target a run's options name: the `--target` file, else the built-in target. */
export function runTarget(options: { target: string | null }): LoadedTargetDescription {
  return options.target === null ? BUILTIN_TARGET : loadTargetDescription(options.target);
}

/** Whether this is lockbench's own target, whose own routes (health config, lock figures, import_jobs) the run also reads. */
export function isBuiltinTarget(target: LoadedTargetDescription): boolean {
  return target === BUILTIN_TARGET || target.source === BUILTIN_TARGET.source;
}

/** Lockbench's own target (its own routes are read too), or one a description gives and nothing more. */
export type TargetKind = 'builtin' | 'described';

/** A loaded target as the plan hands it to the run: its kind decided here, once, for the run to read. */
export interface PlannedTarget extends LoadedTargetDescription {
  kind: TargetKind;
}

/** The target with its kind decided. */
export function plannedTarget(target: LoadedTargetDescription): PlannedTarget {
  return { ...target, kind: isBuiltinTarget(target) ? 'builtin' : 'described' };
}

/** The target as results.json records it for a run from a workload: what was started, its settings and profiles. */
export function targetSummary(target: PlannedTarget): TargetSummary {
  const { description } = target;
  return {
    name: description.name,
    source: target.source,
    kind: target.kind,
    start: description.start ? { command: description.start.command, args: description.start.args } : { url: description.url ?? '' },
    settings: Object.entries(description.settings).map(([name, s]) => ({ name, description: s.description ?? null })),
    profiles: Object.entries(description.profiles).map(([name, p]) => ({ name, summary: p.summary ?? null })),
  };
}

/**
 * A trial's settings as results.json records them: lockbench's own target by its command-line flags,
 * a described target by its settings' names, each value as text.
 */
export function settingsRecord(target: PlannedTarget, settings: Readonly<Record<string, string | number>>): Record<string, string> {
  if (target.kind === 'builtin') return profileFlagRecord(settings as TargetOptionsInput);
  return Object.fromEntries(Object.entries(settings).map(([name, value]) => [name, String(value)]));
}

/** The profiles a run of this target offers, in the description's order. */
export function targetProfileNames(description: TargetDescription): string[] {
  const names = Object.keys(description.profiles);
  return names.length === 0 ? [AS_IS_PROFILE] : names;
}

/** The profiles gated when `--gated` is not given: those the description marks `gated`. */
export function defaultGatedProfiles(description: TargetDescription): string[] {
  return Object.entries(description.profiles)
    .filter(([, p]) => p.gated)
    .map(([name]) => name);
}

/** A profile's settings; the as-is profile of a target without profiles sets none. */
export function targetProfileSettings(description: TargetDescription, profile: string): SettingValues {
  if (profile === AS_IS_PROFILE && Object.keys(description.profiles).length === 0) return {};
  return profileSettings(description, profile);
}

/**
 * Settings as the description types them: numbers for integer and number settings (as the built-in
 * target's health check reports them), text for enums. Unknown names and bad values throw, naming them.
 */
export function typedSettings(description: TargetDescription, values: Readonly<Record<string, string | number>>): Record<string, string | number> {
  const typed: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(values)) {
    const setting = checkedSetting(description, name, value);
    typed[name] = setting.type === 'enum' ? String(value) : Number(value);
  }
  return typed;
}

/** A URL whose host is this machine. */
export function isLoopbackUrl(url: string): boolean {
  const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

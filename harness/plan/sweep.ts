/**
 * The plan of a sweep: the points (one set of settings each) and the trials that measure them, built
 * from what the user asked (`--base`, `--vary`, `--batch-sizes`, `--repeat`, `--seed`). Trials are data,
 * like better-sqlite3's trials.js: the run loop, file names and reports key on trial ids.
 */
import { shuffle } from 'simple-statistics';
import { findProfile, PROFILE_NAMES } from './profiles.ts';
import { OPTION_DEFINITIONS, parseOptionText, resolveTargetOptions, type TargetOptionsInput } from '../../target/options.ts';
import { UsageError } from '../shared/usage-error.ts';
import { settingsLabel } from '../model/results.ts';
import { VARY_KEYS, type GateSpec, type PlanPoint, type PlanTrial, type PointSettings, type SweepPlan, type TrialProgress, type VaryAxis, type VaryKey } from '../model/sweep-plan.ts';

// Every key a sweep varies is an option of the built-in target.
VARY_KEYS satisfies readonly (keyof TargetOptionsInput)[];

export interface PlanInput {
  base: string;
  /** The profiles `base` may name; default the built-in target's. */
  profiles?: readonly string[];
  vary?: readonly VaryAxis[];
  /** Rounds of all points; default {@link DEFAULT_REPEAT}. */
  repeat?: number;
  /** Default: from the clock ({@link defaultSeed}). */
  seed?: number;
}

/** Rounds of every point when `--repeat` is not given. */
export const DEFAULT_REPEAT = 1;

const VARY_FLAG = '--vary';
const BATCH_SIZES_FLAG = '--batch-sizes';
const DEFINITIONS = new Map(OPTION_DEFINITIONS.map((d) => [d.key, d]));

/** A setting by its key (`batchSize`) or its target flag without dashes (`batch-size`). */
function varyKeyOf(name: string): VaryKey | undefined {
  return VARY_KEYS.find((key) => key === name || DEFINITIONS.get(key)!.flag === `--${name}`);
}

/** The settings a `--vary` may name and how a value of each is read: the built-in target's, or a description's. */
export interface VarySettings {
  /** The setting `name` names, or undefined when it names none. */
  keyOf(name: string): string | undefined;
  /** The settings there are, as the message on an unknown name lists them. */
  known: string;
  /** One value from its text; throws, saying what is wrong, on a bad one. */
  value(key: string, text: string): string | number;
}

/** The built-in target's options, by key or flag, each value checked by the target's own option rules. */
export const BUILTIN_VARY_SETTINGS: VarySettings = {
  keyOf: varyKeyOf,
  known: `settings that can vary: ${VARY_KEYS.join(', ')}`,
  value(key, text) {
    const value = parseOptionText(DEFINITIONS.get(key as VaryKey)!, text);
    resolveTargetOptions({ [key]: value });
    return value as string | number;
  },
};

/**
 * A described target's settings (harness/targets): any setting the description declares, each value
 * checked by `check` (the description's types and bounds).
 */
export function describedVarySettings(settings: readonly string[], check: (key: string, text: string) => string | number): VarySettings {
  return { keyOf: (name) => (settings.includes(name) ? name : undefined), known: `the target's settings: ${settings.join(', ')}`, value: check };
}

/** Values of `key` from `list`; `given` is what followed the flag, as messages quote it. */
function parseValues(flag: string, given: string, settings: VarySettings, key: string, list: string): (string | number)[] {
  const texts = list.split(',').map((t) => t.trim());
  if (texts.some((t) => t === '')) throw new UsageError(`${flag} ${given}: a value is empty; give values separated by commas, e.g. 1,5,10`, flag);
  const values = texts.map((text) => {
    try {
      return settings.value(key, text);
    } catch (err) {
      if (err instanceof Error) throw new UsageError(`${flag} ${given}: ${err.message}`, flag);
      throw err;
    }
  });
  // Compared as typed values: 5 and 05 are the same point, and two points with one id would collide.
  const duplicate = values.find((v, i) => values.indexOf(v) !== i);
  if (duplicate !== undefined) throw new UsageError(`${flag} ${given}: ${String(duplicate)} is given twice`, flag);
  return values;
}

/**
 * Parses one `--vary key=v1,v2,...` against `settings` (default the built-in target's); unknown keys,
 * bad values and a value given twice throw a {@link UsageError} naming the flag.
 */
export function parseVary(text: string, settings: VarySettings = BUILTIN_VARY_SETTINGS): VaryAxis {
  const equals = text.indexOf('=');
  if (equals <= 0) throw new UsageError(`${VARY_FLAG} "${text}": expected key=v1,v2,... e.g. batchSize=1,5,10`, VARY_FLAG);
  const name = text.slice(0, equals).trim();
  const key = settings.keyOf(name);
  if (key === undefined) throw new UsageError(`${VARY_FLAG}: unknown setting "${name}"; ${settings.known}`, VARY_FLAG);
  // A described target's keys are its own setting names, not the built-in target's.
  return { key: key as VaryKey, values: parseValues(VARY_FLAG, text, settings, key, text.slice(equals + 1)) };
}

/** `--batch-sizes 1,5,10`: short for `--vary batchSize=1,5,10`. */
export function parseBatchSizes(list: string): VaryAxis {
  return { key: 'batchSize', values: parseValues(BATCH_SIZES_FLAG, list, BUILTIN_VARY_SETTINGS, 'batchSize', list) };
}

/** Every `--vary` and the `--batch-sizes` shorthand as axes of one grid; a setting varied twice is an error. */
export function resolveVary(input: { vary?: readonly string[]; batchSizes?: string; settings?: VarySettings }): VaryAxis[] {
  const axes = (input.vary ?? []).map((text) => parseVary(text, input.settings));
  if (input.batchSizes !== undefined) axes.push(input.settings ? parseVary(`batchSize=${input.batchSizes}`, input.settings) : parseBatchSizes(input.batchSizes));
  const keys = axes.map((a) => a.key);
  const twice = keys.find((k, i) => keys.indexOf(k) !== i);
  if (twice !== undefined) {
    throw new UsageError(`${twice} is varied twice (${VARY_FLAG} ${twice}=... and ${twice === 'batchSize' ? `${BATCH_SIZES_FLAG} or ` : ''}another ${VARY_FLAG}); give its values once`, VARY_FLAG);
  }
  return axes;
}

function fileSafe(text: string): string {
  return text.replace(/[^A-Za-z0-9.-]/g, '-');
}

/** A point's id from its settings, in {@link VARY_KEYS} order. */
export function pointId(settings: PointSettings): string {
  const keys = [...VARY_KEYS, ...Object.keys(settings).filter((k) => !VARY_KEYS.includes(k as VaryKey)).sort()] as VaryKey[];
  return keys.filter((k) => settings[k] !== undefined)
    .map((k) => `${k}-${fileSafe(String(settings[k]))}`)
    .join('_');
}

/** Every combination of the axes' values, the first axis slowest. */
function grid(axes: readonly VaryAxis[]): PointSettings[] {
  let points: PointSettings[] = [{}];
  for (const axis of axes) points = points.flatMap((settings) => axis.values.map((value) => ({ ...settings, [axis.key]: value })));
  return points;
}

/**
 * mulberry32: a tiny seeded PRNG (uniform in [0, 1)), written out because Math.random cannot be seeded
 * and a printed seed must reproduce a run's order; simple-statistics' shuffle takes it as its source.
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A seed from the clock, for a run that was not given one. */
export function defaultSeed(now = Date.now()): number {
  return now % 2 ** 32;
}

/**
 * The points of the grid and the trials in run order. Repeats are interleaved (all points once, then
 * all again), each round in its own shuffled order, so a noisy spell of the machine spreads over every
 * point instead of hitting one.
 */
export function buildPlan(input: PlanInput): SweepPlan {
  const profiles = input.profiles ?? PROFILE_NAMES;
  if (!profiles.includes(input.base)) throw new UsageError(`--base must be one of ${profiles.join(', ')}, got "${input.base}"`, '--base');
  const repeat = input.repeat ?? DEFAULT_REPEAT;
  if (!Number.isInteger(repeat) || repeat < 1) throw new UsageError(`--repeat must be an integer >= 1, got ${repeat}`, '--repeat');
  const seed = input.seed ?? defaultSeed();
  if (!Number.isInteger(seed) || seed < 0 || seed >= 2 ** 32) throw new UsageError(`--seed must be an integer from 0 to ${2 ** 32 - 1}, got ${seed}`, '--seed');
  const axes = [...(input.vary ?? [])];
  const points = grid(axes).map((settings) => ({ id: axes.length === 0 ? fileSafe(input.base) : pointId(settings), settings }));
  const random = seededRandom(seed);
  const trials: PlanTrial[] = [];
  for (let round = 1; round <= repeat; round++) {
    for (const point of shuffle([...points], random)) {
      trials.push({ id: `${point.id}.r${round}`, pointId: point.id, settings: point.settings, repeat: round, order: trials.length });
    }
  }
  return { base: input.base, axes, repeat, seed, points, trials };
}

/** The plan's expected duration: one figure per trial, or a figure that depends on its settings. */
export function estimateDurationMs(plan: Pick<SweepPlan, 'trials'>, perTrialMs: number | ((trial: PlanTrial) => number)): number {
  return plan.trials.reduce((sum, trial) => sum + (typeof perTrialMs === 'number' ? perTrialMs : perTrialMs(trial)), 0);
}

export function trialProgress(input: { completed: number; total: number; elapsedMs: number; estimatePerTrialMs?: number }): TrialProgress {
  const remaining = input.total - input.completed;
  const perTrial = input.completed > 0 ? input.elapsedMs / input.completed : input.estimatePerTrialMs;
  return {
    trial: Math.min(input.completed + 1, input.total),
    of: input.total,
    elapsedMs: input.elapsedMs,
    etaMs: perTrial === undefined ? null : perTrial * remaining,
  };
}

/** The `--gate` value that asks for any qualifying point. */
export const GATE_RECOMMENDED = 'recommended';

const GATE_FLAG = '--gate';

/**
 * `--gate recommended`, or one point by its id (`batchSize-10`), its settings (`batchSize=10`), or with
 * one varied setting, its value alone (`10`). A value that names no point is a usage error.
 */
export function parseGate(text: string, points: readonly PlanPoint[]): GateSpec {
  const value = text.trim();
  if (value === GATE_RECOMMENDED) return { kind: 'recommended' };
  const normalized = value.replace(/\s+/g, '');
  const match = points.find((p) => {
    const values = Object.values(p.settings);
    return (
      p.id === value ||
      settingsLabel(p).replace(/\s+/g, '') === normalized ||
      (values.length === 1 && String(values[0]) === value)
    );
  });
  if (!match) {
    const allowed = [GATE_RECOMMENDED, ...points.map((p) => settingsLabel(p))].join(', ');
    throw new UsageError(`${GATE_FLAG} "${text}" names no point of this sweep; expected one of: ${allowed}`, GATE_FLAG);
  }
  return { kind: 'point', pointId: match.id };
}

/**
 * Options of a `scenario:concurrent` run: every field optional, named defaults with units, one
 * resolve-and-validate function whose messages name the CLI flag to fix.
 */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_PROFILES } from './profiles.ts';
import { UsageError } from '../shared/usage-error.ts';
import { DEFAULT_MAX_IMPORT_ENTRIES, DEFAULT_PREPARE_MS, DEFAULT_WRITE_MS } from '../../target/options.ts';
import { TargetDescriptionError, type LoadedTargetDescription } from './targets/load.ts';
import type { ScenarioName } from '../model/results.ts';
import { DEFAULT_MAX_IN_FLIGHT, DEFAULT_WRITER_THREADS } from './workflow-writers.ts';
import { DEFAULT_DRIVER, DRIVER_NAMES } from './drivers.ts';
import type { DriverName } from '../model/results.ts';
import { defaultIntervalUs, maxIntervalUs, minIntervalUs } from './observer-interval.ts';
// The scenarios' own defaults: the harness passes the same values explicitly, so results.json records them.
import {
  DEFAULT_ARTIFACTS,
  DEFAULT_CATALOG_RATE,
  DEFAULT_IMPORTS,
  DEFAULT_MAX_DURATION,
  DEFAULT_READ_RATE,
  DEFAULT_SOAK_DURATION,
  DEFAULT_SOAK_IMPORT_RATE,
  DEFAULT_TAIL,
} from '../../scenarios/lib/defaults.ts';
import { DURATION_PATTERN, durationMs } from '../../scenarios/lib/env.ts';
import type { LoadedWorkload } from '../model/workload-plan.ts';
import { targetIssues, unrunnableIssues } from './workload/runnable.ts';
import { loadWorkload, WorkloadError } from './workload/load.ts';
import { k6WorkloadPlan } from './workload/k6.ts';
import { isSeedWorkload } from './seed-workload-file.ts';
import { defaultGatedProfiles, isBuiltinTarget, isLoopbackUrl, plannedTarget, runTarget, targetProfileNames, typedSettings } from './target.ts';

export const SCENARIOS: readonly ScenarioName[] = ['concurrent', 'smoke', 'soak'];
/** The 5 x 100 contention case. */
export const DEFAULT_SCENARIO: ScenarioName = 'concurrent';
/** Most artifacts per import: the target's own limit on the entries of one import. */
export const MAX_ARTIFACTS = DEFAULT_MAX_IMPORT_ENTRIES;
/** Workflow writes per second issued by the workflow writers (open model: on schedule). */
export const DEFAULT_WORKFLOW_RATE = 20;
/**
 * Poll interval of the external lock observer that watches each profile's database during the load, in
 * microseconds: the observer's own default (about 12-14 % of one core on the 2-core reference machine).
 */
export const DEFAULT_OBSERVER_INTERVAL_US = defaultIntervalUs;
/** Folder that receives `<timestamp>-<scenario>/` and the `latest` link. */
export const DEFAULT_REPORT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'reports');

/** The options whose default is one value whatever the target (profiles and gated depend on it). */
type FixedDefault = Exclude<keyof RunOptions, 'profiles' | 'gated'>;

/**
 * Every option's default, applied once, by {@link resolveRun}: nothing above it (commander) or below it
 * (the run) defaults again, and `--help` shows these values (scripts/lib/cli.ts). Units are those of
 * {@link RunOptionsInput}: rates per second, durations in k6's syntax, work in milliseconds, the
 * observer's interval in microseconds.
 */
export const RUN_DEFAULTS: Readonly<Pick<RunOptions, FixedDefault>> = {
  scenario: DEFAULT_SCENARIO,
  /** Concurrent imports, one VU each, each into its own seeded source. */
  imports: DEFAULT_IMPORTS,
  /** Artifacts per import. */
  artifacts: DEFAULT_ARTIFACTS,
  /** Catalog updates per second. */
  catalogRate: DEFAULT_CATALOG_RATE,
  /** Artifact reads per second. */
  readRate: DEFAULT_READ_RATE,
  /** Workflow writes per second. */
  workflowRate: DEFAULT_WORKFLOW_RATE,
  /** Workflow writer threads, each with its own connection. */
  writerThreads: DEFAULT_WRITER_THREADS,
  /** Workflow writes in flight before further ones count as not issued. */
  writerMaxInFlight: DEFAULT_MAX_IN_FLIGHT,
  /** After the imports have answered (k6 duration). */
  tail: DEFAULT_TAIL,
  /** The longest the catalog and read streams run (k6 duration). */
  maxDuration: DEFAULT_MAX_DURATION,
  /** The soak's length (k6 duration). */
  duration: DEFAULT_SOAK_DURATION,
  /** The soak's imports started per second. */
  importRate: DEFAULT_SOAK_IMPORT_RATE,
  driver: DEFAULT_DRIVER,
  /** Per-artifact preparation work, in milliseconds. */
  prepareMs: DEFAULT_PREPARE_MS,
  /** Per-artifact work inside the write lock, in milliseconds. */
  writeMs: DEFAULT_WRITE_MS,
  /** $LOCKBENCH_K6, else k6 on PATH. */
  k6Path: null,
  /** Absolute; results.json records it relative to the working directory. */
  reportRoot: DEFAULT_REPORT_ROOT,
  observer: true,
  /** In microseconds. */
  observerIntervalUs: DEFAULT_OBSERVER_INTERVAL_US,
  /** lockbench's own target. */
  target: null,
  targetPid: null,
  allowRemoteTarget: false,
  /** Only the profiles' own settings. */
  settings: {},
  /** The scenario's own load and criteria. */
  workload: null,
};

export interface RunOptionsInput {
  scenario?: ScenarioName;
  /** Profiles to run, in order. */
  profiles?: readonly string[];
  /** Profiles whose criteria decide the exit code; each must be among `profiles`. */
  gated?: readonly string[];
  imports?: number;
  artifacts?: number;
  /** Catalog updates per second. */
  catalogRate?: number;
  /** Artifact reads per second. */
  readRate?: number;
  /** Workflow writes per second. */
  workflowRate?: number;
  /** Workflow writer threads. */
  writerThreads?: number;
  /** Workflow writes in flight before further ones are counted as not issued. */
  writerMaxInFlight?: number;
  /** How long the catalog and read streams go on after the imports have answered, e.g. `1s`. */
  tail?: string;
  /** The longest the catalog and read streams run, whatever the imports do, e.g. `120s`. */
  maxDuration?: string;
  /** How long the soak scenario runs, e.g. `10m`. */
  duration?: string;
  /** Imports started per second in the soak. */
  importRate?: number;
  /** Which load driver sends the requests. */
  driver?: DriverName;
  prepareMs?: number;
  writeMs?: number;
  /** The k6 binary for `--driver k6`; null = $LOCKBENCH_K6, else k6 on PATH. */
  k6Path?: string | null;
  reportRoot?: string;
  /** Watch the database's write lock from outside during k6 and judge lock-hold on what it sees. */
  observer?: boolean;
  /** The observer's poll interval, in microseconds. */
  observerIntervalUs?: number;
  /** A target description file (harness/plan/targets/README.md); null = lockbench's own target. */
  target?: string | null;
  /**
   * With a target given by `url`: the pid of the running server. It and every process descended from it
   * are the target in the lock figures; without it a running target's holds are "other" unless its health
   * route says its pid. Null (default): none given.
   */
  targetPid?: number | null;
  /** Let a target given by `url` be on another host (its load then leaves this machine, and the observer cannot watch it). */
  allowRemoteTarget?: boolean;
  /** Target settings on top of every profile's, e.g. `{ artifactWorkMs: 2 }` (`--set artifactWorkMs=2`). */
  settings?: Readonly<Record<string, string | number>>;
  /** A workload file (docs/workload.md): the load and the criteria in the app's own words; null = the scenario's own. */
  workload?: string | null;
}

export type RunOptions = Required<RunOptionsInput>;

/**
 * The options that set only the built-in scenario's own load: its streams' counts, rates and ends, its
 * workflow writers, the soak's duration and import rate. A workload file's run sends the file's streams and
 * writes its SQL streams instead, so there they do nothing.
 */
export const SCENARIO_LOAD_OPTIONS = [
  'imports',
  'artifacts',
  'catalogRate',
  'readRate',
  'workflowRate',
  'writerThreads',
  'writerMaxInFlight',
  'tail',
  'maxDuration',
  'duration',
  'importRate',
] as const satisfies readonly (keyof RunOptions)[];

/** The built-in target's work model, which only the built-in target is given (harness/plan/trials.ts). */
const BUILTIN_TARGET_OPTIONS = ['prepareMs', 'writeMs'] as const satisfies readonly (keyof RunOptions)[];

/**
 * The options a run's results.json records: every one, as always, for the scenario's own load; for a
 * workload file's run only those that applied to it (not the scenario's load, nor the built-in target's
 * work model on another target).
 */
export function appliedOptions(options: RunOptions, run: { workloadFile: boolean; builtinTarget: boolean }): Partial<RunOptions> {
  if (!run.workloadFile) return options;
  const unused = new Set<string>([...SCENARIO_LOAD_OPTIONS, ...(run.builtinTarget ? [] : BUILTIN_TARGET_OPTIONS)]);
  return Object.fromEntries(Object.entries(options).filter(([key]) => !unused.has(key))) as Partial<RunOptions>;
}

/** A bad option; `flag` names the CLI flag so the message says what to fix. */
export class RunOptionError extends UsageError {
  constructor(flag: string, message: string) {
    super(`${flag}: ${message}`, flag);
    this.name = 'RunOptionError';
  }
}

/** Each option's CLI flag, for messages; also the list of known keys. */
export const RUN_OPTION_FLAGS: Record<keyof RunOptionsInput, string> = {
  scenario: '--scenario',
  profiles: '--profiles',
  gated: '--gated',
  imports: '--imports',
  artifacts: '--artifacts',
  catalogRate: '--catalog-rate',
  readRate: '--read-rate',
  workflowRate: '--workflow-rate',
  writerThreads: '--writer-threads',
  writerMaxInFlight: '--writer-max-in-flight',
  tail: '--tail',
  maxDuration: '--max-duration',
  driver: '--driver',
  duration: '--duration',
  importRate: '--import-rate',
  prepareMs: '--prepare-ms',
  writeMs: '--write-ms',
  k6Path: '--k6',
  reportRoot: '--report-dir',
  observer: '--no-observer',
  observerIntervalUs: '--observer-interval-us',
  target: '--target',
  targetPid: '--target-pid',
  allowRemoteTarget: '--allow-remote-target',
  settings: '--set',
  workload: '--workload',
};

function integer(key: keyof RunOptionsInput, value: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `an integer >= ${min}` : `an integer from ${min} to ${max}`;
    throw new RunOptionError(RUN_OPTION_FLAGS[key], `expected ${range}, got ${value}`);
  }
  return value;
}

function positive(key: keyof RunOptionsInput, value: number): number {
  if (!Number.isFinite(value) || value <= 0) throw new RunOptionError(RUN_OPTION_FLAGS[key], `expected a number > 0, got ${value}`);
  return value;
}

function nonNegative(key: keyof RunOptionsInput, value: number): number {
  if (!Number.isFinite(value) || value < 0) throw new RunOptionError(RUN_OPTION_FLAGS[key], `expected a number >= 0, got ${value}`);
  return value;
}

/** A duration both drivers accept (k6's syntax), of at least `minMs`. */
function duration(key: 'tail' | 'maxDuration' | 'duration', text: string, minMs: number): string {
  if (!DURATION_PATTERN.test(text) || durationMs(text) < minMs) {
    const least = minMs === 0 ? '' : ` of at least ${minMs} ms`;
    throw new RunOptionError(RUN_OPTION_FLAGS[key], `expected a duration${least} such as 1s, 500ms or 1m30s, got "${text}"`);
  }
  return text;
}

function profileList(key: 'profiles' | 'gated', names: readonly string[], known: readonly string[]): string[] {
  for (const name of names) {
    if (!known.includes(name)) {
      throw new RunOptionError(RUN_OPTION_FLAGS[key], `unknown profile "${name}"; expected some of ${known.join(', ')}`);
    }
  }
  if (new Set(names).size !== names.length) throw new RunOptionError(RUN_OPTION_FLAGS[key], 'names a profile twice');
  return [...names];
}

/** The `--target` file, loaded and validated; its problems are a bad-usage error naming every field. */
function loadTarget(target: string | null): LoadedTargetDescription {
  try {
    return runTarget({ target });
  } catch (err) {
    if (err instanceof TargetDescriptionError) throw new RunOptionError('--target', err.message);
    throw err;
  }
}

/** What a described (not built-in) target cannot do, and a running one elsewhere. */
function checkTargetUse(loaded: LoadedTargetDescription, input: Pick<RunOptions, 'scenario' | 'driver' | 'allowRemoteTarget' | 'workload'>): void {
  if (input.workload !== null) {
    if (input.scenario !== 'concurrent') throw new RunOptionError('--scenario', 'a --workload is its own scenario: run it with --scenario concurrent');
  } else if (loaded.description.requests === undefined || loaded.description.seeded === undefined) {
    throw new RunOptionError(
      '--workload',
      `missing: the target description ${loaded.source} gives no "requests" and "seeded" (how lockbench's built-in scenario reaches its routes), so it runs only with the app's own --workload`,
    );
  }
  if (isBuiltinTarget(loaded)) return;
  // A workload's k6 script sends the app's own routes, from its templates.
  if (input.driver === 'k6' && input.workload === null) {
    throw new RunOptionError(
      '--driver',
      'k6 drives only the built-in target (its scripts send the built-in routes) unless a --workload says what to send; give the app\'s own --workload, or run it with the built-in driver (--driver builtin)',
    );
  }
  if (input.scenario === 'smoke') {
    throw new RunOptionError('--scenario', 'the smoke check reads the built-in target\'s own routes; run a --target with --scenario concurrent');
  }
  const url = loaded.description.url;
  if (url !== undefined && !isLoopbackUrl(url) && !input.allowRemoteTarget) {
    throw new RunOptionError(
      '--target',
      `${url} is not on this machine: lockbench sends its load only to 127.0.0.1, and the lock observer watches the database file, ` +
        'which must be on this host; pass --allow-remote-target to run it anyway',
    );
  }
}

/** The resolved options of a run and the target they name, loaded once (bad input throws a {@link RunOptionError}). */
export interface ResolvedRun {
  options: RunOptions;
  target: LoadedTargetDescription;
}

export function resolveRunOptions(input: RunOptionsInput): RunOptions {
  return resolveRun(input).options;
}

export function resolveRun(input: RunOptionsInput): ResolvedRun {
  for (const key of Object.keys(input)) {
    if (!(key in RUN_OPTION_FLAGS)) throw new RunOptionError(key, `is not an option; expected one of ${Object.keys(RUN_OPTION_FLAGS).join(', ')}`);
  }
  const scenario = input.scenario ?? RUN_DEFAULTS.scenario;
  if (!SCENARIOS.includes(scenario)) throw new RunOptionError('--scenario', `expected one of ${SCENARIOS.join(', ')}, got "${scenario}"`);
  const target = input.target ?? RUN_DEFAULTS.target;
  const loaded = loadTarget(target);
  const { description } = loaded;
  const known = targetProfileNames(description);
  // The built-in target's default profiles depend on the scenario (the soak runs its own); a described one runs all of its own.
  const profiles = profileList('profiles', input.profiles ?? (isBuiltinTarget(loaded) ? DEFAULT_PROFILES[scenario] : known), known);
  if (profiles.length === 0) throw new RunOptionError('--profiles', 'name at least one profile');
  const gated = profileList('gated', input.gated ?? defaultGatedProfiles(description).filter((p) => profiles.includes(p)), known);
  for (const name of gated) {
    if (!profiles.includes(name)) throw new RunOptionError('--gated', `"${name}" is gated but not among --profiles (${profiles.join(', ')})`);
  }
  const tail = duration('tail', input.tail ?? RUN_DEFAULTS.tail, 0);
  const maxDuration = duration('maxDuration', input.maxDuration ?? RUN_DEFAULTS.maxDuration, 1);
  const driver = input.driver ?? RUN_DEFAULTS.driver;
  if (!DRIVER_NAMES.includes(driver)) throw new RunOptionError('--driver', `expected one of ${DRIVER_NAMES.join(', ')}, got "${driver}"`);
  const allowRemoteTarget = input.allowRemoteTarget ?? RUN_DEFAULTS.allowRemoteTarget;
  // The default run is built from the seed workload: asked for by name on the built-in target, it is that run.
  const seed = input.workload != null && scenario === 'concurrent' && isBuiltinTarget(loaded) && isSeedWorkload(input.workload);
  const workload = seed ? null : (input.workload ?? RUN_DEFAULTS.workload);
  checkTargetUse(loaded, { scenario, driver, allowRemoteTarget, workload });
  let settings: Record<string, string | number>;
  try {
    settings = typedSettings(description, input.settings ?? RUN_DEFAULTS.settings);
  } catch (err) {
    throw new RunOptionError('--set', (err as Error).message);
  }
  const targetPid = input.targetPid ?? RUN_DEFAULTS.targetPid;
  if (targetPid !== null) {
    if (!Number.isInteger(targetPid) || targetPid <= 1) throw new RunOptionError('--target-pid', `expected the pid of a running process (an integer > 1), got ${targetPid}`);
    if (description.url === undefined) {
      throw new RunOptionError('--target-pid', 'is for a --target given by "url"; lockbench starts this one, and the process it starts is the target (with its descendants)');
    }
  }
  const workflowRate = input.workflowRate ?? RUN_DEFAULTS.workflowRate;
  if (!Number.isFinite(workflowRate) || workflowRate <= 0) {
    throw new RunOptionError('--workflow-rate', `expected a number > 0 (writes per second), got ${workflowRate}`);
  }
  const observerIntervalUs = input.observerIntervalUs ?? RUN_DEFAULTS.observerIntervalUs;
  if (!Number.isFinite(observerIntervalUs) || observerIntervalUs < minIntervalUs || observerIntervalUs > maxIntervalUs) {
    throw new RunOptionError(
      '--observer-interval-us',
      `expected microseconds from ${minIntervalUs} to ${maxIntervalUs}, got ${observerIntervalUs}`,
    );
  }
  const options: RunOptions = {
    scenario,
    profiles,
    gated,
    imports: integer('imports', input.imports ?? RUN_DEFAULTS.imports, 1, description.seeded?.sources) /* each import writes to its own seeded source */,
    artifacts: integer('artifacts', input.artifacts ?? RUN_DEFAULTS.artifacts, 1, MAX_ARTIFACTS),
    catalogRate: integer('catalogRate', input.catalogRate ?? RUN_DEFAULTS.catalogRate, 1),
    readRate: integer('readRate', input.readRate ?? RUN_DEFAULTS.readRate, 0),
    workflowRate,
    writerThreads: integer('writerThreads', input.writerThreads ?? RUN_DEFAULTS.writerThreads, 1, 64),
    writerMaxInFlight: integer('writerMaxInFlight', input.writerMaxInFlight ?? RUN_DEFAULTS.writerMaxInFlight, 1),
    tail,
    maxDuration,
    driver,
    duration: duration('duration', input.duration ?? RUN_DEFAULTS.duration, 1_000),
    importRate: positive('importRate', input.importRate ?? RUN_DEFAULTS.importRate),
    prepareMs: nonNegative('prepareMs', input.prepareMs ?? RUN_DEFAULTS.prepareMs),
    writeMs: nonNegative('writeMs', input.writeMs ?? RUN_DEFAULTS.writeMs),
    k6Path: input.k6Path ?? RUN_DEFAULTS.k6Path,
    reportRoot: resolve(input.reportRoot ?? RUN_DEFAULTS.reportRoot),
    observer: input.observer ?? RUN_DEFAULTS.observer,
    observerIntervalUs,
    target: target === null ? null : resolve(target),
    targetPid,
    allowRemoteTarget,
    settings,
    workload: workload === null ? null : resolve(workload),
  };
  return { options, target: loaded };
}

/**
 * The run's workload, loaded and checked once (the CLI does it before anything starts) against the run's
 * target: its problems, and what the run cannot carry out on that target, are a bad-usage error naming
 * every field at once.
 */
export function loadRunWorkload(options: Pick<RunOptions, 'workload' | 'driver'>, target: LoadedTargetDescription): LoadedWorkload | null {
  if (options.workload === null) return null;
  try {
    const loaded = loadWorkload(options.workload);
    // k6 runs what its scenarios can express; the built-in driver what it runs today; the side writers what the target's database has.
    const issues = [
      ...(options.driver === 'k6' ? k6WorkloadPlan(loaded.workload).issues : unrunnableIssues(loaded.workload)),
      ...targetIssues(loaded.workload, plannedTarget(target).kind),
    ];
    if (issues.length > 0) throw new WorkloadError(loaded.source, issues);
    return loaded;
  } catch (err) {
    if (err instanceof WorkloadError) throw new RunOptionError('--workload', err.message);
    throw err;
  }
}

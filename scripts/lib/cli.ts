/**
 * What the run commands (`scenario:concurrent`, `scenario:sweep`) share: the load and work-model
 * flags, the report folder check, and one way to run under Ctrl-C with the project's exit codes.
 */
import { CommanderError, InvalidArgumentError, Option, type Command } from 'commander';
import { lockbenchCommand } from './command.ts';
import { DRIVER_CHOICES, DRIVER_NAMES } from '../../harness/plan/drivers.ts';
import { K6_ENV_VARIABLE } from '../../harness/run/drivers/k6/find.ts';
import { checkOutputDir } from '../../harness/run/observe/output.ts';
import { MAX_ARTIFACTS, RUN_DEFAULTS, type RunOptionsInput } from '../../harness/plan/options.ts';
import { UsageError } from '../../harness/shared/usage-error.ts';
import { createProgress } from '../../harness/reports/progress.ts';
import type { Progress } from '../../harness/model/progress.ts';
import { displayPath, RunFailedError } from '../../harness/run/run.ts';
import { commanderExit, EXIT } from './exit.ts';
import { showDefault } from './command.ts';
import { renderRunFailure } from '../../harness/reports/run-failure.ts';

export function number(flag: string) {
  return (text: string): number => {
    const value = Number(text);
    if (text.trim() === '' || !Number.isFinite(value)) throw new InvalidArgumentError(`${flag} expects a number, got "${text}"`);
    return value;
  };
}

export const list = (text: string): string[] =>
  text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');

/** Repeatable flags collect into a list. */
export const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

const driverHelp = [...DRIVER_CHOICES].map(([name, d]) => `  ${name.padEnd(9)}  ${d.summary}`).join('\n');

/** The exit codes every run command shares, for `--help`. */
export function exitCodesHelp(gate: string): string {
  return (
    'Exit codes:\n' +
    `  ${EXIT.pass}    ${gate}\n` +
    `  ${EXIT.gateFailed}    the gate failed (a lock cross-check fault is reported and fails its junit.xml case, not the exit code)\n` +
    `  ${EXIT.badUsage}    bad usage (a flag, a baseline file, a report folder that cannot be written)\n` +
    `  ${EXIT.harnessFailed}    the harness could not run (--driver k6 without k6, the target crashed)\n` +
    `  ${EXIT.interrupted}  interrupted (Ctrl-C, SIGTERM); the reports are still written, marked incomplete`
  );
}

/** The program every run command starts from: errors through exceptions, output to stdout/stderr. */
export function runProgram(name: string, description: string): Command {
  return lockbenchCommand(name, description);
}

/**
 * An option whose default `--help` shows but commander does not apply: left out, it reaches the plan
 * undefined, and the plan applies the same value ({@link RUN_DEFAULTS}).
 */
export function planned(flags: string, description: string, shown: unknown, parse?: (text: string) => unknown): Option {
  const option = new Option(flags, description);
  if (parse) option.argParser(parse);
  return showDefault(option, shown);
}

/** The load, work-model, driver, observer and report flags. */
export function addLoadOptions(program: Command): Command {
  return program
    .addOption(showDefault(new Option('--driver <name>', "load driver: builtin (lockbench's own, the default) or k6 (yours, >= 1.0)").choices(DRIVER_NAMES), RUN_DEFAULTS.driver))
    .option('--k6 <path>', `with --driver k6: the k6 binary (default: $${K6_ENV_VARIABLE}, else k6 on PATH)`)
    .addOption(planned('--imports <n>', 'concurrent imports, one VU each, each into its own source (1-8)', RUN_DEFAULTS.imports, number('--imports')))
    .addOption(planned('--artifacts <n>', `artifacts per import (1-${MAX_ARTIFACTS})`, RUN_DEFAULTS.artifacts, number('--artifacts')))
    .addOption(planned('--catalog-rate <n>', 'catalog updates per second, sent on schedule while the imports run', RUN_DEFAULTS.catalogRate, number('--catalog-rate')))
    .addOption(planned('--read-rate <n>', 'artifact reads per second while the imports run (0 = none)', RUN_DEFAULTS.readRate, number('--read-rate')))
    .addOption(planned('--tail <duration>', 'how long catalog updates and reads go on after the last import answered', RUN_DEFAULTS.tail))
    .addOption(planned('--max-duration <duration>', 'the longest catalog updates and reads go on, whatever the imports do', RUN_DEFAULTS.maxDuration))
    .addOption(planned('--workflow-rate <n>', 'workflow writes per second issued by the workflow writers (open model)', RUN_DEFAULTS.workflowRate, number('--workflow-rate')))
    .addOption(planned('--writer-threads <n>', 'workflow writer threads, each with its own SQLite connection', RUN_DEFAULTS.writerThreads, number('--writer-threads')))
    .addOption(planned('--writer-max-in-flight <n>', 'workflow writes in flight before further ones count as not issued', RUN_DEFAULTS.writerMaxInFlight, number('--writer-max-in-flight')))
    .addOption(planned('--prepare-ms <ms>', 'per-artifact preparation work the target models (outside the lock only in staged)', RUN_DEFAULTS.prepareMs, number('--prepare-ms')))
    .addOption(planned('--write-ms <ms>', 'per-artifact work always inside the write lock', RUN_DEFAULTS.writeMs, number('--write-ms')))
    .addOption(planned('--report-dir <dir>', 'folder that receives <timestamp>-<scenario>/ and the latest link', displayPath(RUN_DEFAULTS.reportRoot)))
    .addOption(
      planned(
        '--observer-interval-us <us>',
        'poll interval of the external lock observer in microseconds (finer costs more CPU: ~12-14 % of one core at 250)',
        RUN_DEFAULTS.observerIntervalUs,
        number('--observer-interval-us'),
      ),
    )
    .option('--no-observer', 'do not watch the write lock from outside: lock-hold is then judged on the self-reported figure (labelled so)')
    .option('--workload <file>', "a workload file (docs/workload.md): your app's streams, answers and criteria in its own words, run instead of the scenario's")
    .addHelpText('after', `\nDrivers:\n${driverHelp}`);
}

/**
 * The flags given as run options (every flag is named for its option but two). Only what the user
 * gave: `--no-observer`'s implicit "observer on" is commander's, not the user's, so the plan decides it.
 */
export function loadOptionsFrom(program: Command, keys: readonly string[]): RunOptionsInput {
  const opts = program.opts<Record<string, unknown>>();
  const picked: Record<string, unknown> = {};
  for (const key of keys) if (opts[key] !== undefined && program.getOptionValueSource(key) !== 'default') picked[key] = opts[key];
  const { k6, reportDir, ...named } = picked as Record<string, unknown> & { k6?: string; reportDir?: string };
  return { ...(named as RunOptionsInput), ...(k6 === undefined ? {} : { k6Path: k6 }), ...(reportDir === undefined ? {} : { reportRoot: reportDir }) };
}

/** The option keys {@link addLoadOptions} defines. */
export const LOAD_OPTION_KEYS = [
  'driver', 'k6', 'imports', 'artifacts', 'catalogRate', 'readRate', 'tail', 'maxDuration', 'workflowRate', 'writerThreads',
  'writerMaxInFlight', 'prepareMs', 'writeMs', 'reportDir', 'observerIntervalUs', 'observer', 'workload',
] as const;

/** Refuses a report folder that cannot be written before anything runs (never a loop under /proc). */
export function checkReportDir(dir: string): void {
  try {
    checkOutputDir(dir);
  } catch (err) {
    throw new UsageError(`--report-dir: ${(err as Error).message.replace('(--out)', '(--report-dir)')}`);
  }
}

/** Two signals this close together are one (a terminal's Ctrl-C reaches npm and the harness alike); a later one forces the exit. */
export const SIGNAL_REPEAT_MS = 1_000;

/**
 * Runs a command: parse (usage errors exit 2), then `run` with an abort signal that SIGINT/SIGTERM trip
 * once; a second signal well after the first exits at once. Unexpected errors exit 3.
 */
export async function runCommand<T>(
  name: string,
  parse: () => T | Promise<T>,
  run: (parsed: T, context: { signal: AbortSignal; progress: Progress }) => Promise<number>,
): Promise<never> {
  let parsed: T;
  try {
    parsed = await parse();
  } catch (err) {
    if (err instanceof CommanderError) process.exit(commanderExit(err.exitCode));
    if (err instanceof UsageError || (err as { code?: string }).code === 'BAD_BASELINE') {
      process.stderr.write(`${name}: ${(err as Error).message}\n`);
      process.exit(EXIT.badUsage);
    }
    process.stderr.write(`${name}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(EXIT.harnessFailed);
  }
  const progress = createProgress();
  const abort = new AbortController();
  let firstSignalAt = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    if (abort.signal.aborted) {
      // The same Ctrl-C seen twice (from the terminal and from npm passing it on) is one signal.
      if (performance.now() - firstSignalAt < SIGNAL_REPEAT_MS) return;
      process.stderr.write(`\n${name}: ${signal} again, exiting now\n`);
      process.exit(EXIT.interrupted);
    }
    firstSignalAt = performance.now();
    progress.info(`${signal}: stopping the load, the workflow writers, the observer and the target; the measured part is still reported`);
    abort.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const code = await run(parsed, { signal: abort.signal, progress });
    progress.close();
    process.exit(code);
  } catch (err) {
    progress.close();
    process.stderr.write(err instanceof RunFailedError ? renderRunFailure(name, err.failure) : `${name}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(EXIT.harnessFailed);
  }
}

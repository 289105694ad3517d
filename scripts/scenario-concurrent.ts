// `npm run scenario:concurrent -- [flags]`: runs the profiles under real load and gates on the criteria.
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { PROFILE_NAMES, PROFILES } from '../harness/profiles.ts';
import { renderTerminal } from '../harness/reports/terminal.ts';
import * as defaults from '../harness/run/options.ts';
import * as scenarioDefaults from '../scenarios/lib/defaults.ts';
import { resolveRunOptions, RunOptionError, type RunOptionsInput } from '../harness/run/options.ts';
import { createProgress } from '../harness/run/progress.ts';
import { displayPath, EXIT, runScenario } from '../harness/run/run.ts';
import { createRunFolder, pointLatest, writeReports } from '../harness/reports/write.ts';
import { DEFAULT_DRIVER, DRIVERS, DRIVER_NAMES } from '../harness/drivers/registry.ts';
import { K6_ENV_VARIABLE } from '../harness/drivers/k6/find.ts';
import { DEFAULT_MAX_IN_FLIGHT, DEFAULT_WRITER_THREADS } from '../harness/workflow-writers/options.ts';

function number(flag: string) {
  return (text: string): number => {
    const value = Number(text);
    if (text.trim() === '' || !Number.isFinite(value)) throw new InvalidArgumentError(`${flag} expects a number, got "${text}"`);
    return value;
  };
}

const list = (text: string): string[] =>
  text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');

/** `--set a=1,b=x` (repeatable) into `{ a: '1', b: 'x' }`; the target description types and checks the values. */
function settingPairs(text: string, previous: Record<string, string>): Record<string, string> {
  const pairs = { ...previous };
  for (const item of list(text)) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new InvalidArgumentError(`--set expects name=value, got "${item}"`);
    pairs[item.slice(0, eq).trim()] = item.slice(eq + 1).trim();
  }
  return pairs;
}

const profileHelp = PROFILES.map((p) => `  ${p.name.padEnd(9)}  ${p.summary}`).join('\n');
const driverHelp = [...DRIVERS].map(([name, d]) => `  ${name.padEnd(9)}  ${d.summary}`).join('\n');
/** Two signals this close together are one (a terminal's Ctrl-C reaches npm and the harness alike); a later one forces the exit. */
const SIGNAL_REPEAT_MS = 1_000;

function parseCli(argv: string[]): RunOptionsInput {
  const program = new Command('scenario:concurrent')
    .description(
      'Runs real load against the lockbench target (or your own, described in a --target file) once per profile, each on a fresh SQLite file, while ' +
        'workflow writers contend for the write lock; measures, checks the database, evaluates the criteria ' +
        '(harness/criteria.json) and writes <report-dir>/<timestamp>-<scenario>/ (results.json, summary.md, ' +
        'junit.xml, per profile the driver summary, per-request samples, target log and lock spans), pointing ' +
        '<report-dir>/latest at it. The load comes from lockbench\'s own open-model driver by default, or from ' +
        'your k6 with --driver k6. An external lock observer (a process of its own polling the database\'s -shm ' +
        'lock bytes, never opening the database) watches the write lock during each load: lock-hold is judged on ' +
        'its max hold over every holder, and the target\'s and workflow writers\' own figures are cross-checked against it.',
    )
    .addHelpText(
      'after',
      `\nProfiles:\n${profileHelp}\n\nDrivers:\n${driverHelp}\n\n` +
        'Exit codes:\n  0    every gated profile passed every criterion\n' +
        '  1    a gated criterion failed (a lock cross-check fault is reported and fails its junit.xml case, not the exit code)\n' +
        '  2    bad usage\n  3    the harness could not run (--driver k6 without k6, target crashed)\n' +
        '  130  interrupted; the reports are still written, marked incomplete',
    )
    .exitOverride()
    .configureOutput({ writeErr: (text) => process.stderr.write(text), writeOut: (text) => process.stdout.write(text) })
    .allowExcessArguments(false)
    .addOption(
      new Option('--scenario <name>', 'k6 scenario: concurrent (the 5 x 100 contention case) or smoke (one tiny import and one update)')
        .choices(defaults.SCENARIOS)
        .default(defaults.DEFAULT_SCENARIO),
    )
    .option(
      '--target <file>',
      'a target description (harness/targets/README.md): run the scenario against your own SQLite-backed server instead of lockbench\'s target',
    )
    .option(
      '--allow-remote-target',
      'let a --target given by "url" be on another host (the load then leaves this machine and the observer cannot watch its database)',
    )
    .option('--set <name=value>', 'a target setting on top of every profile\'s, e.g. artifactWorkMs=2 (repeat or comma-separate)', settingPairs, {})
    .addOption(
      new Option('--profiles <list>', 'comma-separated profiles to run, in order (default: every profile of the target)').argParser(list).default(
        undefined,
        PROFILE_NAMES.join(','),
      ),
    )
    .option('--gated <list>', 'comma-separated profiles whose criteria decide the exit code (default: those the target marks gated; staged for the built-in target)', list)
    .addOption(new Option('--driver <name>', 'load driver: builtin (lockbench\'s own) or k6 (yours, >= 1.0)').choices(DRIVER_NAMES).default(DEFAULT_DRIVER))
    .option('--imports <n>', 'concurrent imports, one VU each, each into its own source (1-8)', number('--imports'), scenarioDefaults.DEFAULT_IMPORTS)
    .option('--artifacts <n>', 'artifacts per import', number('--artifacts'), scenarioDefaults.DEFAULT_ARTIFACTS)
    .option('--catalog-rate <n>', 'catalog updates per second, sent on schedule during the run', number('--catalog-rate'), scenarioDefaults.DEFAULT_CATALOG_RATE)
    .option('--read-rate <n>', 'artifact reads per second during the run (0 = none)', number('--read-rate'), scenarioDefaults.DEFAULT_READ_RATE)
    .option('--workflow-rate <n>', 'workflow writes per second issued by the workflow writers (open model)', number('--workflow-rate'), defaults.DEFAULT_WORKFLOW_RATE)
    .option('--writer-threads <n>', 'workflow writer threads, each with its own SQLite connection', number('--writer-threads'), DEFAULT_WRITER_THREADS)
    .option('--writer-max-in-flight <n>', 'workflow writes in flight before further ones count as not issued', number('--writer-max-in-flight'), DEFAULT_MAX_IN_FLIGHT)
    .option('--tail <duration>', 'how long catalog updates and reads go on after the last import answered', scenarioDefaults.DEFAULT_TAIL)
    .option('--max-duration <duration>', 'the longest catalog updates and reads go on, whatever the imports do', scenarioDefaults.DEFAULT_MAX_DURATION)
    .option('--prepare-ms <ms>', 'per-artifact preparation work the target models (outside the lock only in staged)', number('--prepare-ms'), defaults.DEFAULT_PREPARE_MS)
    .option('--write-ms <ms>', 'per-artifact work always inside the write lock', number('--write-ms'), defaults.DEFAULT_WRITE_MS)
    .option('--k6 <path>', `with --driver k6: the k6 binary (default: $${K6_ENV_VARIABLE}, else k6 on PATH)`)
    .option('--report-dir <dir>', 'folder that receives <timestamp>-<scenario>/ and the latest link', displayPath(defaults.DEFAULT_REPORT_ROOT))
    .option(
      '--observer-interval-us <us>',
      'poll interval of the external lock observer in microseconds (finer costs more CPU: ~12-14 % of one core at 250)',
      number('--observer-interval-us'),
      defaults.DEFAULT_OBSERVER_INTERVAL_US,
    )
    .option(
      '--no-observer',
      'do not watch the write lock from outside: lock-hold is then judged on the self-reported figure (labelled so) and nothing is cross-checked',
    );
  program.parse(argv, { from: 'user' });
  // Every flag but two is named for its option; resolveRunOptions rejects any key that is not one.
  const { k6, reportDir, set, profiles, ...named } = program.opts<
    Omit<RunOptionsInput, 'k6Path' | 'reportRoot' | 'settings'> & { k6?: string; reportDir: string; set: Record<string, string> }
  >();
  return { ...named, ...(profiles ? { profiles } : {}), settings: set, k6Path: k6 ?? null, reportRoot: reportDir };
}

async function main(): Promise<number> {
  let options;
  try {
    options = resolveRunOptions(parseCli(process.argv.slice(2)));
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? EXIT.pass : EXIT.badUsage;
    if (err instanceof RunOptionError) {
      process.stderr.write(`scenario:concurrent: ${err.message}\n`);
      return EXIT.badUsage;
    }
    throw err;
  }

  const progress = createProgress();
  const abort = new AbortController();
  let firstSignalAt = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    if (abort.signal.aborted) {
      // The same Ctrl-C seen twice (from the terminal and from npm passing it on) is one signal.
      if (performance.now() - firstSignalAt < SIGNAL_REPEAT_MS) return;
      // A later one: stop waiting for a graceful end.
      process.stderr.write(`\nscenario:concurrent: ${signal} again, exiting now\n`);
      process.exit(EXIT.interrupted);
    }
    firstSignalAt = performance.now();
    progress.info(`${signal}: stopping the load, the workflow writers, the observer and the target; the measured part is still reported`);
    abort.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const outcome = await runScenario(options, { progress, signal: abort.signal, writeReports, createRunFolder, pointLatest });
    progress.close();
    process.stdout.write(renderTerminal(outcome.results));
    process.stdout.write(`report: ${displayPath(outcome.runDir)}\n`);
    return outcome.exitCode;
  } finally {
    progress.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`scenario:concurrent: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(EXIT.harnessFailed);
  },
);

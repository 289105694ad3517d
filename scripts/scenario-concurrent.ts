// `npm run scenario:concurrent -- [flags]`: runs the profiles under real load and gates on the criteria.
import { InvalidArgumentError, Option } from 'commander';
import { compareToBaseline, DEFAULT_TOLERANCE } from '../harness/analyze/baseline.ts';
import { toBaseline, type Baseline, type WorkloadIdentity } from '../harness/model/baseline.ts';
import { baselineRunOf, identityOf, loadBaseline } from '../harness/plan/baseline.ts';
import { saveBaseline } from '../harness/reports/baseline.ts';
import { DEFAULT_PROFILES, PROFILES } from '../harness/plan/profiles.ts';
import { createRunFolder, pointLatest, writeReports } from '../harness/reports/write.ts';
import { renderTerminal } from '../harness/reports/terminal.ts';
import { loadRunWorkload, resolveRun, RUN_DEFAULTS, RunOptionError, SCENARIOS } from '../harness/plan/options.ts';
import { planRun, type RunPlan } from '../harness/plan/run.ts';
import { displayPath } from '../harness/run/run.ts';
import { readTimelines } from '../harness/run/timelines.ts';
import type { RunResults } from '../harness/model/results.ts';
import { runScenario } from './lib/concurrent.ts';
import { RUN_VERDICT_EXIT } from './lib/exit.ts';
import { addLoadOptions, checkReportDir, exitCodesHelp, list, LOAD_OPTION_KEYS, loadOptionsFrom, number, planned, runCommand, runProgram } from './lib/cli.ts';
import { showDefault } from './lib/command.ts';

/** `--set a=1,b=x` (repeatable) into `{ a: '1', b: 'x' }`; the target description types and checks the values. */
function settingPairs(text: string, previous: Record<string, string> = {}): Record<string, string> {
  const pairs = { ...previous };
  for (const item of list(text)) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new InvalidArgumentError(`--set expects name=value, got "${item}"`);
    pairs[item.slice(0, eq).trim()] = item.slice(eq + 1).trim();
  }
  return pairs;
}

const profileHelp = PROFILES.map((p) => `  ${p.name.padEnd(9)}  ${p.summary}`).join('\n');


interface Parsed {
  plan: RunPlan;
  /** Of the run's workload (a file's, or the scenario's own), checked to fit before anything starts. */
  baseline: { path: string; value: Baseline } | null;
  saveBaseline: string | null;
  /** The workload whose figures a baseline of this run keeps. */
  workload: WorkloadIdentity | null;
  tolerance: number;
}

async function parse(argv: string[]): Promise<Parsed> {
  const program = runProgram(
    'scenario:concurrent',
    'Runs real load against the lockbench target (or your own, described in a --target file) once per profile, each on a fresh SQLite file, while workflow ' +
      "writers contend for the write lock; measures, checks the database, evaluates the criteria (the scenario's workload's, scenarios/<scenario>.workload.json, or a --workload's own) " +
      'and writes <report-dir>/<timestamp>-<scenario>/ (results.json, summary.md, junit.xml, report.html, per profile the ' +
      'driver summary, per-request samples, target log and lock spans), pointing <report-dir>/latest at it. The load comes ' +
      "from lockbench's own open-model driver by default, or from your k6 with --driver k6. An external lock observer (a " +
      "process of its own polling the database's -shm lock bytes, never opening the database) watches the write lock " +
      "during each load: lock-hold is judged on its max hold over every holder, and the target's and workflow writers' " +
      'own figures are cross-checked against it.',
  )
    .addOption(
      showDefault(
        new Option('--scenario <name>', 'concurrent (the 5 x 100 contention case), smoke (one tiny import and one update) or soak (sustained rates for --duration)').choices(SCENARIOS),
        RUN_DEFAULTS.scenario,
      ),
    )
    .option('--target <file>', "a target description (harness/plan/targets/README.md): run against your own SQLite-backed server instead of lockbench's target")
    .option(
      '--target-pid <pid>',
      'with a --target given by "url": the pid of the running server; it and every process descended from it (its workers) are the target in the lock figures',
      (text: string) => Number(text),
    )
    .option('--allow-remote-target', 'let a --target given by "url" be on another host (the load then leaves this machine, and the observer cannot watch its database)')
    .addOption(planned('--set <name=value>', "a target setting on top of every profile's, e.g. artifactWorkMs=2 (repeat or comma-separate)", RUN_DEFAULTS.settings, settingPairs))
    .option('--profiles <list>', `comma-separated profiles to run, in order (default: ${DEFAULT_PROFILES.concurrent.join(',')}; soak: ${DEFAULT_PROFILES.soak.join(',')})`, list)
    .option('--gated <list>', 'comma-separated profiles whose criteria decide the exit code (default: staged, when it runs)', list)
    .addOption(planned('--duration <duration>', 'soak only: how long the sustained load runs, e.g. 10m', RUN_DEFAULTS.duration))
    .addOption(planned('--import-rate <n>', 'soak only: imports started per second, each writing new rows', RUN_DEFAULTS.importRate, number('--import-rate')))
    .option(
      '--baseline <file>',
      "compare with an earlier run of the same workload, the scenario's own or --workload's (a baseline file, a results.json or a report folder); a significant regression of a gated profile's criterion fails the gate",
    )
    .option('--save-baseline <file>', "write this run's figures (its workload's criteria by id, and its streams') as a baseline file (small, meant to be committed)")
    .option('--tolerance <ratio>', 'with --baseline: the smallest change that counts, as a share (0.1 = 10 %)', number('--tolerance'), DEFAULT_TOLERANCE);
  addLoadOptions(program).addHelpText('after', `\nProfiles:\n${profileHelp}\n\n${exitCodesHelp('every gated profile passed every criterion (and did not regress against --baseline)')}`);
  program.parse(argv, { from: 'user' });
  const opts = program.opts<Record<string, unknown> & { baseline?: string; saveBaseline?: string; tolerance: number; set?: Record<string, string> }>();
  const { options, target } = resolveRun({
    ...loadOptionsFrom(program, [...LOAD_OPTION_KEYS, 'scenario', 'profiles', 'gated', 'duration', 'importRate', 'target', 'targetPid', 'allowRemoteTarget']),
    ...(opts.set === undefined ? {} : { settings: opts.set }),
  });
  checkReportDir(options.reportRoot);
  if (!(opts.tolerance >= 0 && opts.tolerance < 10)) throw new RunOptionError('--tolerance', `expected a share such as 0.1, got ${opts.tolerance}`);
  const plan = planRun({ options, target, workload: loadRunWorkload(options, target) });
  const run = baselineRunOf(plan, opts);
  const baseline = opts.baseline === undefined || run === null ? null : { path: opts.baseline, value: await loadBaseline(opts.baseline, run) };
  const workload = run === null ? null : identityOf(run);
  return { plan, baseline, saveBaseline: opts.saveBaseline ?? null, workload, tolerance: opts.tolerance };
}

await runCommand('scenario:concurrent', () => parse(process.argv.slice(2)), async (parsed, { signal, progress }) => {
  const extend = async (results: RunResults): Promise<RunResults> => {
    if (!parsed.baseline) return results;
    const compare = { tolerance: parsed.tolerance, source: parsed.baseline.path, gated: results.profiles.filter((p) => p.gated).map((p) => p.name) };
    const saved = parsed.baseline.value;
    // The baseline was checked against the workload before the run: the run is of the same workload.
    const comparison = compareToBaseline(saved, toBaseline(results, saved.workload), compare);
    return { ...results, workloadBaseline: comparison, pass: results.pass && comparison.pass };
  };
  // report.html's charts from the spans and samples files the run wrote into the folder.
  const writeRunReports = async (results: RunResults, dir: string) => writeReports(results, dir, await readTimelines(dir, results));
  const outcome = await runScenario(parsed.plan, { progress, signal, writeReports: writeRunReports, createRunFolder, pointLatest, extend });
  progress.close();
  process.stdout.write(renderTerminal(outcome.results));
  process.stdout.write(`report: ${displayPath(outcome.runDir)}\n`);
  if (parsed.saveBaseline !== null && parsed.workload !== null && outcome.results.complete) {
    await saveBaseline(parsed.saveBaseline, toBaseline(outcome.results, parsed.workload));
    process.stdout.write(`baseline saved: ${displayPath(parsed.saveBaseline)}\n`);
  }
  return RUN_VERDICT_EXIT[outcome.verdict];
});

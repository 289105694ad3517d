// `npm run scenario:sweep -- --base staged --batch-sizes 1,5,10 --repeat 3`: the concurrent case over a
// grid of settings, repeats interleaved, with per-point statistics, a measured recommendation and a gate.
import { join } from 'node:path';
import type { TrialRecord } from '../harness/model/sweep.ts';
import { DEFAULT_TOLERANCE } from '../harness/analyze/baseline.ts';
import { toBaseline, type Baseline, type WorkloadIdentity } from '../harness/model/baseline.ts';
import { baselineRunOf, checkBaselineCompare, identityOf, loadBaseline } from '../harness/plan/baseline.ts';
import { saveBaseline } from '../harness/reports/baseline.ts';
import { workloadBaselineJunitSuite } from '../harness/reports/workload-baseline.ts';
import { BUILTIN_VARY_SETTINGS, buildPlan, DEFAULT_REPEAT, describedVarySettings, estimateDurationMs, GATE_RECOMMENDED, parseGate, resolveVary, trialProgress } from '../harness/plan/sweep.ts';
import { VARY_KEYS, type GateSpec, type SweepPlan } from '../harness/model/sweep-plan.ts';
import { summarizeSweep } from '../harness/analyze/sweep.ts';
import { sweepSummaryOf } from '../harness/reports/sweep-reasons.ts';
import type { SweepResults } from '../harness/model/sweep.ts';
import { loadCriteria } from '../harness/plan/criteria.ts';
import { seedRank } from '../harness/plan/seed-workload.ts';
import type { RankedCriterion } from '../harness/model/rank.ts';
import { PROFILE_NAMES } from '../harness/plan/profiles.ts';
import { isBuiltinTarget, targetProfileNames, typedSettings } from '../harness/plan/target.ts';
import { reportResultsOf } from '../harness/reports/html/input.ts';
import { writeReportHtml } from '../harness/reports/html/write.ts';
import { readTimelines } from '../harness/run/timelines.ts';
import { formatTrialProgress, renderPlan, renderSweepJunit, renderWorkloadSweep, type SweepReport, type WorkloadSweepOptions } from '../harness/reports/sweep.ts';
import { markdownTable, workloadRunMarkdown } from '../harness/reports/markdown.ts';
import { renderJunit } from '../harness/reports/junit.ts';
import { padTable } from '../harness/reports/terminal.ts';
import { createRunFolder, pointLatest, renderResultsJson, REPORT_FILES } from '../harness/reports/write.ts';
import { writeFileAtomic } from '../harness/shared/atomic.ts';
import type { RunResults } from '../harness/model/results.ts';
import { estimateTrialMs } from '../harness/plan/estimate.ts';
import { loadRunWorkload, resolveRun } from '../harness/plan/options.ts';
import { planRun, type RunPlan } from '../harness/plan/run.ts';
import { workloadVarySettings } from '../harness/plan/workload/vary.ts';
import { displayPath } from '../harness/run/run.ts';
import { builtinTargetOptions, planTrials } from '../harness/plan/trials.ts';
import { runScenario } from './lib/concurrent.ts';
import { RUN_VERDICT_EXIT } from './lib/exit.ts';
import type { SweepPrediction } from '../harness/model/prediction.ts';
import { sweepPrediction } from '../harness/predict/accuracy.ts';
import { modelLoad, predictionPoints } from '../harness/predict/inputs.ts';
import { MODEL_FLAGS_HELP, resolveModelOptions, type ResolvedModelOptions } from '../harness/predict/options.ts';
import { predictGrid, type GridPrediction } from '../harness/predict/predict.ts';
import { renderComparisonMarkdown, renderComparisonTerminal, renderPredictionTerminal } from '../harness/reports/prediction.ts';
import { addLoadOptions, checkReportDir, collect, exitCodesHelp, LOAD_OPTION_KEYS, loadOptionsFrom, number, planned, runCommand, runProgram } from './lib/cli.ts';
import { UsageError } from '../harness/shared/usage-error.ts';

/** The report folder's suffix: `<timestamp>-sweep`. */
const SWEEP_FOLDER = 'sweep';

interface Parsed {
  /** The run's plan: its options, target, workload and trials. */
  run: RunPlan;
  /** The sweep runs lockbench's own target. */
  builtin: boolean;
  plan: SweepPlan;
  gate: GateSpec | null;
  /** What ranks the points that meet every criterion: the workload's `rank`, or the seed workload's for lockbench's own sweep. */
  rank: RankedCriterion[];
  /** Of the trials' workload (a file's, or the scenario's own), checked to fit before anything starts. */
  baseline: { path: string; value: Baseline } | null;
  saveBaseline: string | null;
  /** The workload whose figures a baseline of this sweep keeps. */
  workload: WorkloadIdentity | null;
  tolerance: number;
  /** `--predict`: the model's options and its prediction of every point, made before anything runs. */
  prediction: { model: ResolvedModelOptions; grid: GridPrediction; elapsedMs: number } | null;
}

async function parse(argv: string[]): Promise<Parsed> {
  const program = runProgram(
    'scenario:sweep',
    'Runs the concurrent case once per point of a grid of settings, each trial on a fresh SQLite file, with repeats ' +
      'interleaved (every point once, then every point again, each round shuffled with a printed seed), and reports ' +
      "per point the workload's criteria (the seed workload's, or --workload's: the median over the repeats, met where every repeat met it) " +
      "and its streams' requests, errors and p50/p99, and a measured recommendation: the value that " +
      'meets every criterion with the best import wall, ties broken by catalog p99 (a --workload: by its own "rank").',
  )
    .option('--target <file>', "a target description (harness/plan/targets/README.md): sweep your own SQLite-backed server's settings")
    .option('--allow-remote-target', 'let a --target given by "url" be on another host')
    .option('--base <profile>', `the profile every point starts from (the built-in target's: ${PROFILE_NAMES.join(', ')}; a described target's own)`, 'staged')
    .option('--vary <key=v1,v2>', `a setting and its values; repeat the flag for a grid. Keys: ${VARY_KEYS.join(', ')}; with --workload also streams.<name>.rate (a concurrency ladder), .vus, .iterations`, collect, [])
    .option('--batch-sizes <list>', 'short for --vary batchSize=<list>')
    .addOption(planned('--repeat <n>', 'rounds of every point', DEFAULT_REPEAT, number('--repeat')))
    .option('--seed <n>', 'seed of the shuffle of each round (default: from the clock; printed)', number('--seed'))
    .option('--gate <point>', '"recommended" (some point must meet every criterion) or a point (e.g. 10 or batchSize=10) that must; default: no gate')
    .option('--baseline <file>', "compare every point with an earlier sweep of the same workload, the scenario's own or --workload's (a baseline file, a results.json or a report folder)")
    .option('--save-baseline <file>', "write this sweep's per-repeat figures (its workload's criteria by id, and its streams') as a baseline file")
    .option('--predict', 'predict every point with the model of the write lock first (docs/model.md), and show each prediction beside its measurement with the error')
    .option('--calibrate <results.json>', `with --predict: ${MODEL_FLAGS_HELP.calibrate}`)
    .option('--model-runs <n>', `with --predict: ${MODEL_FLAGS_HELP.runs}`, number('--model-runs'))
    .option('--model-seed <n>', `with --predict: ${MODEL_FLAGS_HELP.seed}`, number('--model-seed'))
    .option('--tolerance <ratio>', 'with --baseline: the smallest change that counts, as a share (0.1 = 10 %)', number('--tolerance'), DEFAULT_TOLERANCE);
  addLoadOptions(program).addHelpText('after', `\n${exitCodesHelp('the gate passed (or no --gate was given and every trial ran)')}`);
  program.parse(argv, { from: 'user' });
  const opts = program.opts<Record<string, unknown> & { base: string; vary: string[]; batchSizes?: string; repeat?: number; seed?: number; gate?: string; baseline?: string; saveBaseline?: string; tolerance: number; predict?: boolean; calibrate?: string; modelRuns?: number; modelSeed?: number }>();
  const { options, target } = resolveRun({
    ...loadOptionsFrom(program, [...LOAD_OPTION_KEYS, 'target', 'allowRemoteTarget']),
    scenario: 'concurrent',
    profiles: [opts.base],
    gated: [],
  });
  const { description } = target;
  const workload = loadRunWorkload(options, target);
  // A described target varies its own settings, checked by its description; the built-in one its options;
  // a workload's streams their rates, VUs and iterations besides.
  const targetSettings = isBuiltinTarget(target)
    ? undefined
    : describedVarySettings(Object.keys(description.settings), (key, value) => typedSettings(description, { [key]: value })[key]!);
  const settings = workload ? workloadVarySettings(workload, targetSettings ?? BUILTIN_VARY_SETTINGS) : targetSettings;
  const axes = resolveVary({ vary: opts.vary, ...(opts.batchSizes === undefined ? {} : { batchSizes: opts.batchSizes }), ...(settings ? { settings } : {}) });
  const plan = buildPlan({
    base: opts.base,
    profiles: targetProfileNames(description),
    vary: axes,
    ...(opts.repeat === undefined ? {} : { repeat: opts.repeat }),
    ...(opts.seed === undefined ? {} : { seed: opts.seed }),
  });
  // Nothing varied is the base profile repeated: the way to measure one setting with statistics (a baseline).
  if (axes.length === 0 && plan.repeat < 2) {
    throw new UsageError('nothing to vary: give --vary <key>=<v1>,<v2> (repeatable) or --batch-sizes <list>, or --repeat 2 or more to repeat the base profile');
  }
  checkReportDir(options.reportRoot);
  const trials = planTrials(target, plan, false);
  const run = planRun({ options, target, workload, trials });
  const baselineRun = baselineRunOf(run, opts);
  const baseline = opts.baseline === undefined || baselineRun === null ? null : { path: opts.baseline, value: await loadBaseline(opts.baseline, baselineRun) };
  // --tolerance is read only against a baseline; a bad one stops here rather than after the sweep has run.
  if (baseline) checkBaselineCompare({ tolerance: opts.tolerance });
  if (!opts.predict && (opts.calibrate !== undefined || opts.modelRuns !== undefined || opts.modelSeed !== undefined)) {
    throw new UsageError('--calibrate, --model-runs and --model-seed go with --predict');
  }
  const rank = workload ? workload.workload.rank : seedRank();
  // Without a rank, a workload's sweep ranks no point: there is no recommended one to gate on.
  if (workload && rank.length === 0 && opts.gate?.trim() === GATE_RECOMMENDED) {
    throw new UsageError(`--gate recommended: ${workload.source} has no "rank", so its sweep recommends no point; give it "rank" (the criteria to rank the points meeting every criterion by, docs/workload.md), or gate on one point: --gate <point>`);
  }
  if (workload && opts.gate !== undefined && workload.workload.criteria.length === 0) {
    throw new UsageError(`--gate: ${workload.source} has no criteria to judge a point by; give it "criteria" (docs/workload.md) or leave out --gate`);
  }
  if (workload && opts.predict) {
    throw new UsageError("--predict: the model (harness/predict) simulates only lockbench's own import flow (imports, catalog updates, reads, workflow writes), not a workload's streams; leave out --predict");
  }
  if (opts.predict && !isBuiltinTarget(target)) throw new UsageError('--predict: the model knows only lockbench\'s own target; leave out --target or --predict');
  let prediction: Parsed['prediction'] = null;
  if (opts.predict) {
    try {
      const model = await resolveModelOptions({
        ...(opts.calibrate === undefined ? {} : { calibrate: opts.calibrate }),
        ...(opts.modelRuns === undefined ? {} : { runs: opts.modelRuns }),
        ...(opts.modelSeed === undefined ? {} : { modelSeed: opts.modelSeed }),
      });
      const started = performance.now();
      const grid = predictGrid(predictionPoints(plan, options), modelLoad(options), loadCriteria(), rank, model);
      prediction = { model, grid, elapsedMs: performance.now() - started };
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
  }
  return {
    run,
    builtin: isBuiltinTarget(target),
    plan,
    gate: opts.gate === undefined ? null : parseGate(opts.gate, plan.points),
    rank,
    baseline,
    saveBaseline: opts.saveBaseline ?? null,
    workload: baselineRun === null ? null : identityOf(baselineRun),
    tolerance: opts.tolerance,
    prediction,
  };
}

await runCommand('scenario:sweep', () => parse(process.argv.slice(2)), async (parsed, { signal, progress }) => {
  const { plan } = parsed;
  const { options } = parsed.run;
  // The work model of the built-in target gives an estimate; a described target's work is unknown until a trial has run.
  const estimates = parsed.builtin ? new Map(parsed.run.trials.map(({ trial, settings }) => [trial.id, estimateTrialMs(builtinTargetOptions(settings), options)])) : null;
  process.stdout.write(renderPlan(plan, estimates ? estimateDurationMs(plan, (t) => estimates.get(t.id)!) : null));
  const predicted = parsed.prediction;
  if (predicted) {
    const { model, grid, elapsedMs } = predicted;
    process.stdout.write(`\n${renderPredictionTerminal({ base: plan.base, axes: plan.axes, points: grid.points, outcome: grid.outcome, runs: model.runs, seed: model.seed, costsSource: model.costsSource, elapsedMs })}\n`);
  }
  const meanEstimate = estimates ? [...estimates.values()].reduce((a, b) => a + b, 0) / estimates.size : undefined;

  // The default sweep's seed workload ranks its points.
  const workloadSweepOptions: WorkloadSweepOptions = { ranked: parsed.rank.length > 0 };
  let report: SweepReport | undefined;
  // Every trial as the run recorded it, one that did not run too: what the Run part describes when no trial reached analysis.
  let planned: RunResults['profiles'] = [];
  let measuredBeside: SweepPrediction | undefined;
  const extend = async (results: RunResults): Promise<SweepResults> => {
    const byId = new Map(results.profiles.map((p) => [p.name, p]));
    const records: TrialRecord[] = plan.trials.flatMap((t) => {
      const result = byId.get(t.id);
      return result && result.status !== 'incomplete' && result.status !== 'not-run' ? [{ trialId: t.id, pointId: t.pointId, settings: t.settings, repeat: t.repeat, result }] : [];
    });
    const summary = sweepSummaryOf(summarizeSweep({
      scenario: results.scenario,
      startedAt: results.startedAt,
      host: results.host,
      plan,
      trials: records,
      rank: parsed.rank,
      workloadFile: parsed.run.workload !== null,
      gate: parsed.gate,
      baseline: parsed.baseline?.value ?? null,
      compare: { tolerance: parsed.tolerance, source: parsed.baseline?.path },
    }));
    // Every trial carries its workload, one that did not run too: it names the criteria and streams of points none of whose trials ran.
    planned = results.profiles;
    const workload = results.profiles.find((p) => p.workload)?.workload;
    report = {
      ...summary,
      scenario: results.scenario,
      startedAt: results.startedAt,
      durationMs: results.durationMs,
      host: results.host,
      complete: results.complete,
      ...(results.incompleteReason ? { incompleteReason: results.incompleteReason } : {}),
      ...(workload ? { workload } : {}),
    };
    const prediction = predicted === null ? undefined : sweepPrediction(predicted.model, predicted.grid, summary.points);
    measuredBeside = prediction;
    // The trials carry every result; `profiles` would repeat them.
    // A sweep cut short passes nothing, asked for a gate or not: its unmeasured points were never judged.
    return { ...results, profiles: [], ...summary, ...(prediction ? { prediction } : {}), pass: summary.pass && results.complete };
  };
  const writeSweepReports = async (results: SweepResults, dir: string): Promise<void> => {
    await writeFileAtomic(join(dir, REPORT_FILES.results), renderResultsJson(results));
    const comparison = results.prediction ? renderComparisonMarkdown(results.prediction.comparison, results.prediction.costsSource) : '';
    // A sweep ends with what it ran: the workload, its streams, the target and each trial's settings;
    // the default sweep's comparison with the model follows as its own section.
    const described = reportResultsOf(results);
    const ran = (described.trials?.length ?? 0) > 0 ? described : { ...described, trials: planned.map((p) => ({ ...p, id: p.name })) };
    const summary = `${renderWorkloadSweep(report!, markdownTable, workloadSweepOptions)}\n${workloadRunMarkdown(ran).join('\n')}${comparison}`;
    await writeFileAtomic(join(dir, REPORT_FILES.summary), summary);
    // A workload file's trials are judged by its own criteria, one suite each: with --gate, the gated point's trials.
    // The default sweep keeps a suite per point (its points' criteria are the seed workload's, judged over the
    // repeats), every point listed, the ungated ones skipped, with its gate case and its baseline's suites.
    const gated = (pointId: string) => report!.gate.gate === 'none' || report!.gate.gatedPoints.includes(pointId);
    const baselineSuites = report!.workloadBaseline ? workloadBaselineJunitSuite(report!.workloadBaseline, results.scenario) : [];
    const junit = parsed.run.workload
      ? renderJunit({ ...results, profiles: report!.trials.map((t) => ({ ...t.result, gated: gated(t.pointId) })) }, baselineSuites)
      : renderSweepJunit(report!);
    await writeFileAtomic(join(dir, REPORT_FILES.junit), junit);
    await writeReportHtml(dir, reportResultsOf(results), await readTimelines(dir, results));
  };
  const outcome = await runScenario(
    parsed.run,
    {
      progress,
      signal,
      writeReports: writeSweepReports,
      createRunFolder: (root, _scenario, startedAt) => createRunFolder(root, SWEEP_FOLDER, startedAt),
      pointLatest,
      extend,
      onTrialStart: ({ index, total, trial, elapsedMs }) =>
        progress.info(formatTrialProgress(trialProgress({ completed: index, total, elapsedMs, ...(meanEstimate === undefined ? {} : { estimatePerTrialMs: meanEstimate }) }), trial.id)),
    },
  );
  progress.close();
  process.stdout.write(renderWorkloadSweep(report!, padTable, workloadSweepOptions));
  if (measuredBeside) process.stdout.write(`\n${renderComparisonTerminal(measuredBeside.comparison)}\n`);
  process.stdout.write(`report: ${displayPath(outcome.runDir)}\n`);
  if (parsed.saveBaseline !== null && parsed.workload !== null && outcome.results.complete) {
    await saveBaseline(parsed.saveBaseline, toBaseline({ ...outcome.results, ...(report ?? {}) }, parsed.workload));
    process.stdout.write(`baseline saved: ${displayPath(parsed.saveBaseline)}\n`);
  }
  return RUN_VERDICT_EXIT[outcome.verdict];
});

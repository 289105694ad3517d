// `npm run scenario:predict -- --base seed-fix --batch-sizes 1,5,10,25,50,100`: the sweep's grid predicted
// by the model of the write lock (harness/predict/) in seconds, without starting anything.
import { join } from 'node:path';
import { buildPlan, resolveVary } from '../harness/plan/sweep.ts';
import { VARY_KEYS } from '../harness/model/sweep-plan.ts';
import { loadCriteria } from '../harness/plan/criteria.ts';
import { seedRank } from '../harness/plan/seed-workload.ts';
import { writeFileAtomic } from '../harness/shared/atomic.ts';
import { modelLoad, predictionPoints } from '../harness/predict/inputs.ts';
import { MODEL_FLAGS_HELP, resolveModelOptions, type ResolvedModelOptions } from '../harness/predict/options.ts';
import { predictGrid } from '../harness/predict/predict.ts';
import { PREDICTION_FILE, predictionFile } from '../harness/predict/prediction-file.ts';
import { PROFILE_NAMES } from '../harness/plan/profiles.ts';
import { renderPredictionTerminal } from '../harness/reports/prediction.ts';
import { createRunFolder } from '../harness/reports/write.ts';
import { resolveRunOptions, type RunOptions } from '../harness/plan/options.ts';
import { displayPath } from '../harness/run/run.ts';
import { commanderExit, EXIT } from './lib/exit.ts';
import { addLoadOptions, checkReportDir, collect, LOAD_OPTION_KEYS, loadOptionsFrom, number, runCommand, runProgram } from './lib/cli.ts';
import { UsageError } from '../harness/shared/usage-error.ts';

/** The report folder's suffix: `<timestamp>-predict`. */
const PREDICT_FOLDER = 'predict';

interface Parsed {
  options: RunOptions;
  plan: ReturnType<typeof buildPlan>;
  model: ResolvedModelOptions;
}

async function parse(argv: string[]): Promise<Parsed> {
  const program = runProgram(
    'scenario:predict',
    'Predicts the sweep\'s metrics (import wall, max lock hold, catalog and workflow p99, success, busy errors) for every point ' +
      'of a grid with a discrete-event model of SQLite\'s write lock (docs/model.md), prints the predicted criteria and the ' +
      'recommendation the sweep\'s rule gives, and writes prediction.json. Starts nothing. The load and work-model flags are ' +
      'scenario:sweep\'s; the driver and observer flags are accepted and unused.',
  )
    .option('--base <profile>', `the profile every point starts from (${PROFILE_NAMES.join(', ')})`, 'staged')
    .option('--vary <key=v1,v2>', `a setting and its values; repeat the flag for a grid. Keys: ${VARY_KEYS.join(', ')}`, collect, [])
    .option('--batch-sizes <list>', 'short for --vary batchSize=<list>')
    .option('--calibrate <results.json>', MODEL_FLAGS_HELP.calibrate)
    .option('--model-runs <n>', MODEL_FLAGS_HELP.runs, number('--model-runs'))
    .option('--model-seed <n>', MODEL_FLAGS_HELP.seed, number('--model-seed'));
  addLoadOptions(program).addHelpText('after', '\nExit codes:\n  0    predicted (whatever the prediction says)\n  2    bad usage (a flag, a calibration file, a report folder that cannot be written)');
  program.parse(argv, { from: 'user' });
  const opts = program.opts<Record<string, unknown> & { base: string; vary: string[]; batchSizes?: string; calibrate?: string; modelRuns?: number; modelSeed?: number }>();
  const options = resolveRunOptions({ ...loadOptionsFrom(program, LOAD_OPTION_KEYS), scenario: 'concurrent', profiles: [opts.base], gated: [] });
  const axes = resolveVary({ vary: opts.vary, ...(opts.batchSizes === undefined ? {} : { batchSizes: opts.batchSizes }) });
  const plan = buildPlan({ base: opts.base, vary: axes, repeat: 1, seed: 0 });
  checkReportDir(options.reportRoot);
  try {
    const model = await resolveModelOptions({
      ...(opts.calibrate === undefined ? {} : { calibrate: opts.calibrate }),
      ...(opts.modelRuns === undefined ? {} : { runs: opts.modelRuns }),
      ...(opts.modelSeed === undefined ? {} : { modelSeed: opts.modelSeed }),
    });
    return { options, plan, model };
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

await runCommand('scenario:predict', () => parse(process.argv.slice(2)), async ({ options, plan, model }) => {
  const started = performance.now();
  const load = modelLoad(options);
  const prediction = predictGrid(predictionPoints(plan, options), load, loadCriteria(), seedRank(), model);
  const elapsedMs = performance.now() - started;
  process.stdout.write(renderPredictionTerminal({ base: plan.base, axes: plan.axes, points: prediction.points, outcome: prediction.outcome, runs: model.runs, seed: model.seed, costsSource: model.costsSource, elapsedMs }));
  const dir = await createRunFolder(options.reportRoot, PREDICT_FOLDER, new Date());
  const file = predictionFile({
    createdAt: new Date().toISOString(),
    base: plan.base,
    axes: plan.axes,
    load,
    model: { runs: model.runs, seed: model.seed, costs: model.costs, costsSource: model.costsSource, basis: model.basis },
    prediction,
  });
  await writeFileAtomic(join(dir, PREDICTION_FILE), `${JSON.stringify(file, null, 2)}\n`);
  process.stdout.write(`prediction: ${displayPath(join(dir, PREDICTION_FILE))}\n`);
  return EXIT.pass;
});

// `npm run bench:model -- [--repeat 3]`: the model's accuracy, measured. Runs the real sweeps of staged and
// seed-fix at batch sizes 1, 5, 10, 25, 50, 100 with --predict (scenario:sweep, as a child process each) and
// prints per point predicted beside measured, judged against the model's accuracy targets.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Command, CommanderError } from 'commander';
import { REPO_ROOT } from '../harness/shared/bundle/bundle.mjs';
import { writeFileAtomic } from '../harness/shared/atomic.ts';
import type { SweepPrediction } from '../harness/model/prediction.ts';
import { MODEL_FLAGS_HELP } from '../harness/predict/options.ts';
import { renderModelBenchMarkdown, renderModelBenchTerminal, type ModelBenchSweep } from '../harness/reports/bench-model.ts';
import { createRunFolder } from '../harness/reports/write.ts';
import { DEFAULT_REPORT_ROOT } from '../harness/plan/options.ts';
import { displayPath } from '../harness/run/run.ts';
import { commanderExit, EXIT } from './lib/exit.ts';
import { checkReportDir, list, number } from './lib/cli.ts';
import { UsageError } from '../harness/shared/usage-error.ts';

/** The sweeps the model is held to: the two profiles whose real sweeps the README shows. */
const DEFAULT_BASES = ['staged', 'seed-fix'];
const DEFAULT_BATCH_SIZES = '1,5,10,25,50,100';
/** Repeats of every point: three, as the README's sweeps, so each measured figure has a min–max. */
const DEFAULT_REPEAT = 3;
/** The shuffle seed of the README's sweeps. */
const DEFAULT_SWEEP_SEED = 11;

interface BenchOptions {
  bases: string[];
  batchSizes: string;
  repeat: number;
  calibrate?: string;
  modelRuns?: number;
  reportRoot: string;
}

function parse(argv: string[]): BenchOptions {
  const program = new Command('bench:model')
    .description(
      "Measures the model's accuracy: runs scenario:sweep --predict on each base profile over the batch sizes and prints, per point, " +
        'predicted beside measured import wall, max lock hold, catalog and workflow p99, success and busy errors, judged against ' +
        'the targets (import wall and max hold within 10 %; the p99s within 30 % or inside the measured min–max; success within ' +
        '0.5 points). A benchmark, not a test: it exits 0 whether or not the targets are met. It takes minutes.',
    )
    .exitOverride()
    .allowExcessArguments(false)
    .option('--bases <list>', 'base profiles to sweep', DEFAULT_BASES.join(','))
    .option('--batch-sizes <list>', 'batch sizes of every sweep', DEFAULT_BATCH_SIZES)
    .option('--repeat <n>', 'repeats of every point (2 or more gives each measured figure a range)', number('--repeat'), DEFAULT_REPEAT)
    .option('--calibrate <results.json>', MODEL_FLAGS_HELP.calibrate)
    .option('--model-runs <n>', MODEL_FLAGS_HELP.runs, number('--model-runs'))
    .option('--report-dir <dir>', 'folder that receives <timestamp>-bench-model/', displayPath(DEFAULT_REPORT_ROOT))
    .addHelpText('after', '\nExit codes:\n  0    measured (whatever the verdicts)\n  2    bad usage\n  3    a sweep could not run\n  130  interrupted');
  program.parse(argv, { from: 'user' });
  const o = program.opts<{ bases: string; batchSizes: string; repeat: number; calibrate?: string; modelRuns?: number; reportDir: string }>();
  if (!Number.isInteger(o.repeat) || o.repeat < 1) throw new UsageError(`--repeat must be an integer >= 1, got ${o.repeat}`);
  const bases = list(o.bases);
  if (bases.length === 0) throw new UsageError('--bases: name at least one profile');
  checkReportDir(o.reportDir);
  return { bases, batchSizes: o.batchSizes, repeat: o.repeat, ...(o.calibrate ? { calibrate: o.calibrate } : {}), ...(o.modelRuns === undefined ? {} : { modelRuns: o.modelRuns }), reportRoot: o.reportDir };
}

let running: ChildProcess | null = null;
let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    interrupted = true;
    // The sweep stops its own trials and still writes what it measured.
    running?.kill('SIGINT');
  });
}

/** Runs one sweep as its own process (its output goes to stderr, as progress); resolves with its exit code. */
function runSweep(args: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(REPO_ROOT, 'scripts', 'run.mjs'), 'scenario-sweep', ...args], { stdio: ['ignore', 2, 2] });
    running = child;
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      running = null;
      resolve(code ?? (signal ? EXIT.interrupted : EXIT.harnessFailed));
    });
  });
}

async function main(): Promise<number> {
  let options: BenchOptions;
  try {
    options = parse(process.argv.slice(2));
  } catch (err) {
    if (err instanceof CommanderError) return commanderExit(err.exitCode);
    process.stderr.write(`bench:model: ${(err as Error).message}\n`);
    return EXIT.badUsage;
  }
  const dir = await createRunFolder(options.reportRoot, 'bench-model', new Date());
  const sweeps: ModelBenchSweep[] = [];
  for (const base of options.bases) {
    const root = join(dir, base);
    const args = ['--base', base, '--batch-sizes', options.batchSizes, '--repeat', String(options.repeat), '--seed', String(DEFAULT_SWEEP_SEED), '--predict', '--report-dir', root];
    if (options.calibrate) args.push('--calibrate', options.calibrate);
    if (options.modelRuns !== undefined) args.push('--model-runs', String(options.modelRuns));
    process.stderr.write(`bench:model: scenario:sweep ${args.join(' ')}\n`);
    const started = performance.now();
    const code = await runSweep(args);
    if (interrupted) return EXIT.interrupted;
    // 1 is the sweep's gate (no gate is given, so only a failed trial): the figures are still there.
    if (code !== 0 && code !== 1) {
      process.stderr.write(`bench:model: the ${base} sweep could not run (exit ${code}); its report folder: ${displayPath(root)}\n`);
      return EXIT.harnessFailed;
    }
    const results = JSON.parse(await readFile(join(root, 'latest', 'results.json'), 'utf8')) as { prediction?: SweepPrediction };
    if (!results.prediction) throw new Error(`the ${base} sweep wrote no prediction`);
    sweeps.push({ base, repeat: options.repeat, durationMs: performance.now() - started, reportDir: displayPath(root), costsSource: results.prediction.costsSource, comparison: results.prediction.comparison });
  }
  process.stdout.write(renderModelBenchTerminal(sweeps));
  await writeFileAtomic(join(dir, 'model-accuracy.md'), renderModelBenchMarkdown(sweeps));
  await writeFileAtomic(join(dir, 'model-accuracy.json'), `${JSON.stringify({ sweeps }, null, 2)}\n`);
  process.stdout.write(`report: ${displayPath(dir)}\n`);
  return EXIT.pass;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    running?.kill('SIGINT');
    process.stderr.write(`bench:model: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(EXIT.harnessFailed);
  },
);

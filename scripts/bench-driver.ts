// `npm run bench:driver -- [flags]`: how accurately the built-in driver loads a route, beside autocannon (and k6 where installed).
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { CommanderError, InvalidArgumentError, Option } from 'commander';
import { DEFAULT_DURATION_MS, DEFAULT_RATES, runBench } from '../harness/run/bench/bench.ts';
import { benchResult, figuresFromSamples, LAG_P99_LIMIT_MS, LAG_TARGET_RATE, P50_TOLERANCE, RATE_TARGET_RATE, RATE_TOLERANCE } from '../harness/analyze/bench-figures.ts';
import { ROUTE_NAMES, ROUTES, type RouteName } from '../harness/run/bench/routes.ts';
import { K6_ENV_VARIABLE } from '../harness/run/drivers/k6/find.ts';
import { writeFileAtomic } from '../harness/shared/atomic.ts';
import { renderBenchMarkdown, renderBenchTerminal } from '../harness/reports/bench-driver.ts';
import { reportTimestamp } from '../harness/reports/write.ts';
import { displayPath } from '../harness/run/run.ts';
import { commanderExit, EXIT } from './lib/exit.ts';
import { durationMs } from '../scenarios/lib/env.ts';
import { runProgram } from './lib/cli.ts';

interface Cli {
  routes: RouteName[];
  rates: number[];
  durationMs: number;
  k6: string | null;
  reportDir: string;
}

function rates(text: string): number[] {
  const values = text.split(',').map((s) => Number(s.trim()));
  if (values.length === 0 || values.some((v) => !Number.isInteger(v) || v < 1)) throw new InvalidArgumentError(`--rates expects whole requests per second, comma-separated (e.g. 50,500,2000), got "${text}"`);
  return values;
}

function routes(text: string): RouteName[] {
  const names = text.split(',').map((s) => s.trim());
  const unknown = names.filter((n) => !(ROUTE_NAMES as readonly string[]).includes(n));
  if (unknown.length > 0) throw new InvalidArgumentError(`unknown route(s) ${unknown.join(', ')}; expected some of ${ROUTE_NAMES.join(', ')}`);
  return names as RouteName[];
}

function duration(text: string): number {
  const value = /^\d+(\.\d+)?(ms|s|m)$/.test(text.trim()) ? durationMs(text.trim()) : NaN;
  if (!(value >= 1_000)) throw new InvalidArgumentError(`--duration expects a duration of at least 1s such as 10s or 1500ms, got "${text}"`);
  return value;
}

function parseCli(argv: string[]): Cli {
  const routeHelp = [...ROUTES].map(([name, r]) => `  ${name.padEnd(7)}  ${r.summary}`).join('\n');
  const program = runProgram(
    'bench:driver',
    "Measures how accurately lockbench's built-in load driver keeps an open-model schedule on 127.0.0.1: each " +
      'route is warmed up for 3 s, unmeasured; then for each rate it runs the driver (one constant-arrival-rate ' +
      'stream of catalog updates), then autocannon on the same route at the concurrency the driver needed, then k6 ' +
      'where you have it; then all of them back to back on one connection. Prints the figures side by side with ' +
      'pass/FAIL per target and writes reports/bench-driver-<timestamp>/ (bench.md, bench.json, the samples files). ' +
      'A benchmark, not a test: it exits 0 whether or not the targets are met.',
  )
    .addHelpText(
      'after',
      `\nRoutes (each served by a process of its own):\n${routeHelp}\n\nTargets (2-core machine):\n` +
        `  achieved rate within ${RATE_TOLERANCE * 100} % of the asked rate at ${RATE_TARGET_RATE}/s\n` +
        `  scheduling lag p99 <= ${LAG_P99_LIMIT_MS} ms at ${LAG_TARGET_RATE}/s\n` +
        `  p50 latency within ${P50_TOLERANCE * 100} % of autocannon's on the same route, both back to back on one connection\n`,
    )
    .addOption(new Option('--routes <list>', `comma-separated routes: ${ROUTE_NAMES.join(', ')}`).argParser(routes).default([...ROUTE_NAMES], ROUTE_NAMES.join(',')))
    .addOption(new Option('--rates <list>', 'comma-separated requests per second').argParser(rates).default([...DEFAULT_RATES], DEFAULT_RATES.join(',')))
    .addOption(new Option('--duration <duration>', 'how long each run sends, e.g. 2s to try it out').argParser(duration).default(DEFAULT_DURATION_MS, `${DEFAULT_DURATION_MS / 1000}s`))
    .option('--k6 <path>', `the k6 binary (default: $${K6_ENV_VARIABLE}, else k6 on PATH; none: its rows say so)`)
    .option('--report-dir <dir>', 'where the report folder goes', 'reports');
  program.parse(argv, { from: 'user' });
  const o = program.opts<{ routes: RouteName[]; rates: number[]; duration: number; k6?: string; reportDir: string }>();
  return { routes: o.routes, rates: o.rates, durationMs: o.duration, k6: o.k6 ?? null, reportDir: o.reportDir };
}

async function main(): Promise<number> {
  let cli: Cli;
  try {
    cli = parseCli(process.argv.slice(2));
  } catch (err) {
    if (err instanceof CommanderError) return commanderExit(err.exitCode);
    throw err;
  }
  const dir = join(cli.reportDir, `bench-driver-${reportTimestamp(new Date())}`);
  await mkdir(dir, { recursive: true });
  const abort = new AbortController();
  const onSignal = () => abort.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const measured = await runBench({
      routes: cli.routes,
      rates: cli.rates,
      durationMs: cli.durationMs,
      k6Path: cli.k6,
      dir,
      log: (line) => process.stderr.write(`bench:driver ${line}\n`),
      signal: abort.signal,
      meanInFlight: (samples) => figuresFromSamples(samples).meanInFlight,
    });
    const result = benchResult(measured);
    await writeFileAtomic(join(dir, 'bench.json'), `${JSON.stringify(result, null, 2)}\n`);
    await writeFileAtomic(join(dir, 'bench.md'), renderBenchMarkdown(result));
    process.stdout.write(`\n${renderBenchTerminal(result)}\nwritten: ${displayPath(join(dir, 'bench.md'))}, ${displayPath(join(dir, 'bench.json'))}\n`);
    // The targets are verdicts printed above, not an exit code.
    return abort.signal.aborted ? EXIT.interrupted : EXIT.pass;
  } catch (err) {
    process.stderr.write(`bench:driver: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    return EXIT.harnessFailed;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

main().then((code) => process.exit(code));

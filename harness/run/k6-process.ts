/**
 * Runs one k6 scenario as a child process against a running target and reads the JSON summary its
 * handleSummary writes. k6's own threshold verdict (exit 99) is not the gate: the harness evaluates
 * the criteria itself from the summary and the other measurements.
 */
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { SummaryFile } from '../../scenarios/lib/contract.ts';
import type { ScenarioName } from '../results.ts';
import { k6CsvEnv } from './k6-samples.ts';
import { SCENARIO_DEFINITIONS } from './scenarios.ts';

/** k6's exit code when thresholds were crossed: a result, not a failure to run. */
export const K6_THRESHOLDS_FAILED = 99;
/** How long k6 may take to stop after SIGINT (it still writes its summary) before SIGKILL, in ms. */
export const K6_STOP_TIMEOUT_MS = 30_000;

export interface RunK6Options {
  k6Path: string;
  scenario: ScenarioName;
  /** Scenario settings passed as `-e NAME=value` (BASE_URL, IMPORTS, SUMMARY_PATH, ...). */
  env: Record<string, string>;
  /** Where handleSummary writes its JSON (also passed as SUMMARY_PATH). */
  summaryPath: string;
  /** Receives k6's stdout and stderr. */
  logFile: string;
  /** Where k6 writes every metric sample as CSV (`--out csv`), for per-request timing; none when absent. */
  samplesPath?: string;
  /** Aborting sends SIGINT: k6 stops its scenarios and still writes the summary. */
  signal?: AbortSignal;
}

export interface K6RunResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** True when the run was stopped through `signal`. */
  aborted: boolean;
  /** The summary file, when k6 wrote one. */
  summary: SummaryFile | null;
  /** Why the summary is missing or unreadable. */
  summaryError?: string;
  durationMs: number;
  /** Epoch ms when k6 was started (the `sinceMs` for the target's lock statistics). */
  startedAtMs: number;
}

/** `-e NAME=value` pairs in a stable order. */
export function k6EnvArgs(env: Record<string, string>): string[] {
  return Object.entries(env).flatMap(([name, value]) => ['-e', `${name}=${value}`]);
}

export async function runK6(options: RunK6Options): Promise<K6RunResult> {
  const env = { ...options.env, SUMMARY_PATH: options.summaryPath };
  // --quiet: no progress bar redrawn every 100 ms; k6 shares two cores with the target it measures.
  // --no-usage-report: k6 must never reach out to the network; load only ever targets 127.0.0.1.
  const samplesOut = options.samplesPath === undefined ? [] : ['--out', 'csv'];
  const args = ['run', '--quiet', '--no-color', '--no-usage-report', ...samplesOut, ...k6EnvArgs(env), SCENARIO_DEFINITIONS[options.scenario].script];
  const log = createWriteStream(options.logFile);
  const startedAtMs = Date.now();
  const started = performance.now();
  // Its own process group: a Ctrl-C at the terminal reaches the harness only, which forwards exactly
  // one SIGINT (a second one would make k6 exit without writing its summary).
  const child = spawn(options.k6Path, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
    env: { ...process.env, ...(options.samplesPath === undefined ? {} : k6CsvEnv(options.samplesPath)) },
  });
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  child.stdout.pipe(log, { end: false });
  child.stderr.pipe(log, { end: false });

  let aborted = false;
  let killTimer: NodeJS.Timeout | undefined;
  const onAbort = () => {
    aborted = true;
    child.kill('SIGINT');
    killTimer = setTimeout(() => child.kill('SIGKILL'), K6_STOP_TIMEOUT_MS);
  };
  if (options.signal?.aborted) onAbort();
  else options.signal?.addEventListener('abort', onAbort, { once: true });

  const { exitCode, signal } = await new Promise<{ exitCode: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, sig) => resolve({ exitCode: code, signal: sig }));
  }).finally(() => {
    process.removeListener('exit', killOnExit);
    clearTimeout(killTimer);
    options.signal?.removeEventListener('abort', onAbort);
  });
  await new Promise<void>((resolve) => log.end(resolve));

  const durationMs = performance.now() - started;
  let summary: SummaryFile | null = null;
  let summaryError: string | undefined;
  try {
    summary = JSON.parse(await readFile(options.summaryPath, 'utf8')) as SummaryFile;
    if (typeof summary.lockbench !== 'object' || summary.lockbench === null) {
      summaryError = `${options.summaryPath} has no "lockbench" block`;
      summary = null;
    }
  } catch (err) {
    summaryError = `k6 wrote no readable summary at ${options.summaryPath} (${(err as Error).message})`;
  }
  return { exitCode, signal, aborted, summary, ...(summaryError ? { summaryError } : {}), durationMs, startedAtMs };
}

/** Whether k6 ran its scenario to the end: exit 0, or 99 (thresholds crossed, judged by the harness). */
export function k6RanToCompletion(result: K6RunResult): boolean {
  return !result.aborted && (result.exitCode === 0 || result.exitCode === K6_THRESHOLDS_FAILED);
}

/** Test support: runs a lockbench CLI script as a child process, the way a user does. */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunResults } from '../model/results.ts';

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `script` with `args` and `--report-dir reportRoot`; `onStderr` may act on progress lines (e.g.
 * send SIGINT once the load runs).
 */
export function runCliScript(
  script: string,
  args: readonly string[],
  reportRoot: string,
  onStderr?: (text: string, child: ReturnType<typeof spawn>) => void,
  /** Environment variables on top of this process's (e.g. TMPDIR, LOCKBENCH_K6). */
  env: Readonly<Record<string, string>> = {},
): Promise<CliRun> {
  return runScript(script, [...args, '--report-dir', reportRoot], { CI: 'true', ...env }, onStderr);
}

/** Runs a TypeScript `script` through tsx with `args`, collecting its output; `env` is added to this process's. */
export function runScript(
  script: string,
  args: readonly string[],
  env: Readonly<Record<string, string>> = {},
  onStderr?: (text: string, child: ReturnType<typeof spawn>) => void,
): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      onStderr?.(stderr, child);
    });
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The results.json the last run under `reportRoot` wrote. */
export function latestResults(reportRoot: string): RunResults {
  return JSON.parse(readFileSync(join(reportRoot, 'latest', 'results.json'), 'utf8')) as RunResults;
}

/**
 * Test support for interrupting a whole run the way a user or a CI runner does: the command runs as
 * `node scripts/run.mjs <command>` in a process group of its own, with a TMPDIR of its own (which every
 * process it starts inherits, so they can be found by it), and the signal goes to the whole group at
 * a progress line or at a time after the run announced its report folder.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RunResults } from '../model/results.ts';
import { descendantsOf, processesWithEnv, waitUntilGone, waitUntilNone, type ProcessRow } from './process.ts';

const PROJECT = fileURLToPath(new URL('../..', import.meta.url));
/** Said on stderr once the run's report folder exists and its signal handlers are in place. */
export const REPORT_FOLDER_LINE = 'report folder: ';
/** How long a run's processes may take to end after the run exited, in ms (2 busy cores: generous). */
export const GONE_WITHIN_MS = 10_000;

/** When to send the signal: at the `occurrence`-th (default first) progress line holding `line`, or `afterMs` after the report folder line. */
export type InterruptPoint = { line: string; occurrence?: number } | { afterMs: number };

export interface InterruptedRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
  /** Whether the signal was sent before the run exited. */
  sent: boolean;
  /** From the signal to the run's exit, in ms. */
  stoppedInMs: number;
  /** The run's own processes when the signal went (by parent), its pid, and its own TMPDIR. */
  tree: ProcessRow[];
  pid: number;
  tmpDir: string;
  reportRoot: string;
}

/** Runs `node scripts/run.mjs <command> <args> --report-dir <reportRoot>` and sends `signal` to its group at `point`. */
export function runAndInterrupt(command: string, args: readonly string[], point: InterruptPoint, signal: NodeJS.Signals, reportRoot: string): Promise<InterruptedRun> {
  const tmpDir = mkdtempSync(join(tmpdir(), 'lockbench-interrupt-tmp-'));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['scripts/run.mjs', command, ...args, '--report-dir', reportRoot], {
      cwd: PROJECT,
      env: { ...process.env, CI: 'true', TMPDIR: tmpDir },
      stdio: ['ignore', 'ignore', 'pipe'],
      detached: true,
    });
    const pid = child.pid!;
    let stderr = '';
    let sentAt = 0;
    let tree: ProcessRow[] = [];
    let timer: NodeJS.Timeout | undefined;
    const send = () => {
      if (sentAt !== 0 || child.exitCode !== null || child.signalCode !== null) return;
      tree = descendantsOf(pid);
      sentAt = performance.now();
      try {
        process.kill(-pid, signal);
      } catch {
        sentAt = 0; // the run had ended
      }
    };
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      if ('line' in point) {
        if (stderr.split(point.line).length - 1 >= (point.occurrence ?? 1)) send();
      } else if (timer === undefined && stderr.includes(REPORT_FOLDER_LINE)) {
        timer = setTimeout(send, point.afterMs);
      }
    });
    child.once('error', reject);
    child.once('close', (code, exitSignal) => {
      clearTimeout(timer);
      resolve({ code, signal: exitSignal, stderr, sent: sentAt !== 0, stoppedInMs: sentAt === 0 ? 0 : performance.now() - sentAt, tree, pid, tmpDir, reportRoot });
    });
  });
}

/** The report folder the run announced. */
export function announcedReportFolder(run: InterruptedRun): string | null {
  const line = run.stderr.split('\n').find((l) => l.startsWith(REPORT_FOLDER_LINE));
  return line === undefined ? null : line.slice(REPORT_FOLDER_LINE.length).trim();
}

/** What is wrong with how the run ended: exit code, report, processes, temp folders; empty when nothing. */
export async function problemsAfter(run: InterruptedRun): Promise<string[]> {
  const problems: string[] = [];
  const interrupted = run.code === 130;
  if (run.sent && !interrupted && run.code !== 0 && run.code !== 1) problems.push(`exit ${run.code ?? run.signal}, expected 130 (or 0/1 when the run had finished measuring)`);
  if (/FATAL ERROR|Aborted|Segmentation/.test(run.stderr)) problems.push('the harness crashed');
  const latest = join(run.reportRoot, 'latest');
  let results: RunResults | null = null;
  try {
    results = JSON.parse(readFileSync(join(latest, 'results.json'), 'utf8')) as RunResults;
  } catch (err) {
    problems.push(`no parseable results.json under latest: ${(err as Error).message}`);
  }
  if (results) {
    if (interrupted && results.complete) problems.push('exit 130 but results.json says complete');
    if (interrupted && results.pass) problems.push('exit 130 but results.json says pass');
    if (!interrupted && !results.complete) problems.push(`exit ${run.code} but results.json says incomplete`);
    if (interrupted && !/interrupted/.test(results.incompleteReason ?? '')) problems.push(`incompleteReason is ${results.incompleteReason}`);
  }
  const folder = announcedReportFolder(run);
  if (folder === null) problems.push('no report folder was announced');
  else if (!existsSync(latest) || realpathSync(latest) !== realpathSync(resolve(PROJECT, folder))) problems.push(`latest does not point at ${folder}`);
  // By parent (the tree at the signal), by process group (the run's and each target's), and by the
  // run's TMPDIR in the environment (whatever started after the signal).
  const groups = [run.pid, ...run.tree.filter((row) => row.pgid === row.pid).map((row) => row.pid)];
  const left = await waitUntilGone([run.pid, ...run.tree.map((row) => row.pid)], groups, GONE_WITHIN_MS);
  if (left.length > 0) problems.push(`left running: ${left.map((row) => `${row.pid} ${row.command}`).join(', ')}`);
  // Polled too: a process started just before the run ended (the watchdog, say) may still be on its way out.
  const marked = await waitUntilNone(() => processesWithEnv(`TMPDIR=${run.tmpDir}`), GONE_WITHIN_MS);
  if (marked.length > 0) problems.push(`left running (by TMPDIR): ${marked.map((row) => `${row.pid} ${row.command}`).join(', ')}`);
  // Whatever was left is this test's to end, so the next case starts clean.
  for (const row of [...left, ...marked]) {
    try {
      process.kill(row.pid, 'SIGKILL');
    } catch {
      // ended meanwhile
    }
  }
  const temp = readdirSync(run.tmpDir).filter((name) => name.startsWith('lockbench-run-'));
  if (temp.length > 0) problems.push(`temp folders left: ${temp.join(', ')}`);
  rmSync(run.tmpDir, { recursive: true, force: true });
  return problems;
}

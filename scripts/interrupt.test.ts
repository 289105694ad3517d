/**
 * A Ctrl-C at a terminal reaches npm and the harness alike: the run takes it as one signal, writes the
 * report of what was measured marked incomplete, and leaves no process (checked by process group and by
 * pid, not by name). Every phase of every profile is interrupted in ./interrupt-matrix.test.ts.
 */
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { LocksObserved, RunResults } from '../harness/model/results.ts';
import { latestResults } from '../harness/testing/cli.ts';
import { isAlive } from '../harness/testing/process.ts';
import { tempDirPerTest } from '../harness/testing/temp-dir.ts';

const PROJECT = fileURLToPath(new URL('..', import.meta.url));
/** A small staged run: long enough imports (about 1.5 s) that the load phase can be caught. */
const SMALL = ['--profiles', 'staged', '--imports', '2', '--artifacts', '50', '--tail', '500ms'];

const reportDir = tempDirPerTest('lockbench-interrupt-');

interface Interrupted {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
  /** From the signal to the run's exit, in ms. */
  stoppedInMs: number;
  groupPid: number;
}

/** Starts `command` in a process group of its own and sends `signal` to `to` once stderr shows `phase`. */
function interruptAt(command: string, args: string[], phase: string, signal: NodeJS.Signals, to: 'process' | 'group'): Promise<Interrupted> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, [...args, '--report-dir', reportDir.path], { cwd: PROJECT, env: { ...process.env, CI: 'true' }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let stderr = '';
    let sentAt = 0;
    child.stdout.resume();
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      if (sentAt === 0 && stderr.includes(phase)) {
        sentAt = performance.now();
        process.kill(to === 'group' ? -child.pid! : child.pid!, signal);
      }
    });
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code, signal, stderr, stoppedInMs: performance.now() - sentAt, groupPid: child.pid! }));
  });
}

/** How long exited children may take to be reaped (tsx's esbuild service lingers as a zombie briefly), in ms. */
const REAPED_WITHIN_MS = 5_000;

async function groupGone(pgid: number): Promise<boolean> {
  const deadline = performance.now() + REAPED_WITHIN_MS;
  // Signal 0 to the negated pgid asks whether any process of the group is left.
  while (isAlive(-pgid)) {
    if (performance.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return true;
}

async function expectNothingLeft(run: Interrupted, results: RunResults): Promise<void> {
  expect(await groupGone(run.groupPid), "a process of the run's group is left").toBe(true);
  const targetPid = Number(/\[staged\] target pid (\d+)/.exec(run.stderr)?.[1]);
  if (targetPid) expect(isAlive(targetPid), `target ${targetPid} is left`).toBe(false);
  const observed = results.profiles[0]?.observed;
  if (observed?.status === 'observed') expect(isAlive((observed as LocksObserved).observerPid), 'the observer is left').toBe(false);
}

describe('an interrupted run started through npm', () => {
  it('takes a Ctrl-C from a terminal (SIGINT to the whole group, npm included) as one signal: report written, temp folder gone', { timeout: 120_000 }, async () => {
    const before = new Set(readdirSync(tmpdir()).filter((n) => n.startsWith('lockbench-run-')));
    const run = await interruptAt('npm', ['run', '--silent', 'scenario:concurrent', '--', ...SMALL], '[staged] drive the load (builtin) ...', 'SIGINT', 'group');
    const results = latestResults(reportDir.path);
    // npm itself ends by the signal (as at a terminal); the harness under it finishes its report first.
    expect(run.code === 130 || run.signal === 'SIGINT', `npm ended with ${run.code ?? run.signal}: ${run.stderr}`).toBe(true);
    expect(run.stderr).not.toContain('again, exiting now');
    expect(results.complete).toBe(false);
    expect(results.profiles[0]?.status).toBe('incomplete');
    await expectNothingLeft(run, results);
    const left = readdirSync(tmpdir()).filter((n) => n.startsWith('lockbench-run-') && !before.has(n));
    expect(left).toEqual([]);
  });

  it('takes a group SIGTERM (as `timeout` sends) the same way', { timeout: 120_000 }, async () => {
    const run = await interruptAt('npm', ['run', '--silent', 'scenario:concurrent', '--', ...SMALL], '[staged] drive the load (builtin) ...', 'SIGTERM', 'group');
    expect(run.code === 130 || run.signal === 'SIGTERM', `npm ended with ${run.code ?? run.signal}: ${run.stderr}`).toBe(true);
    expect(run.stderr).not.toContain('again, exiting now');
    expect(latestResults(reportDir.path).complete).toBe(false);
    await expectNothingLeft(run, latestResults(reportDir.path));
  });
});

/**
 * The harness killed outright (SIGKILL: no handler runs, no 'exit' event) still leaves nothing behind:
 * its watchdog stops the target's process group, the observer ends with its stdin, and its threads die
 * with it. Checked by polling the process table, by pid, by parent and by process group.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { descendantsOf, processTable, waitUntilGone, type ProcessRow } from '../harness/testing/process.ts';
import { tempDirPerTest } from '../harness/testing/temp-dir.ts';

const PROJECT = fileURLToPath(new URL('..', import.meta.url));
/** A small staged run with long enough imports that the load is caught running. */
const SMALL = ['--profiles', 'staged', '--imports', '2', '--artifacts', '50', '--tail', '500ms'];
/** How long the run's processes may take to end after the harness died, in ms (the watchdog's grace is 3 s). */
const GONE_WITHIN_MS = 10_000;

const reportDir = tempDirPerTest('lockbench-killed-');

describe('a harness killed with SIGKILL', () => {
  it('leaves no process of its run: the target and its group, the observer, the watchdog', { timeout: 120_000 }, async () => {
    const child = spawn(process.execPath, ['scripts/run.mjs', 'scenario-concurrent', ...SMALL, '--report-dir', reportDir.path], {
      cwd: PROJECT,
      // The run's temp folder outlives a SIGKILL (no handler runs): made inside this test's folder, it goes with it.
      env: { ...process.env, CI: 'true', TMPDIR: reportDir.path },
      stdio: ['ignore', 'ignore', 'pipe'],
      detached: true,
    });
    const harnessPid = child.pid!;
    let stderr = '';
    const running = await new Promise<{ targetPid: number; run: ProcessRow[] }>((resolve, reject) => {
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
        stderr += chunk;
        const targetPid = Number(/\[staged\] target pid (\d+)/.exec(stderr)?.[1]);
        if (targetPid && stderr.includes('[staged] drive the load')) resolve({ targetPid, run: descendantsOf(harnessPid) });
      });
      child.once('exit', () => reject(new Error(`the run ended before its load: ${stderr}`)));
    });
    const table = processTable();
    const targetGroup = table.find((row) => row.pid === running.targetPid)?.pgid;
    expect(targetGroup, 'the target runs in a process group of its own').toBe(running.targetPid);
    expect(running.run.some((row) => row.pid === running.targetPid)).toBe(true);

    process.kill(harnessPid, 'SIGKILL');
    const left = await waitUntilGone(
      [harnessPid, ...running.run.map((row) => row.pid)],
      [harnessPid, running.targetPid],
      GONE_WITHIN_MS,
    );
    expect(left, `still running: ${JSON.stringify(left)}`).toEqual([]);
  });
});

/**
 * End to end through the CLI: the real target, the real k6 (found or built by the harness), the
 * workflow writers, and the report folder. Figures are not asserted (they are the product); the
 * structure of results.json and its agreement with the exit code are.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunResults } from '../harness/results.ts';

const CLI = fileURLToPath(new URL('./scenario-concurrent.ts', import.meta.url));
/** A real k6 run per profile plus target start-up: generous on a busy 2-core machine. */
const E2E_TIMEOUT_MS = 240_000;

let reportRoot: string;
beforeEach(() => {
  reportRoot = mkdtempSync(join(tmpdir(), 'lockbench-e2e-'));
});
afterEach(() => {
  rmSync(reportRoot, { recursive: true, force: true });
});

interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI; `onStderr` may act on progress lines (e.g. send SIGINT once k6 runs). */
function runCli(args: string[], onStderr?: (text: string, child: ReturnType<typeof spawn>) => void): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args, '--report-dir', reportRoot], {
      env: { ...process.env, CI: 'true' },
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

function latestResults(): RunResults {
  return JSON.parse(readFileSync(join(reportRoot, 'latest', 'results.json'), 'utf8')) as RunResults;
}

const METRIC_FIELDS = [
  'importWallMs', 'maxLockHoldMs', 'lockHoldP99Ms', 'catalogP50Ms', 'catalogP99Ms', 'catalogP50AllMs', 'catalogP99AllMs',
  'workflowWriteP99Ms', 'workflowWriteP99AllMs', 'requestSuccessRate', 'busyErrors', 'artifactsExpected', 'artifactsFound', 'integrityOk',
];

describe('scenario:concurrent CLI', () => {
  it('runs the real k6 smoke scenario and reports it', { timeout: E2E_TIMEOUT_MS }, async () => {
    const run = await runCli(['--scenario', 'smoke', '--profiles', 'staged']);
    const results = latestResults();

    expect(run.code, run.stderr).toBe(results.pass ? 0 : 1);
    expect(results).toMatchObject({ scenario: 'smoke', complete: true });
    expect(results.k6.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(results.host.cpus).toBeGreaterThan(0);
    const [staged] = results.profiles;
    expect(staged).toMatchObject({ name: 'staged', gated: true, status: 'completed' });
    expect(staged!.criteria.map((c) => c.id)).toEqual(['lock-hold', 'success', 'no-loss']);
    expect(staged!.metrics.artifactsFound).toBe(staged!.metrics.artifactsExpected);
    expect(staged!.metrics.integrityOk).toBe(true);
    for (const file of ['summary.md', 'junit.xml', 'k6-staged.json', 'target-staged.log']) {
      expect(existsSync(join(reportRoot, 'latest', file)), file).toBe(true);
    }
    expect(run.stdout).toMatch(/gate \(staged\): (PASS|FAIL)/);
  });

  it('runs a reduced concurrent case over two profiles with every results.json field', { timeout: E2E_TIMEOUT_MS }, async () => {
    // Imports of ~0.3 s or more and 50 catalog updates and workflow writes a second, so the import
    // window holds samples for the in-window latency criteria.
    const run = await runCli([
      '--profiles', 'before,staged', '--imports', '2', '--artifacts', '10', '--prepare-ms', '30', '--write-ms', '1',
      '--duration', '3s', '--catalog-rate', '50', '--read-rate', '2', '--workflow-rate', '50',
    ]);
    const results = latestResults();

    expect(run.code, run.stderr).toBe(results.pass ? 0 : 1);
    expect(Object.keys(results)).toEqual(expect.arrayContaining(['scenario', 'startedAt', 'k6', 'host', 'profiles', 'pass']));
    expect(results.profiles.map((p) => [p.name, p.gated, p.status])).toEqual([
      ['before', false, 'completed'],
      ['staged', true, 'completed'],
    ]);
    for (const profile of results.profiles) {
      expect(Object.keys(profile.metrics).sort()).toEqual([...METRIC_FIELDS].sort());
      expect(profile.criteria.map((c) => c.id)).toEqual(['lock-hold', 'import-wall', 'catalog-p99', 'success', 'workflow-p99', 'no-loss']);
      for (const criterion of profile.criteria) {
        expect(Object.keys(criterion)).toEqual(expect.arrayContaining(['id', 'threshold', 'measured', 'unit', 'pass']));
        // Everything was measured: a null would be a failure with a reason.
        expect(criterion.measured, criterion.id).not.toBeNull();
      }
      expect(profile.metrics.artifactsExpected).toBe(20);
      expect(profile.metrics.artifactsFound).toBe(20);
      expect(profile.workflowWriters?.writes).toBeGreaterThan(0);
      expect(profile.config.target).toMatchObject({ prepareMs: 30, writeMs: 1 });
      expect(profile.importWindow.catalog.inWindow).toBeGreaterThan(0);
      expect(profile.importWindow.catalog.inWindow).toBeLessThan(profile.importWindow.catalog.total!);
      expect(profile.files.k6Samples).toBe(`k6-samples-${profile.name}.csv`);
    }
    expect(results.profiles[0]!.config.target).toMatchObject({ importMode: 'monolithic', connections: 'per-request' });
    expect(results.pass).toBe(results.profiles[1]!.pass);
  });

  it('rejects an unknown profile as bad usage', async () => {
    const run = await runCli(['--profiles', 'after']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--profiles: unknown profile "after"');
  });

  it('on SIGINT stops k6, the writers and the target and still writes what was measured, marked incomplete', { timeout: E2E_TIMEOUT_MS }, async () => {
    let sent = false;
    const run = await runCli(['--profiles', 'staged,before', '--duration', '60s', '--artifacts', '10'], (stderr, child) => {
      if (!sent && stderr.includes('[staged] k6 concurrent ...')) {
        sent = true;
        child.kill('SIGINT');
      }
    });
    const results = latestResults();

    expect(run.code, run.stderr).toBe(130);
    expect(results.complete).toBe(false);
    expect(results.incompleteReason).toMatch(/interrupted/);
    expect(results.profiles.map((p) => [p.name, p.status])).toEqual([
      ['staged', 'incomplete'],
      ['before', 'incomplete'],
    ]);
    expect(results.profiles[1]!.error).toBe('interrupted before it ran');
    expect(results.pass).toBe(false);
    expect(run.stdout).toContain('INCOMPLETE');
  });
});

describe('scenario:concurrent CLI when the target dies', () => {
  it('reports the profile as errored and exits 3', { timeout: E2E_TIMEOUT_MS }, async () => {
    let killed = false;
    const run = await runCli(['--profiles', 'staged', '--duration', '60s', '--artifacts', '10'], (stderr) => {
      const pid = /\[staged\] target pid (\d+) at /.exec(stderr)?.[1];
      if (!killed && pid && stderr.includes('[staged] k6 concurrent ...')) {
        killed = true;
        process.kill(Number(pid), 'SIGKILL');
      }
    });
    const results = latestResults();

    expect(run.code, run.stderr).toBe(3);
    expect(results.profiles[0]).toMatchObject({ name: 'staged', status: 'errored', pass: false });
    expect(results.profiles[0]!.error).toMatch(/^the target exited during the run \(code null, signal SIGKILL\)/);
    expect(results.profiles[0]!.criteria.some((c) => !c.pass && c.reason !== undefined)).toBe(true);
    expect(results.complete).toBe(false);
  });
});

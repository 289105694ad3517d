/**
 * End to end through the CLI with `--target`: the FastAPI + SQLAlchemy example started from its
 * description, and lockbench's own target already running, given by URL. Figures are not asserted
 * (they are the product); what was measured, where it came from, and what was not run are.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LocksObserved, ProfileResult } from '../harness/model/results.ts';
import { BUILTIN_TARGET_INPUT } from '../harness/plan/targets/builtin.ts';
import { startTarget } from '../harness/run/target-process/target-process.ts';
import { latestResults, runCliScript } from '../harness/testing/cli.ts';
import { isAlive } from '../harness/testing/process.ts';

const CLI = fileURLToPath(new URL('./scenario-concurrent.ts', import.meta.url));
const FASTAPI = fileURLToPath(new URL('../examples/fastapi-sqlalchemy/target.json', import.meta.url));
/** Two trials, each starting uvicorn or the target and running a small load: generous on a busy 2-core machine. */
const E2E_TIMEOUT_MS = 300_000;
/** A small load: two imports of ten entries with catalog updates, reads and workflow writes beside them. */
const SMALL_LOAD = ['--imports', '2', '--artifacts', '10', '--tail', '500ms', '--catalog-rate', '50', '--read-rate', '2', '--workflow-rate', '50'];
const CRITERIA = ['lock-hold', 'import-wall', 'catalog-p99', 'success', 'workflow-p99', 'no-loss'];

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'lockbench-target-e2e-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** The observer watched the load and lock-hold judged its figure; the target's holds were told apart by its pid. */
function expectObservedLockHold(profile: ProfileResult): LocksObserved {
  const observed = profile.observed!;
  expect(observed.status, JSON.stringify(observed)).toBe('observed');
  if (observed.status !== 'observed') throw new Error('unreachable');
  expect(observed.summary.spanCount).toBeGreaterThan(0);
  expect(observed.holders.find((h) => h.role === 'target')?.observed.spanCount).toBeGreaterThan(0);
  expect(profile.criteria.find((c) => c.id === 'lock-hold')).toMatchObject({ basis: 'observed', measured: observed.summary.holdMaxMs });
  return observed;
}

describe('scenario:concurrent --target', () => {
  it('runs the FastAPI example monolithic and batched: observed lock spans, every criterion, no-loss counted by its SQL', { timeout: E2E_TIMEOUT_MS }, async () => {
    const run = await runCliScript(CLI, ['--target', FASTAPI, '--set', 'artifactWorkMs=5', ...SMALL_LOAD], dir);
    const results = latestResults(dir);

    expect(run.code, run.stderr).toBe(results.pass ? 0 : 1);
    expect(results.options).toMatchObject({ target: FASTAPI, settings: { artifactWorkMs: 5 } });
    expect(results.profiles.map((p) => [p.name, p.gated, p.status])).toEqual([
      ['monolithic', false, 'completed'],
      ['batched', true, 'completed'],
    ]);
    for (const profile of results.profiles) {
      const observed = expectObservedLockHold(profile);
      // No self-reported figures: nothing to cross-check against, and it says so.
      expect(observed.crossCheck).toEqual({ outcome: 'not-checked', because: 'target-reports-none', warnings: [] });
      expect(profile.metrics.maxLockHoldSelfReportedMs).toBeNull();
      expect(profile.targetLocks).toBeNull();
      expect(profile.notes).toContainEqual({ code: 'target-reports-no-locks', target: 'fastapi-sqlalchemy' });
      expect(profile.criteria.map((c) => c.id)).toEqual(CRITERIA);
      for (const criterion of profile.criteria) expect(criterion.measured, criterion.id).not.toBeNull();
      expect(profile.metrics).toMatchObject({ artifactsExpected: 20, artifactsFound: 20, integrityOk: true });
      expect(profile.integrity?.notRun).toEqual([]);
      expect(profile.workflowWriters?.writes).toBeGreaterThan(0);
      expect(profile.integrity?.workflowExecutions.found).toBe(profile.workflowWriters?.acknowledged.executions);
      expect(profile.config.target).toMatchObject({ status: 'ok' });
      expect(existsSync(join(dir, 'latest', profile.files.spans!))).toBe(true);
    }
    expect(results.profiles[1]!.config.flags).toMatchObject({ importMode: 'batched', batchSize: '10', artifactWorkMs: '5' });
    expect(run.stdout).toMatch(/^lock-hold\s.*\(observed\) (pass|FAIL)/m);
  });

  it('runs against a target that is already running, given by URL, and leaves it and its database alone', { timeout: E2E_TIMEOUT_MS }, async () => {
    const database = join(dir, 'running.db');
    const target = await startTarget({ args: ['--prepare-ms', '5', '--write-ms', '1'], dbPath: database, logFile: join(dir, 'target.log') });
    try {
      const { start: _start, settings: _settings, profiles: _profiles, database: _database, ...routes } = BUILTIN_TARGET_INPUT;
      const description = join(dir, 'running.json');
      writeFileSync(description, JSON.stringify({ ...routes, name: 'running-target', url: target.url, database }));

      const run = await runCliScript(CLI, ['--target', description, ...SMALL_LOAD], join(dir, 'reports'));
      const results = latestResults(join(dir, 'reports'));

      expect(run.code, run.stderr).toBe(0);
      expect(results.profiles.map((p) => [p.name, p.gated, p.status])).toEqual([['as-is', false, 'completed']]);
      const [profile] = results.profiles;
      const observed = expectObservedLockHold(profile!);
      // The description offers the target's own lock figures and its health names its pid: cross-checked.
      expect(['agree', 'fault']).toContain(observed.crossCheck.outcome);
      expect(observed.holders.find((h) => h.role === 'target')?.pid).toBe(target.pid);
      expect(profile!.metrics).toMatchObject({ artifactsExpected: 20, artifactsFound: 20, integrityOk: true });
      expect(run.stderr).toContain(`[as-is] running target at ${target.url} (pid ${target.pid}), database ${database}`);
      expect(isAlive(target.pid)).toBe(true);
      expect(existsSync(database)).toBe(true);
    } finally {
      await target.stop();
    }
  });

  it('refuses a running target on another host, saying why', async () => {
    const description = join(dir, 'remote.json');
    const { start: _start, settings: _settings, profiles: _profiles, ...routes } = BUILTIN_TARGET_INPUT;
    writeFileSync(description, JSON.stringify({ ...routes, url: 'http://192.0.2.10:8000', database: join(dir, 'remote.db') }));
    const run = await runCliScript(CLI, ['--target', description], dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('is not on this machine: lockbench sends its load only to 127.0.0.1, and the lock observer watches the database file');
    expect(run.stderr).toContain('--allow-remote-target');
  });

  it('refuses --driver k6 for a foreign target as bad usage', async () => {
    const run = await runCliScript(CLI, ['--target', FASTAPI, '--driver', 'k6'], dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--driver: k6 drives only the built-in target');
  });
});

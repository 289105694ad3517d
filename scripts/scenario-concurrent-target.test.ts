/**
 * End to end through the CLI with `--target`: the FastAPI + SQLAlchemy and node:cluster examples started
 * from their descriptions, and lockbench's own target already running, given by URL; each judged by the
 * scenario's workload adapted to its description, which agrees with criteria.json over the recorded metrics. Figures are not asserted
 * (they are the product); what was measured, where it came from, and what was not run are.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LocksObserved, ProfileResult } from '../harness/model/results.ts';
import type { SpansFile } from '../harness/model/timeline.ts';
import { BUILTIN_TARGET_INPUT } from '../harness/plan/targets/builtin.ts';
import { startTarget } from '../harness/run/target-process/target-process.ts';
import { latestResults, runCliScript } from '../harness/testing/cli.ts';
import { isAlive } from '../harness/testing/process.ts';
import { expectWorkloadAgreesWithCriteria, SEED_MS_ROUNDING } from '../harness/testing/workload-agreement.ts';

const CLI = fileURLToPath(new URL('./scenario-concurrent.ts', import.meta.url));
const FASTAPI = fileURLToPath(new URL('../examples/fastapi-sqlalchemy/target.json', import.meta.url));
const NODE_CLUSTER = fileURLToPath(new URL('../examples/node-cluster/target.json', import.meta.url));
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

/**
 * The observer watched the load and lock-hold judged its figure; the target's holds were told apart by its pid.
 * `reportRoot`: where the run wrote its folder, whose spans file holds every hold the observer saw.
 */
function expectObservedLockHold(profile: ProfileResult, reportRoot: string): LocksObserved {
  const observed = profile.observed!;
  expect(observed.status, JSON.stringify(observed)).toBe('observed');
  if (observed.status !== 'observed') throw new Error('unreachable');
  expect(observed.summary.spanCount).toBeGreaterThan(0);
  expect(observed.holders.find((h) => h.role === 'target')?.observed.spanCount).toBeGreaterThan(0);
  // The scenario's workload, adapted to the description, judges lock-hold on the same observed spans.
  expect(profile.workload!.lockSource).toBe('observed');
  const lockHold = profile.workload!.criteria.find((c) => c.id === 'lock-hold')!;
  // It judges the holds of the run (first request sent to last answer); the observer watched a little longer,
  // so its longest hold can lie before or after the load, never be shorter.
  expect(lockHold.measured!).toBeLessThanOrEqual(observed.summary.holdMaxMs! + SEED_MS_ROUNDING);
  const spans = JSON.parse(readFileSync(join(reportRoot, 'latest', `spans-${profile.name}.json`), 'utf8')) as SpansFile;
  const held = spans.observed!.writeSpans.map((s) => s.endMs - s.startMs);
  expect(held.some((ms) => Math.abs(ms - lockHold.measured!) <= SEED_MS_ROUNDING), `${profile.name}: lock-hold ${lockHold.measured} is one of the observed holds`).toBe(true);
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
      const observed = expectObservedLockHold(profile, dir);
      // No self-reported figures: nothing to cross-check against, and it says so.
      expect(observed.crossCheck).toEqual({ outcome: 'not-checked', because: 'target-reports-none', warnings: [] });
      expect(profile.metrics!.maxLockHoldSelfReportedMs).toBeNull();
      expect(profile.targetLocks).toBeNull();
      expect(profile.notes).toContainEqual({ code: 'target-reports-no-locks', target: 'fastapi-sqlalchemy' });
      const criteria = expectWorkloadAgreesWithCriteria(profile, 'concurrent');
      expect(criteria.map((c) => c.id)).toEqual(CRITERIA);
      for (const criterion of criteria) expect(criterion.measured, criterion.id).not.toBeNull();
      expect(profile.metrics).toMatchObject({ artifactsExpected: 20, artifactsFound: 20, integrityOk: true });
      expect(profile.integrity?.notRun).toEqual([]);
      expect(profile.workflowWriters?.writes).toBeGreaterThan(0);
      expect(profile.integrity?.workflowExecutions.found).toBe(profile.workflowWriters?.acknowledged.executions);
      expect(profile.config.target).toMatchObject({ status: 'ok' });
      expect(existsSync(join(dir, 'latest', profile.files.spans!))).toBe(true);
    }
    expect(results.profiles[1]!.config.flags).toMatchObject({ importMode: 'batched', batchSize: '10', artifactWorkMs: '5' });
    for (const profile of ['monolithic', 'batched']) expect(run.stdout).toMatch(new RegExp(`^${profile}: lock figures from the external observer`, 'm'));
  });

  // The workload the scenario carries on a described target judges it as criteria.json did: node-sqlite3 in a
  // node:cluster, whose deferred profiles answer 500 (database is locked) to some requests, so verdicts differ.
  it('judges the node:cluster example by the scenario workload adapted to its description, as criteria.json judges its metrics', { timeout: E2E_TIMEOUT_MS }, async () => {
    const run = await runCliScript(CLI, ['--target', NODE_CLUSTER, ...SMALL_LOAD], dir);
    const results = latestResults(dir);

    expect(run.code, run.stderr).toBe(results.pass ? 0 : 1);
    expect(results.profiles.map((p) => [p.name, p.status])).toEqual(['deferred', 'immediate', 'wal', 'wal-immediate'].map((name) => [name, 'completed']));
    for (const profile of results.profiles) {
      expectObservedLockHold(profile, dir);
      const criteria = expectWorkloadAgreesWithCriteria(profile, 'concurrent');
      const imports = profile.workload!.streams.find((s) => s.stream === 'imports')!;
      for (const criterion of criteria) {
        // Deferred transactions can refuse both imports at the upgrade, at once: the imports' window is then
        // too short to hold a catalog update, and catalog-p99 has none inside it. Nothing else goes unmeasured.
        if (criterion.measured === null && imports.successes === 0) expect([criterion.id, criterion.code], profile.name).toEqual(['catalog-p99', 'window-empty']);
        else expect(criterion.measured, `${profile.name} ${criterion.id}`).not.toBeNull();
      }
      // Its imports acknowledge by the description's importedField; its rows are counted by its SQL.
      expect(profile.workload!.streams.find((s) => s.stream === 'imports')!.acknowledged).toBe(profile.metrics!.artifactsExpected);
      expect(profile.workload!.streams.find((s) => s.stream === 'workflow')!.requests).toBe(profile.workflowWriters!.writes);
    }
    expect(results.profiles[0]!.workload!.definition!.streams.find((s) => s.name === 'imports')!.action).toEqual({ kind: 'http', method: 'POST', path: '/api/sources/src-{source}/import' });
  });

  it("judges a soak of the node:cluster example by the soak's workload adapted to its description, as criteria.json judges its metrics", { timeout: E2E_TIMEOUT_MS }, async () => {
    const soak = ['--scenario', 'soak', '--duration', '3s', '--import-rate', '1', '--imports', '2', '--artifacts', '10', '--catalog-rate', '20', '--read-rate', '2', '--workflow-rate', '20'];
    const run = await runCliScript(CLI, ['--target', NODE_CLUSTER, '--profiles', 'wal-immediate', ...soak], dir);
    const [profile] = latestResults(dir).profiles;

    expect(run.code, run.stderr).toBe(profile!.pass ? 0 : 1);
    expect(profile!.status).toBe('completed');
    const criteria = expectWorkloadAgreesWithCriteria(profile!, 'soak');
    for (const criterion of criteria) expect(criterion.measured, criterion.id).not.toBeNull();
  });

  it('keeps "not measured" and a failed verdict where a description gives no sql.artifactsPerSource, no sql.workflowWrite, no importedField', { timeout: E2E_TIMEOUT_MS }, async () => {
    const { sql: _sql, ...example } = JSON.parse(readFileSync(NODE_CLUSTER, 'utf8')) as { sql?: unknown; start: { cwd: string }; requests: { import: { importedField?: string } } };
    const { importedField: _field, ...importRequest } = example.requests.import;
    const bare = { ...example, name: 'node-cluster-bare', start: { ...example.start, cwd: dirname(NODE_CLUSTER) }, requests: { ...example.requests, import: importRequest } };
    const description = join(dir, 'bare.json');
    writeFileSync(description, JSON.stringify(bare));

    const run = await runCliScript(CLI, ['--target', description, '--profiles', 'wal-immediate', ...SMALL_LOAD], join(dir, 'reports'));
    const [profile] = latestResults(join(dir, 'reports')).profiles;

    expect(run.code, run.stderr).toBe(1);
    expect(profile!.status).toBe('completed');
    expect(profile!.notes).toEqual(expect.arrayContaining([{ code: 'no-workflow-write' }, { code: 'no-artifacts-per-source' }]));
    const criteria = expectWorkloadAgreesWithCriteria(profile!, 'concurrent');
    // Every successful import acknowledges its entries, as the drivers count on a target that names no field.
    expect(profile!.metrics!.artifactsExpected).toBe(20);
    expect(profile!.workload!.streams.find((s) => s.stream === 'imports')!.acknowledged).toBe(20);
    expect(criteria.find((c) => c.id === 'no-loss')).toMatchObject({ measured: null, threshold: 20, pass: false, code: 'not-counted' });
    expect(criteria.find((c) => c.id === 'workflow-p99')).toMatchObject({ measured: null, pass: false, code: 'no-samples' });
    expect(run.stdout).toMatch(/^no-loss\s.*not measured.* FAIL\s+FAIL$/m);
    expect(run.stdout).toMatch(/^workflow-p99\s.*not measured.* FAIL\s+FAIL$/m);
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
      const observed = expectObservedLockHold(profile!, join(dir, 'reports'));
      // The description offers the target's own lock figures and its health names its pid: cross-checked.
      expect(['agree', 'fault']).toContain(observed.crossCheck.outcome);
      expect(observed.holders.find((h) => h.role === 'target')?.pid).toBe(target.pid);
      expect(profile!.metrics).toMatchObject({ artifactsExpected: 20, artifactsFound: 20, integrityOk: true });
      expectWorkloadAgreesWithCriteria(profile!, 'concurrent');
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

/**
 * End to end through the CLI: the real target, the built-in load driver, the
 * workflow writers, and the report folder. Figures are not asserted (they are the product); the
 * structure of results.json and its agreement with the exit code are.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { LocksObserved, ProfileResult, RunResults, ScenarioName } from '../harness/model/results.ts';
import { latestResults as latestRunResults, runCliScript } from '../harness/testing/cli.ts';
import { isAlive } from '../harness/testing/process.ts';
import { expectWorkloadAgreesWithCriteria, SEED_MS_ROUNDING } from '../harness/testing/workload-agreement.ts';
import { tempDirPerTest } from '../harness/testing/temp-dir.ts';

const CLI = fileURLToPath(new URL('./scenario-concurrent.ts', import.meta.url));
/** A real load per profile plus target start-up: generous on a busy 2-core machine. */
const E2E_TIMEOUT_MS = 240_000;

const reportDir = tempDirPerTest('lockbench-e2e-');

/** Runs the CLI; `onStderr` may act on progress lines (e.g. send SIGINT once the load runs). */
function runCli(args: string[], onStderr?: Parameters<typeof runCliScript>[3]) {
  return runCliScript(CLI, args, reportDir.path, onStderr);
}

function latestResults(): RunResults {
  return latestRunResults(reportDir.path);
}

const METRIC_FIELDS = [
  'importWallMs', 'maxLockHoldMs', 'maxLockHoldSource', 'maxLockHoldObservedMs', 'maxLockHoldSelfReportedMs', 'lockHoldP99Ms', 'catalogP50Ms', 'catalogP99Ms', 'catalogP50AllMs', 'catalogP99AllMs',
  'workflowWriteP99Ms', 'workflowWriteP99AllMs', 'requestSuccessRate', 'busyErrors', 'artifactsExpected', 'artifactsFound', 'integrityOk',
];

/**
 * The observer watched the profile's whole load from its own process, lock-hold judged its figure, and
 * results.json carries the comparison with the target's and the writers' own figures.
 */
function expectObserved(profile: ProfileResult): LocksObserved {
  const observed = profile.observed!;
  expect(observed.status, JSON.stringify(observed)).toBe('observed');
  if (observed.status !== 'observed') throw new Error('unreachable');
  expect(observed.observerPid).not.toBe(process.pid);
  expect(observed.intervalUs).toBe(250);
  expect(observed.summary.spanCount).toBeGreaterThan(0);
  expect(observed.comparison.figures.map((f) => f.id)).toEqual(['holdMaxMs', 'holdP99Ms', 'dutyCycle', 'spanCount']);
  for (const figure of observed.comparison.figures) expect(Object.keys(figure)).toEqual(expect.arrayContaining(['observed', 'selfReported', 'difference', 'allowed', 'fault']));
  expect(['agree', 'fault']).toContain(observed.crossCheck.outcome);
  const target = observed.holders.find((h) => h.role === 'target');
  expect(target?.observed.spanCount).toBeGreaterThan(0);
  expect(observed.holders.find((h) => h.role === 'workflow-writers')?.selfReported).not.toBeNull();

  // The scenario's workload judges lock-hold on the same observed spans.
  expect(profile.workload!.lockSource).toBe('observed');
  const lockHold = profile.workload!.criteria.find((c) => c.id === 'lock-hold')!;
  expect(Math.abs(lockHold.measured! - observed.summary.holdMaxMs!)).toBeLessThanOrEqual(SEED_MS_ROUNDING);
  expect(profile.metrics).toMatchObject({ maxLockHoldSource: 'observed', maxLockHoldObservedMs: observed.summary.holdMaxMs });
  expect(profile.metrics!.maxLockHoldSelfReportedMs).toBeGreaterThan(0);

  // The timeline's data: the observer's spans, each labelled with its holder.
  const spans = JSON.parse(readFileSync(join(reportDir.path, 'latest', profile.files.spans!), 'utf8')) as {
    observed: { writeSpans: { pid: number; holder: string }[] };
  };
  expect(spans.observed.writeSpans.length).toBe(observed.summary.spanCount);
  expect(spans.observed.writeSpans.filter((s) => s.pid === target!.pid).every((s) => s.holder === 'target')).toBe(true);
  return observed;
}

/**
 * The scenario's workload (the seed, or the smoke check's own) alone judged the profile, agreeing with
 * criteria.json's of the same id over the recorded `metrics`, on the observer's spans, every figure measured.
 */
function expectSeedAgrees(profile: ProfileResult, scenarioName: ScenarioName = 'concurrent'): void {
  const criteria = expectWorkloadAgreesWithCriteria(profile, scenarioName);
  expect(profile.workload!.lockSource).toBe('observed');
  for (const judged of criteria) expect(judged.measured, `${profile.name} ${judged.id}`).not.toBeNull();
}

describe('scenario:concurrent CLI', () => {
  it('runs the smoke scenario with the built-in driver and reports it, naming the driver', { timeout: E2E_TIMEOUT_MS }, async () => {
    const run = await runCli(['--scenario', 'smoke', '--profiles', 'staged']);
    const results = latestResults();

    expect(run.code, run.stderr).toBe(results.pass ? 0 : 1);
    expect(results).toMatchObject({ scenario: 'smoke', complete: true });
    expect(results.driver).toMatchObject({ name: 'builtin', version: expect.stringMatching(/^7\.\d+\.\d+/) });
    expect(run.stdout).toMatch(/builtin driver \(undici 7\.\d+\.\d+\)/);
    expect(results.host.cpus).toBeGreaterThan(0);
    const [staged] = results.profiles;
    expect(staged).toMatchObject({ name: 'staged', gated: true, status: 'completed' });
    // The smoke check's own workload alone judges it, and agrees with criteria.json's subset for the smoke.
    expect(staged!.workload!.criteria.map((c) => c.id)).toEqual(['lock-hold', 'success', 'no-loss']);
    expectSeedAgrees(staged!, 'smoke');
    expect(staged!.metrics!.artifactsFound).toBe(staged!.metrics!.artifactsExpected);
    expect(staged!.metrics!.integrityOk).toBe(true);
    for (const file of ['summary.md', 'junit.xml', 'driver-staged.json', 'samples-staged.csv', 'target-staged.log']) {
      expect(existsSync(join(reportDir.path, 'latest', file)), file).toBe(true);
    }
    expect(run.stdout).toMatch(/gate \(staged\): (PASS|FAIL)/);
    expectObserved(staged!);
    expect(run.stdout).toMatch(/^lock-hold\s+< 500 ms\s+\S+ ms (pass|FAIL)\s+(pass|FAIL)$/m);
    expect(run.stdout).toMatch(/^staged: lock figures from the external observer/m);
    expect(readFileSync(join(reportDir.path, 'latest', 'junit.xml'), 'utf8')).toContain('name="lock-cross-check: ');
  });

  it('with --no-observer judges lock-hold on the self-reported figure and says so', { timeout: E2E_TIMEOUT_MS }, async () => {
    const run = await runCli(['--scenario', 'smoke', '--profiles', 'staged', '--no-observer']);
    const [staged] = latestResults().profiles;

    expect(run.code, run.stderr).toBe(staged!.pass ? 0 : 1);
    expect(staged!.observed).toMatchObject({ status: 'off', crossCheck: { outcome: 'not-checked' } });
    expect(staged!.workload!.lockSource).toBe('self-reported');
    // The holders' own spans inside the load: every hold of the target (it holds only while it answers), and
    // at most the longest any holder reported, the writers' before and after the load included.
    const lockHold = staged!.workload!.criteria.find((c) => c.id === 'lock-hold')!;
    const spans = JSON.parse(readFileSync(join(reportDir.path, 'latest', staged!.files.spans!), 'utf8')) as { target: { startMs: number; endMs: number }[] };
    expect(spans.target.length).toBeGreaterThan(0);
    expect(lockHold.measured!).toBeGreaterThanOrEqual(Math.max(...spans.target.map((h) => h.endMs - h.startMs)) - SEED_MS_ROUNDING);
    expect(lockHold.measured!).toBeLessThanOrEqual(staged!.metrics!.maxLockHoldSelfReportedMs! + SEED_MS_ROUNDING);
    expect(run.stderr).toContain('[staged] observer turned off (--no-observer); lock-hold falls back to the self-reported figure');
    expect(run.stdout).toMatch(/^lock-hold\s+< 500 ms\s+\S+ ms (pass|FAIL)\s+(pass|FAIL)$/m);
    expect(run.stdout).toMatch(/^staged: lock figures self-reported by the holders \(the observer did not watch\)/m);
    expect(readFileSync(join(reportDir.path, 'latest', 'junit.xml'), 'utf8')).toContain('<skipped message="not checked: observer turned off (--no-observer)" />');
  });

  it('runs a reduced concurrent case over two profiles with every results.json field', { timeout: E2E_TIMEOUT_MS }, async () => {
    // Imports of ~0.3 s or more and 50 catalog updates and workflow writes a second, so the import
    // window holds samples for the in-window latency criteria.
    const run = await runCli([
      '--profiles', 'before,staged', '--imports', '2', '--artifacts', '10', '--prepare-ms', '30', '--write-ms', '1',
      '--tail', '500ms', '--catalog-rate', '50', '--read-rate', '2', '--workflow-rate', '50',
    ]);
    const results = latestResults();

    expect(run.code, run.stderr).toBe(results.pass ? 0 : 1);
    expect(Object.keys(results)).toEqual(expect.arrayContaining(['scenario', 'startedAt', 'driver', 'host', 'profiles', 'pass']));
    expect(results.profiles.map((p) => [p.name, p.gated, p.status])).toEqual([
      ['before', false, 'completed'],
      ['staged', true, 'completed'],
    ]);
    for (const profile of results.profiles) {
      expect(Object.keys(profile.metrics!).sort()).toEqual([...METRIC_FIELDS].sort());
      // The seed workload's criteria judge it; criteria.json's no longer do.
      expect(profile.criteria).toEqual([]);
      expect(profile.workload!.criteria.map((c) => c.id)).toEqual(['lock-hold', 'import-wall', 'catalog-p99', 'success', 'workflow-p99', 'no-loss']);
      for (const criterion of profile.workload!.criteria) {
        expect(Object.keys(criterion)).toEqual(expect.arrayContaining(['id', 'threshold', 'measured', 'unit', 'pass']));
        // Everything was measured: a null would be a failure with a reason.
        expect(criterion.measured, criterion.id).not.toBeNull();
      }
      expect(profile.metrics!.artifactsExpected).toBe(20);
      expect(profile.metrics!.artifactsFound).toBe(20);
      expect(profile.workflowWriters?.writes).toBeGreaterThan(0);
      expect(profile.config.target).toMatchObject({ prepareMs: 30, writeMs: 1 });
      expect(profile.importWindow!.catalog.inWindow).toBeGreaterThan(0);
      expect(profile.importWindow!.catalog.inWindow).toBeLessThan(profile.importWindow!.catalog.total!);
      expect(profile.files.samples).toBe(`samples-${profile.name}.csv`);
      const observed = expectObserved(profile);
      expect(run.stdout).toMatch(/lock observer vs self-reported figures \(reported, not gating\): before (agree|FAULT), staged (agree|FAULT)/);
      // Every hold of the imports is long enough to be timed by both sides.
      expect(observed.comparison.figures.find((f) => f.id === 'holdMaxMs')?.selfReported).toBeGreaterThan(0);
    }
    const summary = readFileSync(join(reportDir.path, 'latest', 'summary.md'), 'utf8');
    expect(summary).toMatch(/^- staged: (agree|FAULT): /m);
    // The seed workload alone judges it, and agrees with criteria.json; the report is the workload's, under the scenario's headline.
    expect(results.options.workload).toBeNull();
    for (const profile of results.profiles) expectSeedAgrees(profile);
    expect(run.stdout).toMatch(/^lockbench concurrent: (PASS|FAIL) \(gate: staged\); /);
    expect(run.stdout).toMatch(/^criterion\s+threshold\s+before\s+staged \(gated\)\s+gate$/m);
    for (const id of ['lock-hold', 'import-wall', 'catalog-p99', 'success', 'workflow-p99', 'no-loss']) expect(run.stdout).toMatch(new RegExp(`^${id}\\s+\\S`, 'm'));
    // The judged latency inside the imports' window beside the whole run's, and the driver's send lag per stream.
    expect(run.stdout).toMatch(/^catalog-p99: catalog \S.* in the imports window \(n\), judged\s+\S+ ms/m);
    expect(run.stdout).toMatch(/^catalog \S.* whole run \(n\)\s+\S+ ms/m);
    expect(run.stdout).toMatch(/^workflow-p99: workflow \S.* in the imports window \(n\), judged\s+\S/m);
    expect(run.stdout).toMatch(/^send lag \(sent - scheduled\)\s+before\s+staged$/m);
    expect(run.stdout).toMatch(/^catalog p50 \/ p99 \/ max \(n\)\s+\S/m);
    expect(run.stdout).toMatch(/^profile\s+stream\s+requests\s+successes\s+lock errors\s+no answer\s+error answers\s+p50\s+p99\s+acknowledged$/m);
    expect(run.stdout).toMatch(/^staged\s+imports\s+2\s+2\s+0\s+0\s+0\s+\S+ ms\s+\S+ ms\s+20$/m);
    expect(run.stdout).toMatch(/^staged\s+workflow \(SQL\)\s+\d+/m);
    expect(run.stdout).toMatch(/^staged: target RSS /m);
    // The scenario's own sentences, which the generic tables now say, are gone.
    expect(run.stdout).not.toMatch(/per stream of the seed workload|catalog updates waited|reliability \(requests, errors, rows\)|acknowledged rows stored/);
    expect(summary).toMatch(/^## Streams$/m);
    expect(summary).toMatch(/^## Send lag$/m);
    const junit = readFileSync(join(reportDir.path, 'latest', 'junit.xml'), 'utf8');
    expect(junit).toContain('<testsuite name="lockbench.concurrent.staged"');
    expect(junit).toContain('name="lock-hold (max-lock-hold)"');
    expect(results.profiles[0]!.config.target).toMatchObject({ importMode: 'monolithic', connections: 'per-request' });
    expect(results.pass).toBe(results.profiles[1]!.pass);
  });

  it('gates on the seed workload: a failing gated profile exits 1, with empty criteria.json results', { timeout: E2E_TIMEOUT_MS }, async () => {
    // before holds the write lock for its whole import: 20 artifacts of 31 ms each inside one transaction,
    // over lock-hold's 500 ms whatever the machine's speed.
    const run = await runCli(['--profiles', 'before', '--gated', 'before', '--imports', '1', '--artifacts', '20', '--prepare-ms', '30', '--write-ms', '1', '--tail', '500ms']);
    const results = latestResults();
    const [before] = results.profiles;

    expect(run.code, run.stderr).toBe(1);
    expect(results.pass).toBe(false);
    expect(before).toMatchObject({ name: 'before', gated: true, status: 'completed', pass: false, criteria: [] });
    const lockHold = before!.workload!.criteria.find((c) => c.id === 'lock-hold')!;
    expect(lockHold.pass).toBe(false);
    expect(lockHold.measured).toBeGreaterThanOrEqual(500);
    expect(run.stdout).toMatch(/^lockbench concurrent: FAIL \(gate: before\); /);
    expect(run.stdout).toMatch(/^lock-hold\s+< 500 ms\s+\S+ ms FAIL\s+FAIL$/m);
    expect(run.stdout).toMatch(/^gate \(before\): FAIL/m);
    expect(run.stderr).toMatch(/^\[before\] completed: \d+ criteria fail$/m);
  });

  it('rejects an unknown profile as bad usage', async () => {
    const run = await runCli(['--profiles', 'after']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--profiles: unknown profile "after"');
  });

  it('on SIGINT stops the driver, the writers and the target and still writes what was measured, marked incomplete', { timeout: E2E_TIMEOUT_MS }, async () => {
    let sent = false;
    const run = await runCli(['--profiles', 'staged,before', '--tail', '60s', '--artifacts', '10'], (stderr, child) => {
      if (!sent && stderr.includes('[staged] drive the load (builtin) ...')) {
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
      ['before', 'not-run'],
    ]);
    expect(results.profiles[1]!.error).toBe('interrupted before it ran');
    expect(results.pass).toBe(false);
    expect(run.stdout).toContain('INCOMPLETE');
    // The observer watched until the interruption, and its process ended with the run.
    expect(results.profiles[0]!.observed?.status).toBe('observed');
    expect(isAlive((results.profiles[0]!.observed as LocksObserved).observerPid)).toBe(false);
  });
});

describe('scenario:concurrent CLI when the target dies', () => {
  it('reports the profile as errored and exits 3', { timeout: E2E_TIMEOUT_MS }, async () => {
    let killed = false;
    const run = await runCli(['--profiles', 'staged', '--tail', '60s', '--artifacts', '10'], (stderr) => {
      const pid = /\[staged\] target pid (\d+) at /.exec(stderr)?.[1];
      if (!killed && pid && stderr.includes('[staged] drive the load (builtin) ...')) {
        killed = true;
        process.kill(Number(pid), 'SIGKILL');
      }
    });
    const results = latestResults();

    expect(run.code, run.stderr).toBe(3);
    expect(results.profiles[0]).toMatchObject({ name: 'staged', status: 'errored', pass: false });
    expect(results.profiles[0]!.error).toMatch(/^the target exited during the run \(code null, signal SIGKILL\)/);
    // Its seed workload's criteria judge nothing of a run cut short, and never pass.
    expect(results.profiles[0]!.criteria).toEqual([]);
    expect(results.profiles[0]!.workload!.criteria.length).toBeGreaterThan(0);
    expect(results.profiles[0]!.workload!.criteria.every((c) => !c.pass && c.notJudged === 'partial-run')).toBe(true);
    expect(results.complete).toBe(false);
    const observed = results.profiles[0]!.observed;
    expect(observed?.status).toBe('observed');
    expect(isAlive((observed as LocksObserved).observerPid)).toBe(false);
  });
});

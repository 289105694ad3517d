/**
 * `scenario:sweep --workload --gate <point>` end to end on a fast described target (lockbench's own target
 * started from scripts/fixtures/fast-target/target.json): the gate judges the point by the workload's own
 * criteria, and the exit code follows. The workload's one criterion is decided by the varied iteration
 * count, not by timing, so which point passes does not depend on the machine.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { GateOutcome } from '../harness/model/results.ts';
import type { SweepSummary } from '../harness/model/sweep.ts';
import { runCliScript } from '../harness/testing/cli.ts';
import { tempDirPerTest } from '../harness/testing/temp-dir.ts';

const SCRIPT = fileURLToPath(new URL('./scenario-sweep.ts', import.meta.url));
const fixture = (file: string) => fileURLToPath(new URL(`./fixtures/fast-target/${file}`, import.meta.url));
/** One trial per point, each point at 1 or 3 updates: "at-most-two-updates" passes at 1 and fails at 3. */
const SWEEP = ['--target', fixture('target.json'), '--workload', fixture('workload.yaml'), '--base', 'fast', '--vary', 'streams.updates.iterations=1,3', '--seed', '1'];
/** Two trials, each starting the target: generous on a busy 2-core machine. */
const E2E_TIMEOUT_MS = 180_000;

describe('scenario:sweep --workload --gate', () => {
  const temp = tempDirPerTest('lockbench-sweep-workload-');

  it.each([
    ['1', 0, true],
    ['3', 1, false],
  ] as const)('gates on the point with %s update(s) by the workload\'s criteria: exit %i', { timeout: E2E_TIMEOUT_MS }, async (point, code, pass) => {
    const run = await runCliScript(SCRIPT, [...SWEEP, '--gate', point], temp.path);
    const written = readFileSync(join(temp.path, 'latest', 'results.json'), 'utf8');
    const results = JSON.parse(written) as { gate: GateOutcome; pass: boolean } & Pick<SweepSummary, 'points' | 'recommendation' | 'recommendationReason'>;

    expect(run.code, run.stderr).toBe(code);
    // Its trials and points carry none of the built-in scenario's figures, which its load never measured.
    for (const seedField of ['importWallMs', 'catalogP99', 'importWindow', 'artifactsExpected', 'workflowWriters']) expect(written, seedField).not.toContain(seedField);
    for (const p of results.points) expect(p, p.id).not.toHaveProperty('metrics');
    const label = `streams.updates.iterations=${point}`;
    expect(results.gate).toEqual({ gate: label, gatedPoints: [`streams.updates.iterations-${point}`], pass, failures: pass ? [] : [`${label} fails at-most-two-updates`] });
    expect(results.pass).toBe(pass);
    // Every point is judged by the workload's one criterion, none of the scenario's: 1 update passes, 3 do not.
    expect(results.points.map((p) => ({ id: p.id, pass: p.pass, criteria: p.criteria }))).toEqual([
      { id: 'streams.updates.iterations-1', pass: true, criteria: [{ id: 'at-most-two-updates', description: '', metric: 'outcomes', comparison: '<=', threshold: 2, measured: 1, unit: 'count', pass: true, requires: [] }] },
      { id: 'streams.updates.iterations-3', pass: false, criteria: [{ id: 'at-most-two-updates', description: '', metric: 'outcomes', comparison: '<=', threshold: 2, measured: 3, unit: 'count', pass: false, requires: [] }] },
    ]);
    expect(results.recommendation).toBeNull();
    expect(results.recommendationReason).toBe('1 of 2 point(s) meet every criterion of the workload in every repeat: streams.updates.iterations=1');
    expect(run.stdout).toMatch(/^at-most-two-updates\s+<= 2\s+1 pass\s+3 FAIL$/m);
    expect(run.stdout).toContain(results.recommendationReason);
    expect(run.stdout).toContain(pass ? `gate (${label}): PASS` : `gate (${label}): FAIL: ${label} fails at-most-two-updates`);
    // junit.xml holds the gated point's trial only, its criterion failing where the gate failed.
    const junit = readFileSync(join(temp.path, 'latest', 'junit.xml'), 'utf8');
    expect(junit).toContain(`streams.updates.iterations-${point}.r1`);
    expect(junit).not.toContain(`streams.updates.iterations-${point === '1' ? '3' : '1'}.r1`);
    expect(junit.includes('<failure')).toBe(!pass);
    expect(readFileSync(join(temp.path, 'latest', 'report.html'), 'utf8')).toContain(`<title>lockbench sweep of workload few-updates on fast (streams.updates.iterations = 1, 3): gate ${pass ? 'PASS' : 'FAIL'}</title>`);
  });

  it('recommends the point its rank puts first and gates on it with --gate recommended', { timeout: E2E_TIMEOUT_MS }, async () => {
    // Both points meet the criterion (1 and 2 updates, at most 2): the rank prefers the lower count.
    const ranked = join(temp.path, 'ranked.yaml');
    writeFileSync(ranked, `${readFileSync(fixture('workload.yaml'), 'utf8')}rank: [at-most-two-updates]\n`);
    const args = SWEEP.map((a) => (a === fixture('workload.yaml') ? ranked : a === 'streams.updates.iterations=1,3' ? 'streams.updates.iterations=1,2' : a));
    const run = await runCliScript(SCRIPT, [...args, '--gate', 'recommended'], temp.path);
    const results = JSON.parse(readFileSync(join(temp.path, 'latest', 'results.json'), 'utf8')) as { gate: GateOutcome; pass: boolean } & Pick<SweepSummary, 'points' | 'recommendation' | 'recommendationReason'>;

    expect(run.code, run.stderr).toBe(0);
    expect(results.points.map((p) => p.pass)).toEqual([true, true]);
    const reason = 'streams.updates.iterations=1 meets every criterion (2 of 2 points do) with median at-most-two-updates 1, the best';
    expect(results.recommendation).toEqual({ pointId: 'streams.updates.iterations-1', settings: { 'streams.updates.iterations': 1 }, reason, tiedWith: [] });
    expect(results.recommendationReason).toBe(reason);
    expect(results.gate).toEqual({ gate: 'recommended', gatedPoints: ['streams.updates.iterations-1'], pass: true, failures: [] });
    expect(run.stdout).toContain(`recommended: ${reason}`);
    expect(run.stdout).toContain('gate (recommended): PASS');
    expect(readFileSync(join(temp.path, 'latest', 'report.html'), 'utf8')).toContain('Recommended: <b>streams.updates.iterations=1</b>.');
  });

  it('refuses --gate recommended without a rank and --predict with a workload, saying why, before anything starts', async () => {
    const recommended = await runCliScript(SCRIPT, [...SWEEP, '--gate', 'recommended'], temp.path);
    expect(recommended.code).toBe(2);
    expect(recommended.stderr).toMatch(/--gate recommended: .*workload\.yaml has no "rank", so its sweep recommends no point; give it "rank" .*or gate on one point: --gate <point>/);
    const predict = await runCliScript(SCRIPT, [...SWEEP, '--predict'], temp.path);
    expect(predict.code).toBe(2);
    expect(predict.stderr).toMatch(/--predict: the model \(harness\/predict\) simulates only lockbench's own import flow .*not a workload's streams/);
    const bare = join(temp.path, 'no-criteria.yaml');
    writeFileSync(bare, readFileSync(fixture('workload.yaml'), 'utf8').replace(/^criteria:\n.*\n/m, ''));
    const nothingToJudge = await runCliScript(SCRIPT, [...SWEEP.map((a) => (a === fixture('workload.yaml') ? bare : a)), '--gate', '1'], temp.path);
    expect(nothingToJudge.code).toBe(2);
    expect(nothingToJudge.stderr).toMatch(/--gate: .*no-criteria\.yaml has no criteria to judge a point by/);
    expect(existsSync(join(temp.path, 'latest'))).toBe(false);
  });
});

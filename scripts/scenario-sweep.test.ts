/**
 * A sweep end to end through the CLI on a tiny workload: 2 values x 2 repeats, every trial on a real
 * target with the built-in driver. Figures are not asserted (they are the product): the plan, the
 * structure of results.json and its agreement with the exit code and junit.xml are.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PointResult, TrialRecord } from '../harness/model/sweep.ts';

const CLI = fileURLToPath(new URL('./scenario-sweep.ts', import.meta.url));
const TINY = ['--imports', '2', '--artifacts', '8', '--prepare-ms', '5', '--tail', '300ms', '--catalog-rate', '20', '--workflow-rate', '20'];

let reportRoot: string;
beforeEach(() => {
  reportRoot = mkdtempSync(join(tmpdir(), 'lockbench-sweep-'));
});
afterEach(() => {
  rmSync(reportRoot, { recursive: true, force: true });
});

function runCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args, '--report-dir', reportRoot], { env: { ...process.env, CI: 'true' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('scenario:sweep', () => {
  it('runs every point twice, interleaved, and reports per point, with a recommendation or the reason for none', { timeout: 180_000 }, async () => {
    const run = await runCli(['--base', 'staged', '--batch-sizes', '2,8', '--repeat', '2', '--seed', '7', '--gate', 'recommended', ...TINY]);
    const results = JSON.parse(readFileSync(join(reportRoot, 'latest', 'results.json'), 'utf8')) as {
      trials: TrialRecord[];
      points: PointResult[];
      recommendation: { settings: Record<string, number> } | null;
      recommendationReason: string;
      plan: { seed: number; trialOrder: string[] };
      pass: boolean;
      driver: { name: string };
    };

    expect(run.stdout).toMatch(/2 point\(s\) x 2 repeat\(s\) = 4 trials/);
    expect(run.stdout).toContain('seed 7');
    expect(run.stdout).toMatch(/estimated duration: /);
    expect(run.stderr).toMatch(/trial 1 of 4 \(batchSize-\d+\.r1\): elapsed .*, ETA /);
    expect(results.plan.seed).toBe(7);
    // Interleaved: both points run once before either runs again.
    expect(results.plan.trialOrder.slice(0, 2).every((id) => id.endsWith('.r1'))).toBe(true);
    expect(results.trials.map((t) => t.trialId).sort()).toEqual(['batchSize-2.r1', 'batchSize-2.r2', 'batchSize-8.r1', 'batchSize-8.r2']);
    expect(results.trials.every((t) => t.result.config.target?.batchSize === t.settings.batchSize)).toBe(true);
    expect(results.points.map((p) => p.settings)).toEqual([{ batchSize: 2 }, { batchSize: 8 }]);
    for (const point of results.points) {
      expect(point.repeats).toBe(2);
      const wall = point.metrics!.importWallMs!;
      expect(wall.samples).toHaveLength(2);
      expect(wall.min).toBeLessThanOrEqual(wall.median);
      expect(wall.median).toBeLessThanOrEqual(wall.max);
      expect(wall.ci95).toEqual([wall.min, wall.max]);
      // Judged by the seed workload each trial carries: a criterion holds at a point when it held in every repeat.
      expect(point.criteria.map((c) => c.id)).toEqual(['lock-hold', 'import-wall', 'catalog-p99', 'success', 'workflow-p99', 'no-loss']);
      const repeats = results.trials.filter((t) => t.pointId === point.id);
      for (const t of repeats) expect(t.result.criteria).toEqual([]);
      for (const c of point.criteria) expect(c.pass, `${point.id} ${c.id}`).toBe(repeats.every((t) => t.result.workload!.criteria.find((w) => w.id === c.id)!.pass));
    }
    expect(run.stdout).toContain("criteria: the median over a point's completed repeats; a criterion passes at a point when it passed in every repeat");
    // Reported as the seed workload's sweep: its criteria per point and its streams, not the scenario's figures table.
    const summary = readFileSync(join(reportRoot, 'latest', 'summary.md'), 'utf8');
    expect(run.stdout).toMatch(/^criterion\s+threshold\s+batchSize=2 \(median of 2\)\s+batchSize=8 \(median of 2\)$/m);
    expect(run.stdout).toMatch(/^batchSize-2\s+imports\s+2\s/m);
    expect(summary).toContain('| criterion | threshold | batchSize=2 (median of 2) | batchSize=8 (median of 2) |');
    for (const text of [run.stdout, summary]) expect(text).not.toMatch(/n = requests inside the import window/);
    expect(run.stdout).toMatch(results.recommendation ? /^recommended: batchSize=\d+ meets every criterion/m : /^no recommendation: /m);
    expect(results.recommendationReason.length).toBeGreaterThan(0);
    expect(results.driver.name).toBe('builtin');
    // --gate recommended: the exit code says whether some point met every criterion.
    expect(run.code, run.stderr).toBe(results.recommendation ? 0 : 1);
    expect(results.pass).toBe(results.recommendation !== null);
    const junit = readFileSync(join(reportRoot, 'latest', 'junit.xml'), 'utf8');
    for (const point of results.points) expect(junit).toContain(`lockbench.concurrent.${point.id}`);
    expect(readFileSync(join(reportRoot, 'latest', 'report.html'), 'utf8')).toContain('id="sweep"');
  });

  it('refuses a sweep with nothing to vary, an unknown setting or a gate that names no point, as bad usage', async () => {
    const nothing = await runCli(['--base', 'staged']);
    expect(nothing.code).toBe(2);
    expect(nothing.stderr).toMatch(/nothing to vary/);
    const unknown = await runCli(['--vary', 'batchsize2=1,2']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/--vary/);
    const gate = await runCli(['--batch-sizes', '1,2', '--gate', '7']);
    expect(gate.code).toBe(2);
    expect(gate.stderr).toMatch(/--gate/);
  });

  it("refuses a value given twice on a described target's setting, as on the built-in one, and writes nothing", async () => {
    const target = fileURLToPath(new URL('../examples/fastapi-sqlalchemy/target.json', import.meta.url));
    const twice = await runCli(['--target', target, '--base', 'batched', '--vary', 'batchSize=5,5']);
    expect(twice.code).toBe(2);
    expect(twice.stderr).toMatch(/--vary batchSize=5,5: 5 is given twice/);
    expect(readdirSync(reportRoot)).toEqual([]);
  });
});

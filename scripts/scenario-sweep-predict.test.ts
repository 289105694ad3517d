/**
 * `scenario:sweep --predict` end to end on a tiny workload: every measured point beside its prediction in
 * the terminal, summary.md, results.json and report.html. The figures are not asserted, their presence is.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SweepPrediction } from '../harness/model/prediction.ts';
import { runCliScript } from '../harness/testing/cli.ts';
import { tempDirPerTest } from '../harness/testing/temp-dir.ts';

const SCRIPT = join(import.meta.dirname, 'scenario-sweep.ts');
const TINY = ['--imports', '2', '--artifacts', '8', '--prepare-ms', '5', '--tail', '300ms', '--catalog-rate', '20', '--workflow-rate', '20'];

describe('scenario:sweep --predict', () => {
  const temp = tempDirPerTest('lockbench-sweep-predict-');

  it('shows every measured point beside its prediction, with the error', { timeout: 180_000 }, async () => {
    const run = await runCliScript(SCRIPT, ['--base', 'staged', '--batch-sizes', '2,8', '--seed', '3', '--predict', '--model-runs', '2', ...TINY], temp.path);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/lockbench prediction on staged: batchSize = 2, 8; 2 point\(s\) predicted in/);
    expect(run.stdout).toMatch(/^the model's prediction beside measurement, over the scenario's figures$/m);
    expect(run.stdout).toMatch(/^batchSize=8 +import wall +\S/m);
    const folder = readdirSync(temp.path).find((f) => f.endsWith('-sweep'))!;
    const results = JSON.parse(readFileSync(join(temp.path, folder, 'results.json'), 'utf8')) as { prediction: SweepPrediction };
    expect(results.prediction.comparison.points.map((p) => p.pointId)).toEqual(['batchSize-2', 'batchSize-8']);
    const wall = results.prediction.comparison.points[0]!.metrics.find((m) => m.metric === 'importWallMs')!;
    expect(wall.measured).not.toBeNull();
    expect(wall.predicted).not.toBeNull();
    expect(typeof wall.relativeError).toBe('number');
    expect(readFileSync(join(temp.path, folder, 'summary.md'), 'utf8')).toMatch(/## The model's prediction beside measurement, over the scenario's figures[\s\S]*\| batchSize=2 \| import wall \|/);
    expect(readFileSync(join(temp.path, folder, 'report.html'), 'utf8')).toContain('data-chart="prediction"');
  });

  it('refuses the model flags without --predict, and a calibration file it cannot read, as bad usage', async () => {
    const alone = await runCliScript(SCRIPT, ['--batch-sizes', '1,2', '--model-runs', '3'], temp.path);
    expect(alone.code).toBe(2);
    expect(alone.stderr).toMatch(/go with --predict/);
    const missing = await runCliScript(SCRIPT, ['--batch-sizes', '1,2', '--predict', '--calibrate', join(temp.path, 'none.json')], temp.path);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--calibrate .*none\.json/);
    expect(readdirSync(temp.path)).toEqual([]);
  });
});

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCliScript } from '../harness/testing/cli.ts';
import { tempDirPerTest } from '../harness/testing/temp-dir.ts';

const SCRIPT = join(import.meta.dirname, 'scenario-predict.ts');

describe('scenario:predict', () => {
  const temp = tempDirPerTest('lockbench-predict-');

  it('predicts every point of the grid, starts nothing, and writes prediction.json in the sweep points\' shape', async () => {
    const run = await runCliScript(SCRIPT, ['--base', 'seed-fix', '--batch-sizes', '5,50', '--model-runs', '2'], temp.path);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/lockbench prediction on seed-fix: batchSize = 5, 50; 2 point\(s\) predicted in .+, nothing started/);
    expect(run.stdout).toMatch(/^batchSize=50 .+ FAIL lock-hold/m);
    const folder = readdirSync(temp.path).find((f) => f.endsWith('-predict'))!;
    const file = JSON.parse(readFileSync(join(temp.path, folder, 'prediction.json'), 'utf8'));
    expect(file.points.map((p: { settings: unknown }) => p.settings)).toEqual([{ batchSize: 5 }, { batchSize: 50 }]);
    for (const metric of ['importWallMs', 'maxLockHoldMs', 'catalogP99Ms', 'workflowWriteP99Ms', 'requestSuccessRate', 'busyErrors']) {
      expect(file.points[1].metrics[metric].samples).toHaveLength(2);
      expect(typeof file.points[1].metrics[metric].median).toBe('number');
    }
    // 50 entries x (29 + 1) ms inside one transaction: the longest hold exceeds the criterion's 500 ms.
    expect(file.points[1].metrics.maxLockHoldMs.median).toBeGreaterThan(1_500);
    expect(file.points[1].criteria.map((c: { id: string }) => c.id)).not.toContain('no-loss');
  });

  it('refuses a bad grid or calibration file as bad usage and writes nothing', async () => {
    const badSize = await runCliScript(SCRIPT, ['--batch-sizes', '0,5'], temp.path);
    expect(badSize.code).toBe(2);
    expect(badSize.stderr).toMatch(/--batch-sizes 0,5/);
    const badFile = await runCliScript(SCRIPT, ['--batch-sizes', '5', '--calibrate', join(temp.path, 'missing.json')], temp.path);
    expect(badFile.code).toBe(2);
    expect(badFile.stderr).toMatch(/--calibrate .*missing\.json: cannot read it as JSON/);
    expect(readdirSync(temp.path).filter((f) => f.endsWith('-predict'))).toEqual([]);
  });
});

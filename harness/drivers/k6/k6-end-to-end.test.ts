/**
 * The user's k6, where one is installed, running the real k6 scripts against the real target through
 * the k6 driver. lockbench never installs k6: on a machine without it this file shows as skipped, and
 * every other test (the driver's argument building, its CSV and summary conversion) runs everywhere.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { concurrentConfig } from '../../../scenarios/lib/config.ts';
import { concurrentScenario } from '../../../scenarios/lib/scenario.ts';
import { startTarget, type RunningTarget } from '../../target-process/target-process.ts';
import { readSamples } from '../samples.ts';
import { createK6Driver } from './driver.ts';
import { findK6 } from './find.ts';

const k6 = await findK6(null).catch(() => null);

describe.skipIf(k6 === null)('the k6 driver with the k6 on PATH', () => {
  let dir: string;
  let target: RunningTarget;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lockbench-k6-'));
    target = await startTarget({ args: ['--import-mode', 'staged', '--scheduler', 'fifo', '--prepare-ms', '2', '--write-ms', '0', '--log-level', 'warn'], dbPath: join(dir, 'target.db') });
  });
  afterAll(async () => {
    await target?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs the concurrent scenario, stops k6 after the imports plus the tail, and writes the samples file', { timeout: 120_000 }, async () => {
    const env = { BASE_URL: target.url, IMPORTS: '3', ARTIFACTS: '20', CATALOG_RATE: '10', READ_RATE: '2', TAIL: '1s', MAX_DURATION: '60s' };
    const driver = createK6Driver({ k6Path: null });
    expect((await driver.prepare()).version).toBe(k6!.version);
    const run = await driver.run({
      description: concurrentScenario(concurrentConfig(env)),
      env,
      baseUrl: target.url,
      samplesPath: join(dir, 'samples.csv'),
      summaryPath: join(dir, 'summary.json'),
      logPath: join(dir, 'k6.log'),
      signal: new AbortController().signal,
    });
    expect(run.failure).toBeUndefined();
    expect(run.completed).toBe(true);
    expect(run.summary?.imports).toMatchObject({ expected: 3, completed: 3, artifactsAcknowledged: 60 });
    // Stopped at the imports' end plus the tail, not at MAX_DURATION.
    expect(run.durationMs).toBeLessThan(30_000);
    const samples = await readSamples(join(dir, 'samples.csv'));
    expect(samples.filter((s) => s.stream === 'imports')).toHaveLength(3);
    expect(samples.every((s) => s.scheduledMs === null)).toBe(true);
  });
});

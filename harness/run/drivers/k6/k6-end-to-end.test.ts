/**
 * The user's k6, where one is installed, running the real k6 scripts against the real target through
 * the k6 driver. lockbench never installs k6: on a machine without it this file shows as skipped, and
 * every other test (the driver's argument building, its CSV and summary conversion) runs everywhere.
 * The same for a workload: its generated script run by k6, its answers classified inside k6.
 * Where k6 is meant to be installed (load.yml's k6 job sets LOCKBENCH_REQUIRE_K6=1), a missing k6
 * fails the test, with the reason, instead of skipping it.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { concurrentConfig } from '../../../../scenarios/lib/config.ts';
import { concurrentScenario } from '../../../../scenarios/lib/scenario.ts';
import { startTarget, type RunningTarget } from '../../target-process/target-process.ts';
import type { WorkloadSample } from '../../../model/workload-samples.ts';
import { parseWorkload } from '../../../plan/workload/load.ts';
import { workloadScenario } from '../../workload/run.ts';
import { readSamples } from '../samples.ts';
import { createK6Driver, workloadScriptPath } from './driver.ts';
import { findK6 } from './find.ts';

const required = process.env.LOCKBENCH_REQUIRE_K6 === '1';
const found = await findK6(null).then(
  (binary) => ({ binary, missing: null }),
  (err: unknown) => ({ binary: null, missing: err instanceof Error ? err.message : String(err) }),
);
const k6 = found.binary;

describe.skipIf(k6 === null && !required)('the k6 driver with the k6 on PATH', () => {
  it('finds k6', () => {
    expect(found.missing, 'LOCKBENCH_REQUIRE_K6=1, yet').toBeNull();
  });

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
    const samples = await readSamples(join(dir, 'samples.csv'));
    // Stopped at the imports' end plus the tail, not at MAX_DURATION: 60 s at 10/s would be 600 updates.
    expect(samples.filter((s) => s.stream === 'catalog').length).toBeLessThan(600);
    expect(samples.filter((s) => s.stream === 'imports')).toHaveLength(3);
    expect(samples.every((s) => s.scheduledMs === null)).toBe(true);
  });

  it('runs a workload from its own script: the seed workload, smaller, its answers classified inside k6 and joined to the samples', { timeout: 120_000 }, async () => {
    const file = JSON.parse(readFileSync(new URL('../../../../scenarios/concurrent.workload.json', import.meta.url), 'utf8'));
    // Two imports of 20 entries, slower streams beside them; the workflow writers are the run layer's, not k6's.
    file.streams.imports.vus = 2;
    file.streams.imports.values.entries.list.count = 20;
    file.streams.catalog.rate = 10;
    file.streams.reads.rate = 2;
    delete file.streams.workflow;
    file.criteria = [];
    const { workload } = parseWorkload(file, 'concurrent-small', dir);
    const driver = createK6Driver({ k6Path: null });
    await driver.prepare();
    const logPath = join(dir, 'driver-workload.log');
    const run = await driver.run({
      description: workloadScenario(workload, 'concurrent'),
      env: {},
      baseUrl: target.url,
      workload,
      answersPath: join(dir, 'answers-workload.json'),
      samplesPath: join(dir, 'samples-workload.csv'),
      summaryPath: join(dir, 'summary-workload.json'),
      logPath,
      signal: new AbortController().signal,
    });
    expect(run.failure).toBeUndefined();
    expect(run.completed).toBe(true);
    expect(existsSync(workloadScriptPath(logPath))).toBe(true);
    const samples = await readSamples(join(dir, 'samples-workload.csv'));
    const answers = JSON.parse(readFileSync(join(dir, 'answers-workload.json'), 'utf8')) as WorkloadSample[];
    expect(answers).toHaveLength(samples.length);
    const imports = answers.filter((a) => a.stream === 'imports');
    expect(imports).toHaveLength(2);
    expect(imports.map((a) => [a.status, a.outcome, a.acknowledged])).toEqual([
      [200, 'success', 20],
      [200, 'success', 20],
    ]);
    // Stopped at the imports' end plus the tail, not at the streams' 120 s.
    const catalog = answers.filter((a) => a.stream === 'catalog');
    expect(catalog.length).toBeGreaterThan(0);
    expect(catalog.length).toBeLessThan(1200);
    expect(catalog.filter((a) => a.status === 200).every((a) => a.outcome === 'success')).toBe(true);
    expect(answers.filter((a) => a.stream === 'reads').length).toBeGreaterThan(0);
  });
});

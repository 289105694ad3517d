import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { shopYaml } from '../harness/workload/testing/bad-workloads.ts';

const SCRIPT = fileURLToPath(new URL('./workload-check.ts', import.meta.url));
const check = (file: string) => spawnSync(process.execPath, ['--import', 'tsx', SCRIPT, file], { encoding: 'utf8' });

describe('workload:check', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lockbench-workload-check-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('says what a valid workload holds, exit 0', () => {
    const file = join(dir, 'shop.yaml');
    writeFileSync(file, shopYaml());
    const run = check(file);
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ event: 'workload', name: 'shop', streams: [{ name: 'orders', kind: 'http', executor: 'constant-arrival-rate' }, {}, {}, { name: 'report', kind: 'sql' }] });
  });

  it('refuses a misspelled field with its path and the known fields, exit 2', () => {
    const file = join(dir, 'misspelled.yaml');
    writeFileSync(file, shopYaml().replace('    request:\n      method: POST\n      path: /orders', '    reqest:\n      method: POST\n      path: /orders'));
    const run = check(file);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('streams.orders: unknown field "reqest"; known fields: executor, rate');
  });
});

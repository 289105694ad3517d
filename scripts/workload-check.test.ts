import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { shopYaml } from '../harness/plan/workload/testing/bad-workloads.ts';

const SCRIPT = fileURLToPath(new URL('./workload-check.ts', import.meta.url));
const check = (file: string, ...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', SCRIPT, file, ...args], { encoding: 'utf8' });

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

  it('writes the k6 script a --driver k6 run writes, with --k6-script', () => {
    const file = join(dir, 'shop.yaml');
    writeFileSync(file, shopYaml());
    const out = join(dir, 'shop.k6.js');
    const run = check(file, '--k6-script', out);
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ name: 'shop', k6Script: out });
    expect(readFileSync(out, 'utf8')).toMatch(/export \{[^}]*stream_orders[^}]*\}/);
  });

  it('refuses with --k6-script what k6 cannot run, at its field, exit 2, writing nothing', () => {
    const file = join(dir, 'cut.yaml');
    writeFileSync(file, shopYaml().replace('  orders:\n    executor: constant-arrival-rate\n    rate: 50\n', '  orders:\n    executor: constant-arrival-rate\n    rate: 50\n    endsAfter: { stream: later }\n') + '\n');
    const value = readFileSync(file, 'utf8').replace('streams:\n', 'streams:\n  later:\n    executor: per-vu-iterations\n    request: { method: GET, path: /later }\n    values: {}\n');
    writeFileSync(file, value);
    const out = join(dir, 'cut.k6.js');
    const run = check(file, '--k6-script', out);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/streams\.restocks: k6 is stopped when "later" has answered plus 0 ms/);
    expect(existsSync(out)).toBe(false);
  });
});

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadWorkload, parseWorkload, WorkloadError, type WorkloadIssue } from './load.ts';
import { BAD_CASES, DOC, DOC_DIR, shop, shopYaml } from './testing/bad-workloads.ts';

const DOC_TEXT = readFileSync(DOC, 'utf8');

function issuesOf(value: unknown): readonly WorkloadIssue[] {
  try {
    parseWorkload(value, 'case', DOC_DIR);
  } catch (err) {
    if (err instanceof WorkloadError) return err.issues;
    throw err;
  }
  return [];
}

describe('workload validation', () => {
  it('accepts the shop of docs/workload.md', () => {
    expect(issuesOf(shop())).toEqual([]);
  });

  it('accepts streams given as a list of named streams', () => {
    const w = shop();
    w.streams = Object.entries(w.streams).map(([name, s]) => ({ name, ...(s as object) }));
    expect(issuesOf(w)).toEqual([]);
  });

  it.each(BAD_CASES)('rejects: $name', ({ change, path, message }) => {
    const w = shop();
    change(w);
    const issues = issuesOf(w);
    expect(issues).toHaveLength(1);
    expect(issues[0]!.path).toBe(path);
    expect(issues[0]!.message).toContain(message);
  });

  it('ranks by the criteria named in rank, each better the way its comparison points', () => {
    expect(parseWorkload(shop(), 'case', DOC_DIR).workload.rank).toEqual([
      { criterion: 'orders-p99', better: 'lower' },
      { criterion: 'reads-keep-up', better: 'higher' },
    ]);
    const w = shop();
    delete w.rank;
    expect(parseWorkload(w, 'case', DOC_DIR).workload.rank).toEqual([]);
  });

  it('reports every problem at once', () => {
    const w = shop();
    for (const c of BAD_CASES.slice(0, 8)) {
      if (c.path !== 'streams') c.change(w);
    }
    const paths = issuesOf(w).map((i) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['(top level)', 'streams.orders.executor']));
    expect(paths.length).toBeGreaterThan(1);
  });

  it('lists every case, with its field and message, in the docs table', () => {
    for (const { name, path, message } of BAD_CASES) {
      const row = DOC_TEXT.split('\n').find((line) => line.startsWith(`| ${name} |`));
      expect(row, name).toBeDefined();
      expect(row).toContain(`\`${path}\``);
      expect(row).toContain(message.replaceAll('|', '\\|'));
    }
  });

  describe('files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lockbench-workload-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('reads YAML and JSON alike', () => {
      const yaml = join(dir, 'shop.yaml');
      const json = join(dir, 'shop.json');
      writeFileSync(yaml, shopYaml());
      writeFileSync(json, JSON.stringify(shop()));
      expect(loadWorkload(yaml).workload).toEqual(loadWorkload(json).workload);
    });

    it('names a file that is not YAML', () => {
      const file = join(dir, 'broken.yaml');
      writeFileSync(file, 'name: [shop\n');
      expect(() => loadWorkload(file)).toThrow(/broken\.yaml: not a valid workload:\n {2}\(file\): is not YAML/);
    });

    it('names a file that is not JSON', () => {
      const file = join(dir, 'broken.json');
      writeFileSync(file, '{"name": ');
      expect(() => loadWorkload(file)).toThrow(/\(file\): is not JSON/);
    });

    it('names a file that cannot be read', () => {
      expect(() => loadWorkload(join(dir, 'missing.yaml'))).toThrow(/\(file\): cannot be read: ENOENT/);
    });

    it('reads CSV rows beside the workload, and refuses a column the header lacks', () => {
      writeFileSync(join(dir, 'customers.csv'), 'id,email\n7,a@example.org\n8,b@example.org\n');
      const w = shop();
      w.streams.orders.values.customer = { csv: { file: 'customers.csv' } };
      const file = join(dir, 'with-csv.json');
      writeFileSync(file, JSON.stringify(w));
      const orders = loadWorkload(file).workload.streams.find((s) => s.name === 'orders')!;
      expect(orders.action.kind === 'http' && orders.action.values.customer?.csv?.rows).toEqual([
        { id: '7', email: 'a@example.org' },
        { id: '8', email: 'b@example.org' },
      ]);
      w.streams.orders.values.customer.csv.column = 'mail';
      writeFileSync(file, JSON.stringify(w));
      expect(() => loadWorkload(file)).toThrow(/streams\.orders\.values\.customer\.csv\.column: no column "mail"; the header has: id, email/);
    });
  });
});

describe('resolving', () => {
  const { workload } = parseWorkload(shop(), 'shop', DOC_DIR);
  const stream = (name: string) => workload.streams.find((s) => s.name === name)!;

  it('turns durations into milliseconds and fills the in-flight bounds', () => {
    expect(stream('restocks').executor).toEqual({ type: 'constant-arrival-rate', rate: 1, timeUnitMs: 2000, durationMs: 60_000, preAllocatedVUs: 10, maxVUs: 15 });
    expect(stream('orders').executor).toMatchObject({ maxVUs: 500, preAllocatedVUs: 500 });
  });

  it('merges each stream\'s answers over the workload\'s', () => {
    const orders = stream('orders').action;
    expect(orders.kind === 'http' && orders.answers).toEqual({
      success: { status: [200, 201] },
      lockError: { status: [500, 503], body: 'database is locked|SQLITE_BUSY' },
    });
  });

  it('puts the fast line at half the busy timeout unless told', () => {
    expect(workload.lockErrors).toEqual({ busyTimeoutMs: 5000, fastBelowMs: 2500 });
  });

  it('makes a plain lock holder of an SQL stream with only a hold', () => {
    expect(stream('report').action).toEqual({ kind: 'sql', statements: [], procedure: null, transaction: 'immediate', holdMs: 200, threads: 1, busyTimeoutMs: null });
  });
});

/**
 * The project's real k6 (found or built by ensureK6) running the real scenarios against the real
 * target. Reduced sizes keep it short; it asserts what the scenarios report, not how fast it was.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportRecord, SummaryFile } from '../scenarios/lib/contract.ts';
import { DEFAULT_PROJECT_ROOT, ensureK6, runCommand, type CommandResult, type K6Binary } from './k6.ts';
import { startTarget, type RunningTarget } from './target-process/target-process.ts';

/** A first build of k6 takes minutes; later runs find it at once. */
const PROVISION_TIMEOUT_MS = 15 * 60_000;
const CONCURRENT = join(DEFAULT_PROJECT_ROOT, 'scenarios', 'concurrent.ts');
const SMOKE = join(DEFAULT_PROJECT_ROOT, 'scenarios', 'smoke.ts');
/** k6's exit code when a threshold was crossed. */
const K6_THRESHOLDS_CROSSED = 99;

let k6: K6Binary;
let dir: string;
let target: RunningTarget;
let dbPath: string;

beforeAll(async () => {
  k6 = await ensureK6({ onProgress: (message) => process.stderr.write(`k6: ${message}\n`) });
  dir = mkdtempSync(join(tmpdir(), 'lockbench-k6-scenarios-'));
  dbPath = join(dir, 'target.db');
  // Small per-artifact work: the test checks what the scenarios report, not contention figures.
  target = await startTarget({ args: ['--import-mode', 'staged', '--scheduler', 'fifo', '--prepare-ms', '2', '--write-ms', '0', '--log-level', 'warn'], dbPath });
}, PROVISION_TIMEOUT_MS);

afterAll(async () => {
  await target?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function k6Run(script: string, env: Record<string, string>): Promise<CommandResult> {
  const envArgs = Object.entries(env).flatMap(([name, value]) => ['-e', `${name}=${value}`]);
  return runCommand(k6.path, ['run', '--quiet', '--no-color', '--no-usage-report', ...envArgs, script], { env: process.env });
}

function readSummary(path: string): SummaryFile {
  return JSON.parse(readFileSync(path, 'utf8')) as SummaryFile;
}

/** The per-import lines the concurrent scenario prints on the k6 console (k6's default text log format). */
function importRecords(stderr: string): ImportRecord[] {
  const records: ImportRecord[] = [];
  for (const line of stderr.split('\n')) {
    const msg = /\bmsg="((?:[^"\\]|\\.)*)"/.exec(line)?.[1];
    if (msg === undefined) continue;
    const value = JSON.parse(JSON.parse(`"${msg}"`) as string) as { event?: string };
    if (value.event === 'import-result') records.push(value as ImportRecord);
  }
  return records;
}

describe('k6 scenarios on the real target', () => {
  it('k6 is the pinned v2 or a k6 >= 1.0 from PATH', () => {
    expect(k6.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(Number(k6.version.split('.')[0])).toBeGreaterThanOrEqual(1);
  });

  it('builds the thresholds from harness/criteria.json', async () => {
    const inspected = await runCommand(k6.path, ['inspect', CONCURRENT], { env: process.env });
    expect(inspected.exitCode, inspected.stderr).toBe(0);
    const thresholds = (JSON.parse(inspected.stdout) as { thresholds: Record<string, string[]> }).thresholds;
    const file = JSON.parse(readFileSync(join(DEFAULT_PROJECT_ROOT, 'harness', 'criteria.json'), 'utf8')) as {
      criteria: { comparison: string; threshold: unknown; k6: { metric: string; stat: string } | null }[];
    };
    const judged = file.criteria.filter((c) => c.k6 !== null);
    expect(judged.length).toBeGreaterThan(0);
    for (const c of judged) expect(thresholds[c.k6!.metric]).toContain(`${c.k6!.stat}${c.comparison}${String(c.threshold)}`);
  });

  it('refuses a target that is not on this machine', async () => {
    const inspected = await runCommand(k6.path, ['inspect', '-e', 'BASE_URL=http://192.0.2.1:3000', CONCURRENT], { env: process.env });
    expect(inspected.exitCode).not.toBe(0);
    expect(inspected.stderr).toContain('load only targets this machine');
  });

  it('smoke: one tiny import and one catalog update pass their checks', async () => {
    const summaryPath = join(dir, 'smoke.json');
    const run = await k6Run(SMOKE, { BASE_URL: target.url, SUMMARY_PATH: summaryPath });
    expect(run.exitCode, run.stderr).toBe(0);
    const { lockbench } = readSummary(summaryPath);
    expect(lockbench.scenario).toBe('smoke');
    expect(lockbench.checksRate).toBe(1);
    expect(lockbench.imports).toMatchObject({ expected: 1, completed: 1, artifactsRequested: 3, artifactsAcknowledged: 3 });
    expect(run.stdout).toContain('lockbench smoke: 1 imports -> 1 completed');
  });

  it('smoke: fails when the import cannot succeed', async () => {
    const summaryPath = join(dir, 'smoke-bad.json');
    const run = await k6Run(SMOKE, { BASE_URL: target.url, SUMMARY_PATH: summaryPath, SMOKE_SOURCE: 'src-missing' });
    expect(run.exitCode).toBe(K6_THRESHOLDS_CROSSED);
    const { lockbench } = readSummary(summaryPath);
    expect(lockbench.imports).toMatchObject({ completed: 0, errored: 1, artifactsAcknowledged: 0 });
    expect(lockbench.checksRate).toBeLessThan(1);
  });

  it('concurrent (reduced): every import reported, acknowledged rows stored, catalog updates sent on schedule', async () => {
    const summaryPath = join(dir, 'concurrent.json');
    const env = { BASE_URL: target.url, SUMMARY_PATH: summaryPath, IMPORTS: '3', ARTIFACTS: '20', COMPOSITE_EVERY: '4', CHILDREN: '2', CATALOG_RATE: '10', READ_RATE: '2', DURATION: '2s' };
    const run = await k6Run(CONCURRENT, env);
    // Thresholds are the harness's verdict to draw; here k6 must only have run to the end.
    expect([0, K6_THRESHOLDS_CROSSED], run.stderr).toContain(run.exitCode);

    const { lockbench, metrics } = readSummary(summaryPath);
    expect(lockbench.imports).toMatchObject({ expected: 3, completed: 3, errored: 0, artifactsRequested: 60, artifactsAcknowledged: 60, batchesFailed: 0 });
    const { firstStartEpochMs, lastEndEpochMs, wallMs } = lockbench.imports;
    expect(wallMs).toBe(lastEndEpochMs! - firstStartEpochMs!);
    expect(wallMs).toBeGreaterThan(0);
    expect(lockbench.config).toMatchObject({ imports: 3, artifacts: 20, childrenPerImport: 10 });
    // Constant arrival rate: 10/s for 2 s, every one sent (k6 may start one more at the boundary).
    expect(lockbench.latency.catalog?.requests).toBeGreaterThanOrEqual(20);
    expect(lockbench.latency.catalog?.droppedIterations).toBe(0);
    expect(lockbench.latency.catalog?.p99Ms).not.toBeNull();
    expect(lockbench.latency.reads?.requests).toBeGreaterThanOrEqual(4);
    expect(lockbench.requestSuccessRate).toBe(1);
    expect(metrics['http_req_duration{scenario:catalog}']?.values).toHaveProperty('p(99)');
    expect(lockbench.thresholds.map((t) => t.metric)).toEqual(expect.arrayContaining(['import_lock_hold', 'request_success']));

    const records = importRecords(run.stderr);
    expect(records.map((r) => r.sourceId).sort()).toEqual(['src-1', 'src-2', 'src-3']);
    const db = new Database(dbPath, { readonly: true });
    try {
      for (const record of records) {
        const job = db.prepare('SELECT status, imported FROM import_jobs WHERE id = ?').get(record.importId) as { status: string; imported: number };
        expect(job).toEqual({ status: 'completed', imported: record.imported });
      }
      const stored = db.prepare("SELECT count(*) AS n FROM artifacts WHERE source_id IN ('src-1','src-2','src-3')").get() as { n: number };
      expect(stored.n).toBe(lockbench.imports.artifactsAcknowledged);
      const children = db.prepare("SELECT count(*) AS n FROM composite_children c JOIN artifacts a ON a.id = c.parent_artifact_id WHERE a.source_id IN ('src-1','src-2','src-3')").get() as { n: number };
      expect(children.n).toBe(3 * 10);
    } finally {
      db.close();
    }
  });
});

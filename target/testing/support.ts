/** Helpers for the target's tests: fresh databases, targets on port 0, import bodies. */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { pino } from 'pino';
import { createTarget, type Target } from '../server.ts';
import { expect } from 'vitest';
import { startTarget as startTargetProcess, TARGET_SCRIPT, tsxCommand } from '../../harness/run/target-process/target-process.ts';
import type { TargetOptionsInput } from '../options.ts';
import type { ImportEntry } from '../db/tasks.ts';

export interface TestTarget {
  url: string;
  dbPath: string;
  target: Target;
  close(): Promise<void>;
}

/** A fresh temporary database path; its folder is removed by the returned cleanup. */
export function tempDb(): { dbPath: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'lockbench-test-'));
  return { dbPath: join(dir, 'target.db'), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Starts a target in this process on a free port, with a fresh database unless `options.dbPath` names one (left in place). */
export async function startTarget(options: TargetOptionsInput = {}): Promise<TestTarget> {
  const { dbPath, cleanup } = options.dbPath === undefined ? tempDb() : { dbPath: options.dbPath, cleanup: () => {} };
  const target = createTarget({ poolSize: 4, ...options, dbPath, port: 0 }, pino({ level: 'silent' }));
  try {
    const { url } = await target.start();
    return {
      url,
      dbPath,
      target,
      close: async () => {
        await target.close();
        cleanup();
      },
    };
  } catch (err) {
    await target.close();
    cleanup();
    throw err;
  }
}

export interface SpawnedTarget {
  url: string;
  dbPath: string;
  close(): Promise<void>;
}

/** Starts `scripts/target.ts` as its own process, as the harness does, and waits for its ready line. */
export async function spawnTarget(flags: string[]): Promise<SpawnedTarget> {
  const { dbPath, cleanup } = tempDb();
  try {
    const running = await startTargetProcess({ dbPath, args: ['--log-level', 'warn', ...flags] });
    return {
      url: running.url,
      dbPath,
      close: async () => {
        await running.stop();
        cleanup();
      },
    };
  } catch (err) {
    cleanup();
    throw err;
  }
}

/** `count` entries with ids `${prefix}-0..`; every `compositeEvery`-th entry has three children. */
export function makeEntries(count: number, prefix = 'a', compositeEvery = 10): ImportEntry[] {
  return Array.from({ length: count }, (_, i) => ({
    externalId: `${prefix}-${i}`,
    name: `Artifact ${i}`,
    type: 'skill',
    ...(i % compositeEvery === 0
      ? { children: [0, 1, 2].map((j) => ({ externalId: `${prefix}-${i}-child-${j}`, name: `Child ${j}`, type: 'agent' })) }
      : {}),
  }));
}

export interface ImportResponse {
  importId: string;
  sourceId: string;
  status: string;
  requested: number;
  imported: number;
  failed: number;
  durationMs: number;
  maxLockHoldMs: number;
  batches: Array<{ index: number; size: number; status: string; lockWaitMs: number; lockHoldMs: number; error?: { code: string; message: string } }>;
}

export async function postImport(url: string, sourceId: string, entries: ImportEntry[], query = ''): Promise<{ status: number; body: ImportResponse }> {
  const res = await fetch(`${url}/api/marketplace/sources/${sourceId}/import${query}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ entries }),
  });
  return { status: res.status, body: (await res.json()) as ImportResponse };
}

export async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const start = performance.now();
  const value = await work();
  return { value, ms: performance.now() - start };
}

/** Rows in every table the routes write to, counted read-only; bad input must leave them all as they were. */
export function footprint(dbPath: string) {
  const q = (table: string) => countRows(dbPath, `SELECT count(*) AS n FROM ${table}`);
  return {
    artifacts: q('artifacts'),
    children: q('composite_children'),
    jobs: q('import_jobs'),
    batches: q('import_batches'),
    executions: q('workflow_executions'),
    steps: q('execution_steps'),
    catalogVersions: countRows(dbPath, 'SELECT sum(version) AS n FROM catalog_entries'),
    stepsDone: countRows(dbPath, "SELECT count(*) AS n FROM execution_steps WHERE status != 'pending'"),
  };
}

/** Counts rows with a separate read-only connection. */
export function countRows(dbPath: string, sql: string, ...params: unknown[]): number {
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  try {
    return (db.prepare(sql).get(...params) as { n: number }).n;
  } finally {
    db.close();
  }
}

/** Longest a `npm run target` that is expected to exit may take before it is killed, in ms. */
const CLI_TIMEOUT_MS = 60_000;

/** Runs `npm run target -- <args>` as node would, to its exit. */
export async function runTarget(args: string[], env: Record<string, string> = {}) {
  const { command, args: argv } = tsxCommand(TARGET_SCRIPT, args);
  const child = spawn(command, argv, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const killer = setTimeout(() => child.kill('SIGKILL'), CLI_TIMEOUT_MS);
  const [code] = (await once(child, 'close')) as [number | null];
  clearTimeout(killer);
  return { code, stdout, stderr };
}

/** One line on stderr, prefixed `target:`, and no stack trace. */
export function expectOneLine(stderr: string, message: RegExp) {
  const lines = stderr.trim().split('\n');
  expect(lines, stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^target: /);
  expect(lines[0]).toMatch(message);
}

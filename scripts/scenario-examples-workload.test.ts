/**
 * End to end through the CLI: the Django (gunicorn), node:cluster and Django shop examples run from their
 * own workloads, shortened to a few seconds. What is asserted is behaviour, never timings: under deferred
 * transactions a read-then-write edit that meets an import's open write transaction is refused at once
 * (a FAST lock error, whatever the busy timeout); under BEGIN IMMEDIATE it waits its turn, so a lock error
 * left, where any, waited the timeout out.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'yaml';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseSamplesCsv } from '../harness/model/samples-file.ts';
import { latestResults, runCliScript } from '../harness/testing/cli.ts';

const CLI = fileURLToPath(new URL('./scenario-concurrent.ts', import.meta.url));
const example = (name: string, file: string): string => fileURLToPath(new URL(`../examples/${name}/${file}`, import.meta.url));
/** Two trials, each starting a multi-process server: generous on a busy 2-core machine. */
const E2E_TIMEOUT_MS = 180_000;

/**
 * Django's busy timeout in the test, in ms: short, so that requests queued for the lock under BEGIN
 * IMMEDIATE give up soon and a trial ends in seconds. node:cluster keeps its profiles' 5 s: with 2 s, one
 * run answered a lock error under BEGIN IMMEDIATE in under 1 s, which the assertion below would call fast.
 */
const DJANGO_BUSY_TIMEOUT_MS = 2000;
const NODE_BUSY_TIMEOUT_MS = 5000;

/** Three imports of 20 artifacts, slower streams, a short busy timeout: the same contention in a few seconds. */
function shortened(workloadFile: string, busyTimeoutMs: number, into: string): string {
  const workload = parse(readFileSync(workloadFile, 'utf8')) as { lockErrors: { busyTimeout: string }; streams: Record<string, Record<string, unknown>> };
  workload.lockErrors.busyTimeout = `${busyTimeoutMs}ms`;
  const { streams } = workload;
  Object.assign(streams['source-imports']!, { vus: 3 });
  ((streams['source-imports']!.values as Record<string, { list: { count: number } }>).artifacts!.list).count = 20;
  Object.assign(streams['catalog-edits']!, { rate: 10 });
  Object.assign(streams['artifact-listing']!, { rate: 2 });
  // A request left unanswered (the test fails on it) is given up sooner than the workload's 30 s.
  for (const name of ['catalog-edits', 'artifact-listing']) Object.assign(streams[name]!.request as object, { timeout: '10s' });
  Object.assign(streams['workflow-executions']!, { rate: 5 });
  const file = join(into, 'workload.yaml');
  writeFileSync(file, stringify(workload));
  return file;
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'lockbench-examples-e2e-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('the multi-process examples from their own workloads', () => {
  it.each([
    ['django-gunicorn', DJANGO_BUSY_TIMEOUT_MS, ['--set', 'workers=2', '--set', 'threads=2']],
    ['node-cluster', NODE_BUSY_TIMEOUT_MS, ['--set', 'workers=2']],
  ] as const)(
    '%s: deferred transactions answer lock errors fast, BEGIN IMMEDIATE none fast; every stream counted, judged by the workload',
    { timeout: E2E_TIMEOUT_MS },
    async (name, busyTimeoutMs, settings) => {
      const workload = shortened(example(name, 'workload.yaml'), busyTimeoutMs, dir);
      const args = ['--target', example(name, 'target.json'), '--workload', workload, '--profiles', 'deferred,immediate', '--set', 'artifactWorkMs=50', '--set', `busyTimeoutMs=${busyTimeoutMs}`, ...settings];
      const run = await runCliScript(CLI, args, join(dir, 'reports'));
      const results = latestResults(join(dir, 'reports'));

      expect(run.code, run.stderr).toBe(results.pass ? 0 : 1);
      const [deferred, immediate] = results.profiles.map((p) => p.workload!);
      for (const judged of [deferred!, immediate!]) {
        expect(judged.lockSource).toBe('observed');
        for (const stream of judged.streams) expect(stream.requests, stream.stream).toBeGreaterThan(0);
        for (const c of judged.criteria.filter((c) => c.type === 'no-loss')) expect(c.measured, c.id).not.toBeNull();
      }
      // Every request got an answer: connections the driver once held open with no request on them took
      // gunicorn's threads until a worker answered nothing (harness/run/drivers/builtin/connection-reserve.ts).
      for (const profile of ['deferred', 'immediate']) {
        const samples = parseSamplesCsv(readFileSync(join(dir, 'reports', 'latest', `samples-${profile}.csv`), 'utf8'));
        expect(samples.length, profile).toBeGreaterThan(0);
        expect(samples.filter((s) => s.status === 0), profile).toEqual([]);
      }
      const lockErrors = (judged: typeof deferred) => judged!.streams.map((s) => s.lockErrors);
      // Deferred: a request that read first cannot upgrade to write while another holds the write lock, and
      // is refused at once; most did not wait at all (one queued for a SHARED lock behind a commit may
      // still time out).
      const fast = lockErrors(deferred).reduce((sum, counts) => sum + counts.fast, 0);
      const timedOut = lockErrors(deferred).reduce((sum, counts) => sum + counts.timedOut, 0);
      expect(fast).toBeGreaterThan(0);
      expect(fast).toBeGreaterThan(timedOut);
      expect(deferred!.criteria.find((c) => c.id === 'no-fast-lock-errors')).toMatchObject({ pass: false });
      // Immediate: a write transaction waits for the lock from its first statement; no lock error is fast.
      for (const counts of lockErrors(immediate)) expect(counts.fast).toBe(0);
      expect(immediate!.criteria.find((c) => c.id === 'no-fast-lock-errors')).toMatchObject({ pass: true, measured: 0 });
    },
  );
});

/**
 * The shop's streams for 5 s instead of 10 s: three restocks among 250 orders and 500 product reads, every
 * stream at its own rate, so the app is as busy as in a full run.
 */
function shortenedShop(into: string): string {
  const workload = parse(readFileSync(example('django-shop', 'workload.yaml'), 'utf8')) as { streams: Record<string, Record<string, unknown>> };
  for (const stream of Object.values(workload.streams)) stream.duration = '5s';
  const file = join(into, 'workload.yaml');
  writeFileSync(file, stringify(workload));
  return file;
}

describe('the Django shop from its own workload, in its own words', () => {
  it(
    'deferred answers lock errors fast, WAL with BEGIN IMMEDIATE no order fast; every acknowledged order and restock stored',
    { timeout: E2E_TIMEOUT_MS },
    async () => {
      const args = ['--target', example('django-shop', 'target.json'), '--workload', shortenedShop(dir), '--profiles', 'deferred,wal-immediate'];
      const run = await runCliScript(CLI, args, join(dir, 'reports'));
      const results = latestResults(join(dir, 'reports'));

      expect(run.code, run.stderr).toBe(results.pass ? 0 : 1);
      const [deferred, walImmediate] = results.profiles.map((p) => p.workload!);
      for (const judged of [deferred!, walImmediate!]) {
        expect(judged.streams.map((s) => s.stream)).toEqual(['orders', 'restocks', 'product-reads']);
        for (const stream of judged.streams) expect(stream.requests, stream.stream).toBeGreaterThan(0);
        // Units ordered and the stock ledger, counted by the workload's SQL against what the answers acknowledged.
        for (const id of ['orders-stored', 'restocks-stored']) {
          const check = judged.criteria.find((c) => c.id === id)!;
          expect(check.measured, id).not.toBeNull();
          expect(check.pass, id).toBe(true);
        }
      }
      // Deferred: orders and restocks read before they write, so a write that meets another writer is refused at
      // once: a 500 saying "database is locked", counted as a lock error, and a fast one.
      const fast = deferred!.streams.reduce((sum, s) => sum + s.lockErrors.fast, 0);
      const timedOut = deferred!.streams.reduce((sum, s) => sum + s.lockErrors.timedOut, 0);
      expect(fast).toBeGreaterThan(timedOut);
      // BEGIN IMMEDIATE takes the write lock before the read and waits for it: no order fails fast.
      expect(walImmediate!.streams.find((s) => s.stream === 'orders')!.lockErrors.fast).toBe(0);
      expect(walImmediate!.criteria.find((c) => c.id === 'no-fast-lock-errors')).toMatchObject({ pass: true, measured: 0 });
      // The shop has no imports, catalog or workflow writers: results.json carries none of the built-in
      // scenario's figures, only the shop's own.
      const written = readFileSync(join(dir, 'reports', 'latest', 'results.json'), 'utf8');
      for (const seedField of ['importWallMs', 'catalogP99', 'importWindow', 'artifactsExpected', 'workflowWriters']) expect(written, seedField).not.toContain(seedField);
      for (const profile of results.profiles) expect(profile.load, profile.name).not.toHaveProperty('imports');
      // Nor the options of the scenario's load, which did nothing here: the file speaks of none of them.
      expect(results.options).not.toHaveProperty('imports');
      expect(written).not.toMatch(/import|catalog|artifact|workflow/i);
    },
  );
});

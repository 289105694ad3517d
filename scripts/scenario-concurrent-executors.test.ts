/**
 * End to end through the CLI: one short workload using every executor the built-in driver runs, a stream
 * that starts later, and two SQL streams in deferred and exclusive transactions, against lockbench's own
 * target (harness/plan/workload/fixtures/executors.workload.json, the staged profile: one trial of ~2 s load).
 * What the executors make certain is asserted (arrival counts, the later start on the timeline, each SQL
 * stream counted apart, the deferred upgrade failing fast, the ramp's requests judged inside the later
 * burst's window beside the whole run in every report); latencies are not.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLOCK_AGREEMENT_MS } from '../harness/shared/clock.ts';
import { latestResults, runCliScript } from '../harness/testing/cli.ts';
import type { WorkloadSample } from '../harness/model/workload-samples.ts';

const CLI = fileURLToPath(new URL('./scenario-concurrent.ts', import.meta.url));
const WORKLOAD = fileURLToPath(new URL('../harness/plan/workload/fixtures/executors.workload.json', import.meta.url));
/** One trial of the built-in target: generous on a busy 2-core machine. */
const E2E_TIMEOUT_MS = 120_000;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'lockbench-executors-e2e-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('scenario:concurrent --workload with every executor', () => {
  it('runs ramping-arrival-rate, constant-vus, a later start and two SQL streams, each counted as its own stream', { timeout: E2E_TIMEOUT_MS }, async () => {
    const run = await runCliScript(CLI, ['--workload', WORKLOAD, '--profiles', 'staged'], dir);
    const results = latestResults(dir);
    const [profile] = results.profiles;
    expect(profile, run.stderr).toMatchObject({ name: 'staged', status: 'completed' });
    // The orders fail fast while the report job holds the lock, and the workload gates on that: exit 1.
    expect(run.code, run.stderr).toBe(results.pass ? 0 : 1);
    const streams = Object.fromEntries(profile!.workload!.streams.map((s) => [s.stream, s]));
    expect(Object.keys(streams)).toEqual(['catalog-ramp', 'reads', 'late-catalog', 'orders', 'report']);
    // 5/s -> 20/s over 1 s, then -> 0 over 1 s: 12.5 + 10 arrivals expected, 22 whole ones, all sent.
    expect(streams['catalog-ramp']).toMatchObject({ requests: 22, successes: 22 });
    expect(streams.reads!.requests).toBeGreaterThan(2);
    // 5/s for 1 s from its start.
    expect(streams['late-catalog']).toMatchObject({ requests: 5 });
    // Deferred read-then-write: every failure is SQLite refusing the upgrade at once, a fast lock error.
    const orders = streams.orders!;
    expect(orders.kind).toBe('sql');
    expect(orders.lockErrors.fast).toBeGreaterThan(0);
    expect(orders.lockErrors).toMatchObject({ total: orders.lockErrors.fast, timedOut: 0, unknown: 0 });
    expect(orders.acknowledged).toBe(orders.successes);
    // The exclusive holder waits for the lock instead of failing.
    expect(streams.report).toMatchObject({ kind: 'sql', lockErrors: { total: 0 }, otherErrors: 0 });
    expect(streams.report!.successes).toBeGreaterThan(0);
    const criteria = Object.fromEntries(profile!.workload!.criteria.map((c) => [c.id, c]));
    expect(criteria['orders-fast-lock-errors']).toMatchObject({ measured: orders.lockErrors.fast, pass: false });
    expect(criteria['orders-stored']).toMatchObject({ pass: true });
    // The ramp judged inside the later burst's window (1 s to 2 s): what the ramp sent in its first second is left
    // out, and the whole run is kept beside it, in results.json and in every report.
    const windowed = criteria['ramp-p99-while-late']!;
    expect(windowed.windowed).toMatchObject({ stream: 'catalog-ramp', percentile: 99, windowStream: 'late-catalog', wholeRun: { counted: 22 } });
    expect(windowed.windowed!.window).not.toBeNull();
    expect(windowed.basis!.of).toBe(22);
    expect(windowed.basis!.counted).toBeGreaterThan(0);
    expect(windowed.basis!.counted).toBeLessThan(22);
    const judgedRow = "ramp-p99-while-late: catalog-ramp p50 / p99 in the late-catalog window (n), judged";
    const note = `staged: ramp-p99-while-late judges the ${windowed.basis!.counted} of 22 catalog-ramp requests that started inside the late-catalog window`;
    const summary = readFileSync(join(dir, 'latest', 'summary.md'), 'utf8');
    const html = readFileSync(join(dir, 'latest', 'report.html'), 'utf8');
    for (const report of [run.stdout, summary, html]) {
      expect(report).toContain('latency judged inside a window, beside the whole run');
      expect(report).toContain(judgedRow);
      expect(report).toContain('catalog-ramp p50 / p99 whole run (n)');
      expect(report).toContain(note);
    }
    // Each SQL stream's writes are counted as its own stream's (above): results.json keeps no summary of the
    // built-in scenario's workflow writers for a run of a workload file, nor any other of its figures.
    expect(profile).not.toHaveProperty('workflowWriters');
    expect(profile).not.toHaveProperty('metrics');
    expect(orders.requests + streams.report!.requests).toBeGreaterThan(0);
    // The later stream's timeline is the run's, 1 s on: the ramp's first arrival is due where 5t + 7.5t^2 = 1.
    const answers = JSON.parse(readFileSync(join(dir, 'latest', 'answers-staged.json'), 'utf8')) as WorkloadSample[];
    const first = (stream: string) => Math.min(...answers.filter((a) => a.stream === stream).map((a) => a.scheduledMs!));
    const rampFirstMs = ((-5 + Math.sqrt(25 + 30)) / 15) * 1000;
    expect(first('late-catalog') - first('catalog-ramp')).toBeCloseTo(1000 - rampFirstMs, 1);
    // The SQL streams are on the same timeline: no write began before t0, the report's none before its 200 ms.
    const t0 = first('catalog-ramp') - rampFirstMs;
    const spans = JSON.parse(readFileSync(join(dir, 'latest', 'spans-staged.json'), 'utf8')) as { workflowWriters: { requestId: string; startMs: number; waitMs: number }[] };
    const began = (stream: string) => Math.min(...spans.workflowWriters.filter((s) => s.requestId.startsWith(`${stream}-`)).map((s) => s.startMs - s.waitMs));
    expect(began('orders')).toBeGreaterThanOrEqual(t0 - CLOCK_AGREEMENT_MS);
    expect(began('report')).toBeGreaterThanOrEqual(t0 + 200 - CLOCK_AGREEMENT_MS);
  });
});

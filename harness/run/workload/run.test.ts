import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { streamFigures, workloadResult, writerSamples } from '../../analyze/workload-result.ts';
import type { WorkloadSample } from '../../model/workload-samples.ts';
import type { HttpAction } from '../../model/workload-plan.ts';
import type { RequestSample } from '../../model/results.ts';
import { workloadIterations } from './iteration.ts';
import { targetIssues, unrunnableIssues } from '../../plan/workload/runnable.ts';
import { parseWorkload } from '../../plan/workload/load.ts';
import { countNoLoss, sqlStreamTimelines, withTrialBusyTimeout, workloadScenario, workloadWriterPlan, workloadWriters } from './run.ts';
import { DOC_DIR, shop } from '../../plan/workload/testing/bad-workloads.ts';

const T0 = 1_700_000_000_000;
const load = (value: unknown) => parseWorkload(value, 'test', DOC_DIR).workload;

/** The shop's lock holder also writes a report row, so its writes can be counted. */
function runnableShop() {
  const file = shop() as { streams: Record<string, Record<string, unknown>> };
  file.streams.report!.sql = { statements: ['INSERT INTO reports (id, at) VALUES (:id, :nowMs)'], hold: '200ms', threads: 1 };
  return file;
}

function sample(stream: string, sentAt: number, latency: number, extra: Partial<WorkloadSample> = {}): WorkloadSample {
  return { stream, scheduledMs: T0 + sentAt, sentMs: T0 + sentAt, endMs: T0 + sentAt + latency, status: 201, outcome: 'success', lockFailure: null, acknowledged: null, ...extra };
}

describe('a workload as a run carries it out', () => {
  it('runs a later start, every executor and several SQL streams in any transaction mode, :n bound; refuses, at its field, a procedure on a described target', () => {
    const file = shop() as { streams: Record<string, Record<string, unknown>> };
    file.streams.orders!.startTime = '5s';
    file.streams['product-reads'] = { executor: 'constant-vus', vus: 2, duration: '10s', request: { method: 'GET', path: '/products/1' } };
    file.streams.audit = { executor: 'constant-arrival-rate', rate: 1, duration: '10s', startTime: '1s', sql: { statements: ['INSERT INTO audit (id) VALUES (:id)'], transaction: 'deferred' } };
    file.streams.numbered = { executor: 'constant-arrival-rate', rate: 1, duration: '10s', sql: { statements: ['INSERT INTO audit (n) VALUES (:n)'] } };
    expect(unrunnableIssues(load(file))).toEqual([]);
    expect(targetIssues(load(file), 'described')).toEqual([]);
    file.streams.executions = { executor: 'constant-arrival-rate', rate: 1, duration: '10s', sql: { procedure: 'workflow-executions' } };
    expect(targetIssues(load(file), 'builtin')).toEqual([]);
    expect(targetIssues(load(file), 'described').map((i) => i.path)).toEqual(['streams.executions.sql.procedure']);
  });

  it('gives the side writers each SQL stream its duration, :n by its name and a procedure as the built-in writes', () => {
    const file = runnableShop() as { streams: Record<string, Record<string, unknown>> };
    file.streams.numbered = { executor: 'constant-arrival-rate', rate: 2, duration: '5s', startTime: '1s', sql: { statements: ['INSERT INTO audit (id, n, at) VALUES (:id, :n, :nowMs)'] } };
    file.streams.executions = { executor: 'constant-arrival-rate', rate: 1, duration: '10s', endsAfter: { stream: 'orders', tail: '1s' }, sql: { procedure: 'workflow-executions' } };
    const writers = workloadWriters(load(file));
    expect(writers.find((w) => w.stream === 'numbered')).toMatchObject({ sqlWrite: ['INSERT INTO audit (id, n, at) VALUES (:executionId, :n, :nowMs)'], startDelayMs: 1000, durationMs: 5000 });
    // After another stream (its end, plus the tail, told as the load runs), its duration is the longest it writes.
    expect(writers.find((w) => w.stream === 'executions')).toMatchObject({ sqlWrite: null, transaction: 'immediate', durationMs: 10_000, endsAfter: { stream: 'orders', tailMs: 1000 } });
    expect(writers.find((w) => w.stream === 'numbered')!.endsAfter).toBeNull();
    const plan = workloadWriterPlan(load(file), undefined);
    expect(plan.run && plan.streams.find((s) => s.stream === 'executions')!.endsAfter).toEqual({ stream: 'orders', tailMs: 1000 });
    // The built-in driver ends a request stream after an SQL stream where the writers end that stream: the same timeline.
    expect(sqlStreamTimelines(load(file))).toEqual(
      plan.run ? plan.streams.map((s) => ({ stream: s.stream, startDelayMs: s.options.startDelayMs, durationMs: s.options.durationMs, endsAfter: s.endsAfter })) : [],
    );
    expect(sqlStreamTimelines(load(file)).find((t) => t.stream === 'numbered')).toEqual({ stream: 'numbered', startDelayMs: 1000, durationMs: 5000, endsAfter: null });
  });

  it('gives the engine the request streams and the side writers the SQL stream, its parameters named as they bind them', () => {
    const workload = load(runnableShop());
    const description = workloadScenario(workload, 'concurrent');
    expect(description.streams.map((s) => [s.name, s.request, s.executor.type])).toEqual([
      ['orders', 'workload', 'constant-arrival-rate'],
      ['restocks', 'workload', 'constant-arrival-rate'],
      ['product-reads', 'workload', 'constant-arrival-rate'],
    ]);
    expect(description.streams[1]!.executor).toMatchObject({ rate: 0.5 });
    expect(workloadWriters(workload)).toEqual([
      {
        stream: 'report',
        writesPerSecond: 1,
        threads: 1,
        maxInFlight: expect.any(Number),
        sqlWrite: ['INSERT INTO reports (id, at) VALUES (:executionId, :nowMs)'],
        busyTimeoutMs: null,
        holdMs: 200,
        transaction: 'immediate',
        startDelayMs: 0,
        durationMs: 60_000,
        endsAfter: null,
      },
    ]);
  });

  it('counts each stream: successes, lock errors split fast and timed out, other errors, percentiles, acknowledged', () => {
    const workload = load(runnableShop());
    const samples = [
      sample('orders', 0, 10),
      sample('orders', 10, 30),
      sample('orders', 20, 5, { status: 500, outcome: 'lock-error', lockFailure: 'fast' }),
      sample('orders', 30, 5000, { status: 503, outcome: 'lock-error', lockFailure: 'timed-out' }),
      sample('orders', 40, 3, { status: 0, outcome: 'error', sentMs: null }),
      sample('restocks', 0, 400, { acknowledged: 100 }),
      ...writerSamples(workload, [
        { scheduledAtMs: T0, latencyMs: 2, ok: true, stream: 'report' },
        { scheduledAtMs: T0 + 1000, latencyMs: 5000, ok: false, errorCode: 'SQLITE_CONSTRAINT_PRIMARYKEY', failedAfterMs: 1, stream: 'report' },
      ]),
    ];
    const [orders, restocks, reads, report] = streamFigures(workload, samples);
    expect(orders).toMatchObject({ requests: 5, successes: 2, lockErrors: { total: 2, fast: 1, timedOut: 1, unknown: 0 }, otherErrors: 1, acknowledged: null });
    // The request never sent has no latency.
    expect(orders!.p50Ms).toBe(20);
    expect(restocks).toMatchObject({ requests: 1, acknowledged: 100 });
    expect(reads).toMatchObject({ requests: 0, p99Ms: null });
    expect(report).toMatchObject({ kind: 'sql', requests: 2, successes: 1, otherErrors: 1, acknowledged: 1 });
  });

  it('splits the other errors of a request stream: no answer by why (a timeout, a reset), and error answers (a 500 without the lock pattern); a 500 with it is a lock error', () => {
    const workload = load(runnableShop());
    const orders = workload.streams.find((s) => s.name === 'orders')! as (typeof workload.streams)[number] & { action: HttpAction };
    // Each answer as the built-in driver reads it, and its request sample with the client's error.
    const answers = [
      { status: 201, body: '{}', ms: 8, error: null },
      { status: 0, body: null, ms: 10_000, error: 'timeout' },
      { status: 0, body: null, ms: 40, error: 'reset' },
      { status: 500, body: 'KeyError: product', ms: 6, error: null },
      { status: 500, body: 'OperationalError: database is locked', ms: 4, error: null },
    ];
    const iterations = workloadIterations(workload, orders);
    const samples: WorkloadSample[] = [];
    const requests: RequestSample[] = [];
    answers.forEach((a, i) => {
      const sentMs = T0 + i * 100;
      samples.push(iterations.sample({ status: a.status, body: a.body, startEpochMs: sentMs, endEpochMs: sentMs + a.ms }, { scheduledMs: sentMs, sentMs }));
      requests.push({ stream: 'orders', scheduledMs: sentMs, sentMs, endMs: sentMs + a.ms, status: a.status, error: a.error });
    });
    const [figures] = streamFigures(workload, samples, requests);
    expect(figures).toMatchObject({ requests: 5, successes: 1, lockErrors: { total: 1, fast: 1 }, otherErrors: 3, noAnswer: { total: 2, byKind: { timeout: 1, reset: 1 } }, errorAnswers: 1 });
    // Without the request samples, which got no answer is still known, not why.
    expect(streamFigures(workload, samples)[0]).toMatchObject({ otherErrors: 3, noAnswer: { total: 2, byKind: { unknown: 2 } }, errorAnswers: 1 });
    // An SQL stream's writes always end with SQLite's word: no split.
    const report = streamFigures(workload, writerSamples(workload, [{ scheduledAtMs: T0, latencyMs: 5, ok: false, errorCode: 'SQLITE_CONSTRAINT', failedAfterMs: 1, stream: 'report' }]), requests).find((f) => f.stream === 'report')!;
    expect(report.otherErrors).toBe(1);
    expect(report.noAnswer).toBeUndefined();
    expect(report.errorAnswers).toBeUndefined();
  });

  it("counts each SQL stream's writes as its own, a busy or locked code as a lock error split by the time from BEGIN to the failure", () => {
    const file = runnableShop() as { streams: Record<string, Record<string, unknown>> };
    file.streams.audit = { executor: 'constant-arrival-rate', rate: 1, duration: '10s', sql: { statements: ['INSERT INTO audit (id) VALUES (:id)'], transaction: 'deferred' } };
    const workload = load(file);
    // The shop's busy timeout is 5 s: under 2.5 s a lock error is fast.
    const figures = streamFigures(
      workload,
      writerSamples(workload, [
        { scheduledAtMs: T0, latencyMs: 3, ok: false, errorCode: 'SQLITE_BUSY', failedAfterMs: 2, stream: 'audit' },
        { scheduledAtMs: T0, latencyMs: 9, ok: false, errorCode: 'SQLITE_BUSY_SNAPSHOT', failedAfterMs: 8, stream: 'audit' },
        { scheduledAtMs: T0, latencyMs: 5100, ok: false, errorCode: 'SQLITE_BUSY', failedAfterMs: 5000, stream: 'audit' },
        { scheduledAtMs: T0, latencyMs: 4, ok: true, stream: 'audit' },
        { scheduledAtMs: T0, latencyMs: 2, ok: true, stream: 'report' },
        { scheduledAtMs: T0, latencyMs: 2, ok: true, stream: 'report' },
      ]),
    );
    expect(figures.find((f) => f.stream === 'audit')).toMatchObject({ requests: 4, successes: 1, lockErrors: { total: 3, fast: 2, timedOut: 1, unknown: 0 }, otherErrors: 0, acknowledged: 1 });
    expect(figures.find((f) => f.stream === 'report')).toMatchObject({ requests: 2, successes: 2, lockErrors: { total: 0 }, acknowledged: 2 });
  });

  it('fails the lock criteria as not measured when nothing watched the lock, never passes them on no spans', () => {
    const workload = load(runnableShop());
    const run = { startMs: T0, endMs: T0 + 1000 };
    const unwatched = workloadResult(workload, 'shop.yaml', { samples: [], lockSpans: null, run, noLoss: {}, lockSource: 'none' });
    expect(unwatched.criteria.filter((c) => c.type === 'max-lock-hold' || c.type === 'lock-duty-cycle')).toEqual([
      expect.objectContaining({ measured: null, pass: false, code: 'no-samples' }),
      expect.objectContaining({ measured: null, pass: false, code: 'no-samples' }),
    ]);
    const watched = workloadResult(workload, 'shop.yaml', { samples: [], lockSpans: [], run, noLoss: {}, lockSource: 'observed' });
    expect(watched.criteria.find((c) => c.type === 'max-lock-hold')).toMatchObject({ measured: 0, pass: true });
  });
});

describe('countNoLoss', () => {
  let dir: string;
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("runs each no-loss criterion's SQL on the database and the integrity check", () => {
    dir = mkdtempSync(join(tmpdir(), 'lockbench-noloss-'));
    const path = join(dir, 'shop.db');
    const db = new Database(path);
    db.exec('CREATE TABLE stock_movements (id INTEGER PRIMARY KEY); INSERT INTO stock_movements DEFAULT VALUES; INSERT INTO stock_movements DEFAULT VALUES;');
    db.close();
    const file = runnableShop() as unknown as { criteria: Record<string, unknown>[] };
    file.criteria.push({ id: 'broken-count', type: 'no-loss', stream: 'report', count: 'SELECT count(*) AS n FROM no_such_table' });
    expect(countNoLoss(load(file), path)).toEqual({
      'restocks-stored': { found: 2, integrityOk: true },
      'broken-count': { found: null, integrityOk: true },
    });
  });
});

describe('withTrialBusyTimeout', () => {
  it("splits lock errors by the trial's busyTimeoutMs when the workload does not declare the app's, and keeps a declared one", () => {
    const file = runnableShop() as unknown as { lockErrors?: unknown; criteria: { outcomes?: string[] }[] };
    delete file.lockErrors;
    file.criteria = file.criteria.filter((c) => !c.outcomes?.some((o) => o !== 'lock-error'));
    const undeclared = parseWorkload(file, 'test', DOC_DIR);
    expect(withTrialBusyTimeout(undeclared, { busyTimeoutMs: 10_000 }).workload.lockErrors).toEqual({ busyTimeoutMs: 10_000, fastBelowMs: 5_000 });
    expect(withTrialBusyTimeout(undeclared, {}).workload.lockErrors).toBeNull();
    const declared = parseWorkload(runnableShop(), 'test', DOC_DIR);
    expect(withTrialBusyTimeout(declared, { busyTimeoutMs: 10_000 }).workload.lockErrors).toEqual(declared.workload.lockErrors);
  });
});

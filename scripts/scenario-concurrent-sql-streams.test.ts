/**
 * End to end through the CLI: SQL streams on lockbench's own target (the staged profile, one trial of a
 * ~3 s load). A stream of its own duration stops scheduling writes once that duration from its start is
 * over, while the load goes on; one with `endsAfter` stops once the request stream it names has ended plus
 * the tail, and a request stream with `endsAfter` naming an SQL stream stops at that stream's end plus the
 * tail; `:n` numbers its writes; the built-in `workflow-executions` procedure runs through the side
 * writers of a workload. Counts the schedule makes certain are asserted; latencies are not.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { latestResults, runCliScript } from '../harness/testing/cli.ts';
import { tempDirPerTest } from '../harness/testing/temp-dir.ts';
import type { WorkloadSample } from '../harness/model/workload-samples.ts';

const CLI = fileURLToPath(new URL('./scenario-concurrent.ts', import.meta.url));
const FASTAPI = fileURLToPath(new URL('../examples/fastapi-sqlalchemy/target.json', import.meta.url));
/** One trial of the built-in target: generous on a busy 2-core machine. */
const E2E_TIMEOUT_MS = 120_000;

const READ = { method: 'GET', path: '/api/artifacts?sourceId=src-1&limit=5' };
/** The 3-s stream of reads each workload's load lasts for. */
const READS = { executor: 'constant-arrival-rate', rate: 5, duration: '3s', request: READ };
/** An SQL stream's writes on one connection, each storing its `:n` under `origin`. */
const numberedWrites = (origin: string) => ({
  threads: 1,
  statements: [`INSERT INTO workflow_executions (id, workflow_id, status, origin, created_at, updated_at) VALUES (:id, 'wf-1', 'succeeded', '${origin}', :n, :nowMs)`],
});

/** 10 numbered writes (10/s for 1 s from 500 ms) inside a 3-s load, and the built-in procedure until the load ends. */
const WORKLOAD = {
  name: 'sql-streams',
  streams: {
    reads: READS,
    numbered: {
      executor: 'constant-arrival-rate',
      rate: 10,
      duration: '1s',
      startTime: '500ms',
      sql: numberedWrites('numbered'),
    },
    executions: { executor: 'constant-arrival-rate', rate: 5, duration: '60s', endsAfter: { stream: 'reads' }, sql: { procedure: 'workflow-executions', threads: 1 } },
  },
  criteria: [
    // Each committed write stored its own :n: as many distinct numbers as acknowledged writes.
    { id: 'numbers-distinct', type: 'no-loss', stream: 'numbered', count: "SELECT count(DISTINCT created_at) AS n FROM workflow_executions WHERE origin = 'numbered'" },
    { id: 'numbers-from-0', type: 'no-loss', stream: 'numbered', count: "SELECT max(created_at) + 1 AS n FROM workflow_executions WHERE origin = 'numbered'" },
  ],
};

/**
 * An SQL stream that ends after a short request stream (1 s) plus a 500-ms tail, while a longer one goes on
 * for 3 s; left to its own 60 s, it would write until the load ended.
 */
const AUDIT_RATE = 10;
const AUDIT_TAIL_MS = 500;
const ENDS_AFTER = {
  name: 'sql-ends-after',
  streams: {
    short: { executor: 'constant-arrival-rate', rate: 5, duration: '1s', request: READ },
    reads: READS,
    audit: {
      executor: 'constant-arrival-rate',
      rate: AUDIT_RATE,
      duration: '60s',
      endsAfter: { stream: 'short', tail: `${AUDIT_TAIL_MS}ms` },
      sql: numberedWrites('audit'),
    },
  },
  criteria: [
    { id: 'audit-numbers-distinct', type: 'no-loss', stream: 'audit', count: "SELECT count(DISTINCT created_at) AS n FROM workflow_executions WHERE origin = 'audit'" },
    // The stored numbers run 0..N-1: N is how many writes were due before the end (none was lost).
    { id: 'audit-numbers-from-0', type: 'no-loss', stream: 'audit', count: "SELECT max(created_at) + 1 AS n FROM workflow_executions WHERE origin = 'audit'" },
  ],
};

/**
 * A request stream that ends after a 1-s SQL stream plus a 500-ms tail, while a longer one goes on for 3 s;
 * left to its own 10 s, it would send until then.
 */
const AFTER_RATE = 10;
const AFTER_TAIL_MS = 500;
const AFTER_OWN_MS = 10_000;
const SQL_DURATION_MS = 1_000;
const ENDS_AFTER_SQL = {
  name: 'request-ends-after-sql',
  streams: {
    reads: READS,
    audit: {
      executor: 'constant-arrival-rate',
      rate: 10,
      duration: `${SQL_DURATION_MS}ms`,
      sql: numberedWrites('audit'),
    },
    after: {
      executor: 'constant-arrival-rate',
      rate: AFTER_RATE,
      duration: `${AFTER_OWN_MS}ms`,
      maxVUs: 20,
      endsAfter: { stream: 'audit', tail: `${AFTER_TAIL_MS}ms` },
      request: READ,
    },
  },
};

const tmp = tempDirPerTest('lockbench-sql-streams-e2e-');

/** Runs `workload` on the built-in target's staged profile, checks the trial completed, and returns its streams and criteria by name. */
async function runStaged(workload: object) {
  const path = join(tmp.path, 'workload.json');
  writeFileSync(path, JSON.stringify(workload));
  const run = await runCliScript(CLI, ['--workload', path, '--profiles', 'staged'], join(tmp.path, 'reports'));
  const results = latestResults(join(tmp.path, 'reports'));
  const [profile] = results.profiles;
  expect(profile, run.stderr).toMatchObject({ name: 'staged', status: 'completed' });
  expect(run.code, run.stderr).toBe(results.pass ? 0 : 1);
  return {
    streams: Object.fromEntries(profile!.workload!.streams.map((s) => [s.stream, s])),
    criteria: Object.fromEntries(profile!.workload!.criteria.map((c) => [c.id, c])),
  };
}

describe('scenario:concurrent --workload with SQL streams', () => {
  it('stops a stream at its own duration while the load goes on, numbers its writes with :n, and runs the built-in procedure', { timeout: E2E_TIMEOUT_MS }, async () => {
    const { streams, criteria } = await runStaged(WORKLOAD);
    // 5/s for 3 s: the load outlasts the numbered stream's 1.5 s by far.
    expect(streams.reads!.requests).toBe(15);
    // Due at 500, 600, ..., 1400 ms: 10 writes, none after its second, all answered (the writers drain).
    expect(streams.numbered).toMatchObject({ kind: 'sql', requests: 10, otherErrors: 0 });
    // The procedure wrote the built-in target's executions and steps for the whole load.
    expect(streams.executions).toMatchObject({ kind: 'sql', otherErrors: 0 });
    expect(streams.executions!.successes).toBeGreaterThan(0);
    for (const id of ['numbers-distinct', 'numbers-from-0']) {
      expect(criteria[id], id).toMatchObject({ measured: streams.numbered!.acknowledged, threshold: streams.numbered!.acknowledged, pass: true });
    }
    expect(streams.numbered!.acknowledged).toBe(streams.numbered!.successes);
  });

  it('stops an SQL stream with endsAfter once the named request stream has ended plus the tail, while a longer one goes on', { timeout: E2E_TIMEOUT_MS }, async () => {
    const { streams, criteria } = await runStaged(ENDS_AFTER);
    expect(streams.short!.requests).toBe(5);
    expect(streams.reads!.requests).toBe(15);
    expect(streams.audit).toMatchObject({ kind: 'sql', otherErrors: 0 });
    for (const id of ['audit-numbers-distinct', 'audit-numbers-from-0']) {
      expect(criteria[id], id).toMatchObject({ measured: streams.audit!.acknowledged, threshold: streams.audit!.acknowledged, pass: true });
    }
    const written = streams.audit!.acknowledged!;

    const answers = JSON.parse(readFileSync(join(tmp.path, 'reports', 'latest', 'answers-staged.json'), 'utf8')) as WorkloadSample[];
    const http = (stream: string) => answers.filter((a) => a.stream === stream);
    // The short stream's first arrival is due at the load's t0, as the audit's first write.
    const t0 = Math.min(...http('short').map((a) => a.scheduledMs!));
    // The driver tells the short stream's end once its last answer is in, a turn of the loop after it at most.
    const shortEnd = Math.max(...http('short').map((a) => a.endMs));
    const dueAt = (n: number) => t0 + (n * 1000) / AUDIT_RATE;
    const intervalMs = 1000 / AUDIT_RATE;
    // Write N-1, the last stored, was due before the short stream's end plus the tail (give or take the
    // turn of the loop between its last answer and its end: less than one interval here)...
    expect(dueAt(written - 1)).toBeLessThan(shortEnd + AUDIT_TAIL_MS + intervalMs);
    // ...and the first one not written was due at or after it: the stream wrote through the tail.
    expect(dueAt(written)).toBeGreaterThanOrEqual(shortEnd + AUDIT_TAIL_MS);
    // The longer stream went on well past the audit's last write: its end was not the load's.
    expect(Math.max(...http('reads').map((a) => a.endMs))).toBeGreaterThan(dueAt(written - 1) + 1_000);
  });

  it('stops a request stream with endsAfter at the SQL stream\'s end plus the tail, while a longer one goes on', { timeout: E2E_TIMEOUT_MS }, async () => {
    const { streams } = await runStaged(ENDS_AFTER_SQL);
    expect(streams.reads!.requests).toBe(15);
    // 10 writes due in the audit's 1 s.
    expect(streams.audit).toMatchObject({ kind: 'sql', requests: 10, otherErrors: 0 });
    const answers = JSON.parse(readFileSync(join(tmp.path, 'reports', 'latest', 'answers-staged.json'), 'utf8')) as WorkloadSample[];
    const http = (stream: string) => answers.filter((a) => a.stream === stream);
    // Both request streams' first arrivals are due at the load's t0, where the audit starts.
    const t0 = Math.min(...answers.filter((a) => a.scheduledMs !== null).map((a) => a.scheduledMs!));
    const end = t0 + SQL_DURATION_MS + AFTER_TAIL_MS;
    // Due at 0, 100, ..., 1400 ms from t0: the timeline makes the arrivals before the end certain.
    expect(http('after').map((a) => a.scheduledMs! - t0).sort((a, b) => a - b)).toEqual(Array.from({ length: 15 }, (_, i) => (i * 1000) / AFTER_RATE));
    // The last one went out near then (a wide margin for a busy machine), far from its own 10 s.
    const lastSent = Math.max(...http('after').map((a) => a.sentMs!));
    expect(lastSent).toBeLessThan(end + 1_000);
    expect(lastSent).toBeLessThan(t0 + AFTER_OWN_MS / 2);
    // The longer stream went on well past it: the audit's end was not the load's.
    expect(Math.max(...http('reads').map((a) => a.endMs))).toBeGreaterThan(lastSent + 1_000);
  });

  it("refuses the built-in procedure on a described target before anything starts: exit 2, at its field, no report", async () => {
    const path = join(tmp.path, 'workload.json');
    writeFileSync(path, JSON.stringify(WORKLOAD));
    const run = await runCliScript(CLI, ['--target', FASTAPI, '--workload', path], join(tmp.path, 'reports'));
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toMatch(/--workload: [\s\S]*streams\.executions\.sql\.procedure: a procedure writes lockbench's own target's tables/);
    expect(existsSync(join(tmp.path, 'reports'))).toBe(false);
  });
});

/**
 * End to end through the CLI: SQL streams on lockbench's own target (the staged profile, one trial of a
 * ~3 s load). A stream of its own duration stops scheduling writes once that duration from its start is
 * over, while the load goes on; `:n` numbers its writes; the built-in `workflow-executions` procedure runs
 * through the side writers of a workload. Counts the schedule makes certain are asserted; latencies are not.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { latestResults, runCliScript } from '../harness/testing/cli.ts';
import { tempDirPerTest } from '../harness/testing/temp-dir.ts';

const CLI = fileURLToPath(new URL('./scenario-concurrent.ts', import.meta.url));
const FASTAPI = fileURLToPath(new URL('../examples/fastapi-sqlalchemy/target.json', import.meta.url));
/** One trial of the built-in target: generous on a busy 2-core machine. */
const E2E_TIMEOUT_MS = 120_000;

/** 10 numbered writes (10/s for 1 s from 500 ms) inside a 3-s load, and the built-in procedure until the load ends. */
const WORKLOAD = {
  name: 'sql-streams',
  streams: {
    reads: { executor: 'constant-arrival-rate', rate: 5, duration: '3s', request: { method: 'GET', path: '/api/artifacts?sourceId=src-1&limit=5' } },
    numbered: {
      executor: 'constant-arrival-rate',
      rate: 10,
      duration: '1s',
      startTime: '500ms',
      sql: {
        threads: 1,
        statements: ["INSERT INTO workflow_executions (id, workflow_id, status, origin, created_at, updated_at) VALUES (:id, 'wf-1', 'succeeded', 'numbered', :n, :nowMs)"],
      },
    },
    executions: { executor: 'constant-arrival-rate', rate: 5, duration: '60s', endsAfter: { stream: 'reads' }, sql: { procedure: 'workflow-executions', threads: 1 } },
  },
  criteria: [
    // Each committed write stored its own :n: as many distinct numbers as acknowledged writes.
    { id: 'numbers-distinct', type: 'no-loss', stream: 'numbered', count: "SELECT count(DISTINCT created_at) AS n FROM workflow_executions WHERE origin = 'numbered'" },
    { id: 'numbers-from-0', type: 'no-loss', stream: 'numbered', count: "SELECT max(created_at) + 1 AS n FROM workflow_executions WHERE origin = 'numbered'" },
  ],
};

const tmp = tempDirPerTest('lockbench-sql-streams-e2e-');

describe('scenario:concurrent --workload with SQL streams', () => {
  it('stops a stream at its own duration while the load goes on, numbers its writes with :n, and runs the built-in procedure', { timeout: E2E_TIMEOUT_MS }, async () => {
    const dir = tmp.path;
    const path = join(dir, 'workload.json');
    writeFileSync(path, JSON.stringify(WORKLOAD));
    const run = await runCliScript(CLI, ['--workload', path, '--profiles', 'staged'], join(dir, 'reports'));
    const results = latestResults(join(dir, 'reports'));
    const [profile] = results.profiles;
    expect(profile, run.stderr).toMatchObject({ name: 'staged', status: 'completed' });
    expect(run.code, run.stderr).toBe(results.pass ? 0 : 1);
    const streams = Object.fromEntries(profile!.workload!.streams.map((s) => [s.stream, s]));
    // 5/s for 3 s: the load outlasts the numbered stream's 1.5 s by far.
    expect(streams.reads!.requests).toBe(15);
    // Due at 500, 600, ..., 1400 ms: 10 writes, none after its second, all answered (the writers drain).
    expect(streams.numbered).toMatchObject({ kind: 'sql', requests: 10, otherErrors: 0 });
    // The procedure wrote the built-in target's executions and steps for the whole load.
    expect(streams.executions).toMatchObject({ kind: 'sql', otherErrors: 0 });
    expect(streams.executions!.successes).toBeGreaterThan(0);
    const criteria = Object.fromEntries(profile!.workload!.criteria.map((c) => [c.id, c]));
    for (const id of ['numbers-distinct', 'numbers-from-0']) {
      expect(criteria[id], id).toMatchObject({ measured: streams.numbered!.acknowledged, threshold: streams.numbered!.acknowledged, pass: true });
    }
    expect(streams.numbered!.acknowledged).toBe(streams.numbered!.successes);
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

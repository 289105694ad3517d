import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSeededDb, type SeededDb } from '../../testing/seeded-db.ts';
import { startWorkflowWriters } from './writers.ts';
import { planWorkflowWriters } from '../../plan/workflow-writers.ts';
import { RUN_WRITERS } from '../../testing/writers.ts';

let seeded: SeededDb;

beforeEach(() => {
  seeded = createSeededDb();
});
afterEach(() => {
  seeded.remove();
});

describe('workflow writers', () => {
  it('commits executions and steps and acknowledges exactly the rows stored', async () => {
    const writers = await startWorkflowWriters(planWorkflowWriters({ ...RUN_WRITERS, writesPerSecond: 400 }), { dbPath: seeded.path });
    // Until an execution has finished too: on a busy machine the answers come late, more executions start
    // side by side, and 80 writes can all be steps of executions none of which has reached its last.
    await writers.until((p) => p.writes >= 80 && p.finishedExecutions > 0);
    const result = await writers.stop();

    expect(result.failed).toBe(0);
    expect(result.errorsByCode).toEqual({});
    expect(result.writes).toBe(result.succeeded);
    expect(result.latency.count).toBe(result.writes);
    expect(result.acknowledged.finishedExecutions).toBeGreaterThan(0);

    const db = new Database(seeded.path, { readonly: true });
    try {
      const executions = db
        .prepare("SELECT count(*) AS n, sum(status = 'succeeded') AS done FROM workflow_executions WHERE origin = 'writer'")
        .get() as { n: number; done: number };
      const steps = db
        .prepare("SELECT count(*) AS n FROM execution_steps s JOIN workflow_executions e ON e.id = s.execution_id WHERE e.origin = 'writer'")
        .get() as { n: number };
      expect(executions.n).toBe(result.acknowledged.executions);
      expect(executions.done).toBe(result.acknowledged.finishedExecutions);
      expect(steps.n).toBe(result.acknowledged.steps);
    } finally {
      db.close();
    }
  });

  it('keeps one sample per answered write: its scheduled epoch time on the open schedule and its latency', async () => {
    const before = Date.now();
    const writers = await startWorkflowWriters(planWorkflowWriters({ ...RUN_WRITERS, writesPerSecond: 200 }), { dbPath: seeded.path });
    await writers.until((p) => p.writes >= 40);
    const result = await writers.stop();
    const after = Date.now();

    expect(result.samples).toHaveLength(result.writes);
    expect(result.samples.every((s) => s.ok)).toBe(true);
    const scheduled = result.samples.map((s) => s.scheduledAtMs).sort((a, b) => a - b);
    // Epoch milliseconds, comparable with k6's clock, inside the time the writers ran.
    expect(scheduled[0]).toBeGreaterThanOrEqual(before - 1);
    expect(scheduled.at(-1)).toBeLessThanOrEqual(after + 1);
    // Open model: every write is scheduled 1000 / 200 = 5 ms after the previous one, whenever it was issued.
    for (let i = 1; i < scheduled.length; i++) expect(scheduled[i]! - scheduled[i - 1]!).toBeCloseTo(5, 6);
    for (const sample of result.samples) expect(sample.latencyMs).toBeGreaterThan(0);
  });

  it('records one lock span per committed write, owned by workflow-writer with pid and thread', async () => {
    const writers = await startWorkflowWriters(planWorkflowWriters({ ...RUN_WRITERS, writesPerSecond: 200 }), { dbPath: seeded.path });
    await writers.until((p) => p.writes >= 20);
    const result = await writers.stop();

    expect(result.spans).toHaveLength(result.succeeded);
    for (const span of result.spans ?? []) {
      expect(span.owner).toBe('workflow-writer');
      expect(['workflow-execution', 'workflow-step']).toContain(span.kind);
      expect(span.pid).toBe(process.pid);
      expect(span.thread).toBeGreaterThan(0);
      expect(span.endMs).toBeGreaterThanOrEqual(span.startMs);
    }
  });
});

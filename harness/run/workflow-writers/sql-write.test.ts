/** The workflow writers on a foreign target's schema: its description's write, one execution per write. */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { startWorkflowWriters } from './writers.ts';
import { planWorkflowWriters } from '../../plan/workflow-writers.ts';
import { tempDirPerTest } from '../../testing/temp-dir.ts';
import { RUN_WRITERS } from '../../testing/writers.ts';

const tmp = tempDirPerTest('lockbench-sql-write-');
let dbPath: string;
beforeEach(() => {
  dbPath = join(tmp.path, 'app.db');
  const db = new Database(dbPath);
  db.pragma('journal_mode = WAL');
  db.exec('CREATE TABLE runs (id TEXT PRIMARY KEY, started_ms INTEGER NOT NULL)');
  db.close();
});

describe('workflow writers with sqlWrite', () => {
  it("runs the description's statements once per write and acknowledges exactly the rows stored", async () => {
    const writers = await startWorkflowWriters(planWorkflowWriters({ ...RUN_WRITERS, writesPerSecond: 200, sqlWrite: ['INSERT INTO runs (id, started_ms) VALUES (:executionId, :nowMs)'] }), { dbPath });
    await writers.until((p) => p.writes >= 20);
    const result = await writers.stop();

    expect(result.failed).toBe(0);
    expect(result.acknowledged.executions).toBe(result.succeeded);
    expect(result.spans?.every((s) => s.kind === 'workflow-execution')).toBe(true);
    const db = new Database(dbPath, { readonly: true });
    try {
      const stored = db.prepare("SELECT count(*) AS n FROM runs WHERE id LIKE ? || '-%'").get(result.executionIdPrefix) as { n: number };
      expect(stored.n).toBe(result.acknowledged.executions);
    } finally {
      db.close();
    }
  });

  it('holds each transaction open for holdMs after its statements; with none, a plain holder of the write lock', async () => {
    const writers = await startWorkflowWriters(planWorkflowWriters({ ...RUN_WRITERS, writesPerSecond: 20, threads: 1, sqlWrite: [], holdMs: 40 }), { dbPath });
    await writers.until((p) => p.writes >= 3);
    const result = await writers.stop();

    expect(result.failed).toBe(0);
    expect(result.spans?.length).toBeGreaterThanOrEqual(3);
    // A blocking wait of holdMs inside the transaction: no hold can be shorter.
    for (const span of result.spans ?? []) expect(span.endMs - span.startMs).toBeGreaterThanOrEqual(40);
    const db = new Database(dbPath, { readonly: true });
    try {
      expect((db.prepare('SELECT count(*) AS n FROM runs').get() as { n: number }).n).toBe(0);
    } finally {
      db.close();
    }
  });
});

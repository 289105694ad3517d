import type Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSeededDb, type SeededDb } from '../../testing/seeded-db.ts';
import { checkIntegrity, summarizeImportJobs } from './integrity.ts';

let seeded: SeededDb;
let db: Database.Database;

beforeEach(() => {
  seeded = createSeededDb();
  db = seeded.connect();
});
afterEach(() => seeded.remove());

function storeArtifact(externalId: string, withCollectionRow = true): void {
  const { id } = db
    .prepare("INSERT INTO artifacts (source_id, external_id, name, type, created_at, updated_at) VALUES ('src-1', ?, 'n', 'skill', 0, 0) RETURNING id")
    .get(externalId) as { id: number };
  if (withCollectionRow) db.prepare("INSERT INTO collection_artifacts (artifact_id, collection, added_at) VALUES (?, 'default', 0)").run(id);
}

const noWriters = { writers: null };

describe('checkIntegrity', () => {
  it('is ok when every acknowledged artifact is stored once with its collection row', () => {
    storeArtifact('a');
    storeArtifact('b');
    const result = checkIntegrity({ dbPath: seeded.path, artifactsAcknowledged: 2, ...noWriters });
    expect(result).toMatchObject({ ok: true, integrityCheck: ['ok'], artifacts: { acknowledged: 2, found: 2, duplicates: 0 } });
  });

  it('reports acknowledged rows that are missing', () => {
    storeArtifact('a');
    const result = checkIntegrity({ dbPath: seeded.path, artifactsAcknowledged: 2, ...noWriters });
    expect(result.ok).toBe(false);
    expect(result.problems).toEqual(['artifacts: 2 acknowledged, 1 stored']);
  });

  it('reports an artifact without its collection row', () => {
    storeArtifact('a', false);
    const result = checkIntegrity({ dbPath: seeded.path, artifactsAcknowledged: 1, ...noWriters });
    expect(result.problems).toEqual(['collection_artifacts: 1 artifacts without their collection row']);
  });

  it('compares the workflow writers acknowledgements with their rows', () => {
    db.prepare("INSERT INTO workflow_executions (id, workflow_id, status, origin, created_at, updated_at) VALUES ('wx-t-1', 'wf-1', 'succeeded', 'writer', 0, 0)").run();
    db.prepare("INSERT INTO execution_steps (execution_id, idx, status, updated_at) VALUES ('wx-t-1', 0, 'succeeded', 0)").run();
    const writers = { executionIdPrefix: 'wx-t', acknowledged: { executions: 2, steps: 1, finishedExecutions: 1 } };
    const result = checkIntegrity({ dbPath: seeded.path, artifactsAcknowledged: 0, writers });
    expect(result.problems).toEqual(['workflow_executions: 2 acknowledged, 1 stored']);
    expect(result.workflowExecutions).toEqual({ acknowledged: 2, found: 1, unfinished: 0 });
  });
});

describe('summarizeImportJobs', () => {
  it('measures the wall from the first start to the last finish, only when every job finished', () => {
    const insert = db.prepare(
      "INSERT INTO import_jobs (id, source_id, mode, batch_size, status, requested, imported, started_at, finished_at) VALUES (?, 'src-1', 'staged', 10, ?, 100, ?, ?, ?)",
    );
    insert.run('i1', 'completed', 100, 1_000, 3_000);
    insert.run('i2', 'completed', 100, 1_200, 4_100);
    expect(summarizeImportJobs(seeded.path)).toMatchObject({ jobs: 2, unfinished: 0, imported: 200, wallMs: 3_100 });
    insert.run('i3', 'running', 10, 1_300, null);
    expect(summarizeImportJobs(seeded.path)).toMatchObject({ jobs: 3, unfinished: 1, wallMs: null });
  });
});

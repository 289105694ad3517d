/** A foreign target's file checked through its description's SQL, and what is not run without it. */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { checkDescribedIntegrity, countDescribedStored } from './integrity.ts';
import { tempDirPerTest } from '../../testing/temp-dir.ts';

const PER_SOURCE = 'SELECT count(*) AS n FROM items WHERE source = :sourceId';
const RUNS = "SELECT count(*) AS n FROM runs WHERE id LIKE :executionIdPrefix || '-%'";

const tmp = tempDirPerTest('lockbench-described-integrity-');
let dbPath: string;
beforeEach(() => {
  dbPath = join(tmp.path, 'app.db');
  const db = new Database(dbPath);
  db.exec('CREATE TABLE items (id INTEGER PRIMARY KEY, source TEXT); CREATE TABLE runs (id TEXT PRIMARY KEY)');
  const insert = db.prepare('INSERT INTO items (source) VALUES (?)');
  for (const source of ['src-1', 'src-1', 'src-2', 'src-9']) insert.run(source);
  db.prepare('INSERT INTO runs VALUES (?), (?)').run('wx-1-1', 'wx-1-2');
  db.close();
});

const writers = (executions: number) => ({ executionIdPrefix: 'wx-1', acknowledged: { executions, steps: 0, finishedExecutions: executions } });

describe('checkDescribedIntegrity', () => {
  it('counts the rows of the imported sources and the workflow writes with the description\'s SQL', () => {
    const result = checkDescribedIntegrity({ dbPath, artifactsPerSource: PER_SOURCE, sourceIds: ['src-1', 'src-2'], artifactsAcknowledged: 3, workflowCount: RUNS, writers: writers(2) });
    expect(result).toMatchObject({ ok: true, integrityCheck: ['ok'], artifacts: { acknowledged: 3, found: 3 }, workflowExecutions: { acknowledged: 2, found: 2 }, notRun: [] });
  });

  it('reports rows acknowledged but not stored', () => {
    const result = checkDescribedIntegrity({ dbPath, artifactsPerSource: PER_SOURCE, sourceIds: ['src-1', 'src-2'], artifactsAcknowledged: 4, workflowCount: RUNS, writers: writers(3) });
    expect(result.ok).toBe(false);
    expect(result.problems).toEqual([
      'artifacts: 4 acknowledged, 3 stored (sql.artifactsPerSource over src-1, src-2)',
      'workflow writes: 3 acknowledged, 2 stored (sql.workflowWrite.count)',
    ]);
  });

  it('without the no-loss SQL reports the count as not run: nothing found, never passed', () => {
    const result = checkDescribedIntegrity({ dbPath, artifactsPerSource: undefined, sourceIds: ['src-1'], artifactsAcknowledged: 2, workflowCount: undefined, writers: null });
    expect(result.artifacts.found).toBeNull();
    expect(result.notRun).toEqual(['no-loss: the rows stored were not counted (the target description has no sql.artifactsPerSource)']);
    expect(result.integrityCheck).toEqual(['ok']);
  });
});

describe('countDescribedStored', () => {
  it('finds what the integrity check finds: the imported sources\' rows by the description\'s SQL, and the file\'s integrity', () => {
    const input = { dbPath, artifactsPerSource: PER_SOURCE, sourceIds: ['src-1', 'src-2'] };
    expect(countDescribedStored(input)).toEqual({ found: 3, integrityOk: true });
    const checked = checkDescribedIntegrity({ ...input, artifactsAcknowledged: 3, workflowCount: undefined, writers: null });
    expect(countDescribedStored(input).found).toBe(checked.artifacts.found);
  });

  it('counts nothing without the no-loss SQL: not counted, never zero', () => {
    expect(countDescribedStored({ dbPath, artifactsPerSource: undefined, sourceIds: ['src-1'] })).toEqual({ found: null, integrityOk: true });
  });
});

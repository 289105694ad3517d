/**
 * Everything lockbench runs beside a target (workflow writers, lock observer, integrity and no-loss
 * checks) leaves the database's persistent settings as it found them: a rollback-journal database stays
 * one, so the comparison people make (rollback journal or WAL) is measured on the mode the app runs in.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { checkDescribedIntegrity } from './integrity/integrity.ts';
import { readJournalMode, startObserver } from './observe/index.ts';
import { tempDirPerTest } from '../testing/temp-dir.ts';
import { startWorkflowWriters } from './workflow-writers/writers.ts';
import { planWorkflowWriters } from '../plan/workflow-writers.ts';
import { summarizeObservation } from '../analyze/observation-summary.ts';
import { RUN_WRITERS } from '../testing/writers.ts';

const RUNS = "SELECT count(*) AS n FROM runs WHERE id LIKE :executionIdPrefix || '-%'";

/** The settings SQLite keeps in the file itself, read the way the app would see them. */
function persistentSettings(dbPath: string) {
  const db = new Database(dbPath, { readonly: true });
  try {
    return {
      journalMode: db.pragma('journal_mode', { simple: true }),
      pageSize: db.pragma('page_size', { simple: true }),
      autoVacuum: db.pragma('auto_vacuum', { simple: true }),
    };
  } finally {
    db.close();
  }
}

const tmp = tempDirPerTest('lockbench-database-as-it-is-');

describe.each([
  { journalMode: 'delete', header: 'rollback', pageSize: 8192, autoVacuum: 1 },
  { journalMode: 'wal', header: 'wal', pageSize: 4096, autoVacuum: 0 },
] as const)('a $journalMode database under the side writers, the observer and the checks', ({ journalMode, header, pageSize, autoVacuum }) => {
  let dbPath: string;
  beforeEach(() => {
    dbPath = join(tmp.path, 'app.db');
    const db = new Database(dbPath);
    db.pragma(`page_size = ${pageSize}`);
    db.pragma(`auto_vacuum = ${autoVacuum}`);
    db.pragma(`journal_mode = ${journalMode}`);
    db.exec('CREATE TABLE runs (id TEXT PRIMARY KEY, started_ms INTEGER NOT NULL)');
    db.close();
  });

  it('keeps its journal mode, page size and auto-vacuum', async () => {
    const before = persistentSettings(dbPath);
    expect(before).toEqual({ journalMode, pageSize, autoVacuum });
    expect(readJournalMode(dbPath)).toBe(header);

    const observer = await startObserver({ dbPath, waitForConnection: true });
    const writers = await startWorkflowWriters(planWorkflowWriters({ ...RUN_WRITERS, writesPerSecond: 200, sqlWrite: ['INSERT INTO runs (id, started_ms) VALUES (:executionId, :nowMs)'] }), { dbPath });
    await writers.until((p) => p.writes >= 20);
    const written = await writers.stop();
    const observed = summarizeObservation(await observer.stop());
    const integrity = checkDescribedIntegrity({ dbPath, artifactsPerSource: 'SELECT count(*) AS n FROM runs WHERE id = :sourceId', sourceIds: ['none'], artifactsAcknowledged: 0, workflowCount: RUNS, writers: written });

    expect(written.failed).toBe(0);
    expect(integrity.integrityCheck).toEqual(['ok']);
    // The writers wrote in the mode they found, and the observer saw them there.
    expect(observed.summary.journalMode).toBe(header);
    expect(observed.writeSpans.length).toBeGreaterThan(0);
    expect(readJournalMode(dbPath)).toBe(header);
    expect(persistentSettings(dbPath)).toEqual(before);
  });
});

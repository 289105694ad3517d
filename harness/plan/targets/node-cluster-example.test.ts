/**
 * End to end: the node:cluster example (node-sqlite3, not lockbench's driver), started from its description
 * with two worker processes on one SQLite file. A read-then-write request that meets an import's open write
 * transaction fails at once with SQLITE_BUSY under deferred transactions (rollback journal or WAL) and waits
 * its turn under BEGIN IMMEDIATE; the lock is watched from outside and attributed to the cluster worker
 * that holds it, a child of the started primary.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { profileSettings } from '../launch-plan.ts';
import { loadTargetDescription } from './load.ts';
import { classifyStatus } from './mapping.ts';
import { updateDuringImport } from './testing/update-during-import.ts';

const CLUSTER = loadTargetDescription(fileURLToPath(new URL('../../../examples/node-cluster/target.json', import.meta.url)));
const { description } = CLUSTER;
/** Entries of the import and the work on each inside its transaction: a write transaction open for about 2 s. */
const ENTRIES = 20;
const WORK_MS = 100;
/** Far longer than the import holds the lock: a request that fails well before it did not wait for the lock. */
const BUSY_TIMEOUT_MS = 30_000;

describe('the node:cluster example through its target description', () => {
  it.each([
    ['deferred', 'rollback', 500],
    ['immediate', 'rollback', 200],
    ['wal', 'wal', 500],
  ] as const)(
    'profile %s (%s journal): a read-then-write update during an import answers %i; the holder is a cluster worker of the started primary',
    async (profile, journalMode, updateStatus) => {
      const settings = { ...profileSettings(description, profile), busyTimeoutMs: BUSY_TIMEOUT_MS, artifactWorkMs: WORK_MS, workers: 2 };
      const run = await updateDuringImport(CLUSTER, settings, ENTRIES);

      expect(classifyStatus(description, 'import', run.imported.status)).toBe('success');
      expect(run.imported.body).toMatchObject({ imported: ENTRIES });
      expect(run.update.status).toBe(updateStatus);
      if (updateStatus === 500) {
        // BEGIN: the read took a shared lock (WAL: a read snapshot); the write cannot wait for the writer,
        // so SQLite refuses at once, busy timeout or not. The app's error handler answers 500.
        expect(run.update.body).toMatchObject({ error: { code: 'SQLITE_BUSY', message: 'SQLITE_BUSY: database is locked' } });
        expect(run.update.ms).toBeLessThan(BUSY_TIMEOUT_MS / 2);
        expect(classifyStatus(description, 'catalogUpdate', run.update.status)).toBe('error');
      } else {
        expect(run.update.body).toMatchObject({ id: 3, status: 'updating', version: 1 });
      }

      expect(run.journalMode).toBe(journalMode);
      const importer = run.observed.holders.find((h) => h.pid === run.importerPid);
      expect(importer).toMatchObject({ role: 'target', command: 'node', parentPid: run.targetPid, worker: true });
      expect(run.observed.holders.filter((h) => h.role === 'other' && h.observed.spanCount > 0)).toEqual([]);
      // The primary set the database up before it forked: it holds nothing while the workers serve.
      expect(run.observed.holders.find((h) => h.pid === run.targetPid)?.observed.spanCount ?? 0).toBe(0);
      expect(run.aliveAfterStop).toBe(false);
    },
  );

  it.each([
    [{ TRANSACTION_MODE: 'exclusive' }, 'TRANSACTION_MODE must be one of deferred, immediate, got "exclusive"'],
    [{ WORKERS: '0' }, 'WORKERS must be an integer >= 1, got "0"'],
    [{ POOL_SIZE: 'four' }, 'POOL_SIZE must be an integer >= 1, got "four"'],
  ])('a bad setting %o stops the primary with exit code 2, its name, and no database', (env, message) => {
    const workDir = mkdtempSync(join(tmpdir(), 'lockbench-cluster-bad-'));
    try {
      const database = join(workDir, 'marketplace.db');
      const started = spawnSync(process.execPath, ['start.mjs', '--port', '0'], {
        cwd: CLUSTER.baseDir,
        env: { ...process.env, DATABASE_PATH: database, ...env },
        encoding: 'utf8',
        timeout: 30_000,
      });
      expect(started.status).toBe(2);
      expect(started.stderr.trim()).toBe(message);
      expect(existsSync(database)).toBe(false);
    } finally {
      rmSync(workDir, { recursive: true, force: true });
    }
  });
});

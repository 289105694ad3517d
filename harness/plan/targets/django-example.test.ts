/**
 * End to end: the Django example under gunicorn, started from its description with several workers. A
 * read-then-write request that meets an import's open write transaction fails at once with "database is
 * locked" under Django 3.2's deferred transactions and waits its turn under BEGIN IMMEDIATE; the lock is
 * watched from outside and attributed to the gunicorn worker that holds it, a child of the started process.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { profileSettings } from '../launch-plan.ts';
import { loadTargetDescription } from './load.ts';
import { classifyStatus } from './mapping.ts';
import { updateDuringImport } from './testing/update-during-import.ts';

const DJANGO = loadTargetDescription(fileURLToPath(new URL('../../../examples/django-gunicorn/target.json', import.meta.url)));
const { description } = DJANGO;
/** Entries of the import and the work on each inside its transaction: a write transaction open for about 2 s. */
const ENTRIES = 20;
const WORK_MS = 100;
/** Far longer than the import holds the lock: a request that fails well before it did not wait for the lock. */
const BUSY_TIMEOUT_MS = 30_000;

describe('the Django example under gunicorn through its target description', () => {
  it.each([
    ['deferred', 500],
    ['immediate', 200],
  ] as const)(
    'transactions %s: a read-then-write update during an import answers %i; the holder is a gunicorn worker of the started process',
    async (profile, updateStatus) => {
      const settings = { ...profileSettings(description, profile), busyTimeoutMs: BUSY_TIMEOUT_MS, artifactWorkMs: WORK_MS, workers: 2, threads: 2 };
      const run = await updateDuringImport(DJANGO, settings, ENTRIES);

      expect(classifyStatus(description, 'import', run.imported.status)).toBe('success');
      expect(run.imported.body).toMatchObject({ imported: ENTRIES });
      expect(run.update.status).toBe(updateStatus);
      if (profile === 'deferred') {
        // Django 3.2's BEGIN: the read took a shared lock, the write cannot wait for the writer that waits
        // for it, so SQLite refuses at once, busy timeout or not. Django answers 500.
        expect(run.update.body).toMatchObject({ error: { code: 'OperationalError', message: 'database is locked' } });
        expect(run.update.ms).toBeLessThan(BUSY_TIMEOUT_MS / 2);
        expect(classifyStatus(description, 'catalogUpdate', run.update.status)).toBe('error');
      } else {
        expect(run.update.body).toMatchObject({ id: 3, status: 'updating' });
      }

      expect(run.journalMode).toBe('rollback');
      const importer = run.observed.holders.find((h) => h.pid === run.importerPid);
      expect(importer).toMatchObject({ role: 'target', command: 'gunicorn', parentPid: run.targetPid, worker: true });
      expect(run.observed.holders.filter((h) => h.role === 'other' && h.observed.spanCount > 0)).toEqual([]);
      expect(run.aliveAfterStop).toBe(false);
    },
  );
});

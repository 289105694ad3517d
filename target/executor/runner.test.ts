import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { initDatabase } from '../db/connection.ts';
import type { WriteOutcome } from '../db/tasks.ts';
import { createExecutor } from './executor.ts';
import { connectionSettings } from '../server.ts';
import { resolveTargetOptions } from '../options.ts';
import { TaskRunner, type ThreadTask } from './runner.ts';
import { tempDb } from '../testing/support.ts';

let db: ReturnType<typeof tempDb>;
beforeEach(() => {
  db = tempDb();
});
afterEach(() => db.cleanup());

const settings = connectionSettings(resolveTargetOptions({}));
const runner = (): TaskRunner => new TaskRunner({ dbPath: db.dbPath, settings, begin: 'immediate', connections: 'pooled', stopBuffer: new SharedArrayBuffer(4) });
const onThread = (op: ThreadTask['op']): ThreadTask => ({ op, barrier: new SharedArrayBuffer(4), parties: 1 });

describe('TaskRunner', () => {
  it('closes its connection on the close task, so the -wal and -shm files go, and opens none after it', () => {
    initDatabase(db.dbPath, settings);
    const r = runner();
    expect(r.run(onThread('warmUp'))).toEqual({ ok: true, value: null });
    expect(r.run({ op: 'catalogUpdate', entryId: 1, status: 'draft' })).toMatchObject({ ok: true });
    expect(existsSync(`${db.dbPath}-wal`)).toBe(true);

    expect(r.run(onThread('close'))).toEqual({ ok: true, value: null });
    expect(existsSync(`${db.dbPath}-wal`)).toBe(false);
    expect(existsSync(`${db.dbPath}-shm`)).toBe(false);
    expect(r.run({ op: 'catalogUpdate', entryId: 1, status: 'late' })).toMatchObject({ ok: false, failure: { code: 'TARGET_STOPPING' }, timing: { holdMs: 0 } });
    expect(r.run({ op: 'readSources' })).toMatchObject({ ok: false, failure: { code: 'TARGET_STOPPING' } });
    expect(existsSync(`${db.dbPath}-wal`)).toBe(false);
  });

  it('returns a failure to connect as data, not as an exception', () => {
    expect(runner().run({ op: 'readSources' })).toMatchObject({ ok: false, failure: { code: 'SQLITE_CANTOPEN' } });
  });
});

/** Whether another connection finds the write lock held (busy_timeout 0: it does not wait). */
function writeLockHeld(dbPath: string): boolean {
  const probe = new Database(dbPath, { timeout: 0 });
  try {
    probe.exec('BEGIN IMMEDIATE');
    probe.exec('ROLLBACK');
    return false;
  } catch (err) {
    if ((err as { code?: string }).code === 'SQLITE_BUSY') return true;
    throw err;
  } finally {
    probe.close();
  }
}

describe('the pool executor on stop', () => {
  it('rolls back a transaction blocked in its work at once, and closes without waiting for the rest of it', { timeout: 30_000 }, async () => {
    initDatabase(db.dbPath, settings);
    const executor = createExecutor('pool', { dbPath: db.dbPath, settings, begin: 'immediate', connections: 'pooled', poolSize: 2 });
    await executor.warmUp();
    // A monolithic import whose work inside the transaction would hold the lock for 10 minutes.
    const entries = Array.from({ length: 10 }, (_, i) => ({ externalId: `e${i}`, name: `e${i}`, type: 'skill' }));
    const writing = executor.write({
      op: 'importBatch', importId: 'imp-1', sourceId: 'src-1', mode: 'monolithic', batchSize: 10, requested: 10, startedAt: Date.now(),
      batchIndex: 0, entries, prepareMsInside: 60_000, writeMs: 0, completes: true,
    });
    while (!writeLockHeld(db.dbPath)) await new Promise((resolve) => setImmediate(resolve));
    await executor.close();
    const outcome: WriteOutcome = await writing;

    expect(outcome).toMatchObject({ ok: false, failure: { code: 'TARGET_STOPPING' } });
    const check = new Database(db.dbPath, { readonly: true });
    expect(check.prepare('SELECT count(*) AS n FROM artifacts').get()).toEqual({ n: 0 });
    check.close();
  });
});

import { existsSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { initDatabase } from '../db/connection.ts';
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
const runner = (): TaskRunner => new TaskRunner({ dbPath: db.dbPath, settings, begin: 'immediate', connections: 'pooled' });
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

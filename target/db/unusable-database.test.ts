/**
 * A database file the target cannot use as it wants: read-only, on a full disk, or locked by another
 * process. Each gives a clear answer or a one-line exit 2, never a crash. Read-only and full disks are
 * real: small tmpfs mounts (this needs root, as the test machines run).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { initDatabase } from './connection.ts';
import { connectionSettings } from '../server.ts';
import { resolveTargetOptions } from '../options.ts';
import { countRows, expectOneLine, makeEntries, postImport, runTarget, startTarget, type TestTarget } from '../testing/support.ts';

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A fresh tmpfs of `bytes`, unmounted after the test. */
function mountTmpfs(bytes: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'lockbench-mount-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${bytes}`, 'tmpfs', dir], { stdio: 'pipe' });
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`this test needs to mount a tmpfs (as root): ${(err as { stderr?: Buffer }).stderr?.toString().trim() ?? String(err)}`);
  }
  cleanups.push(() => {
    execFileSync('umount', ['-l', dir]);
    rmSync(dir, { recursive: true, force: true });
  });
  return dir;
}

const remountReadOnly = (dir: string) => execFileSync('mount', ['-o', 'remount,ro', dir], { stdio: 'pipe' });
const seeded = (dbPath: string) => initDatabase(dbPath, connectionSettings(resolveTargetOptions({ dbPath })));
const START = ['--port', '0', '--pool-size', '1', '--log-level', 'warn'];

describe('npm run target on a database it cannot use', () => {
  it('a read-only database file: one line saying so, exit 2', async () => {
    const dir = mountTmpfs(4 * 1024 * 1024);
    const dbPath = join(dir, 'target.db');
    seeded(dbPath);
    remountReadOnly(dir);
    const { code, stderr } = await runTarget([...START, '--db', dbPath]);
    expect(code).toBe(2);
    expectOneLine(stderr, new RegExp(`the database ${dbPath} is read-only \\(EROFS\\)`));
    expect(readdirSync(dir)).toEqual(['target.db']);
  });

  it('a new database in a read-only folder: one line saying so, exit 2', async () => {
    const dir = mountTmpfs(1024 * 1024);
    remountReadOnly(dir);
    const { code, stderr } = await runTarget([...START, '--db', join(dir, 'target.db')]);
    expect(code).toBe(2);
    expectOneLine(stderr, /the folder .* is read-only \(EROFS\); SQLite creates its -wal and -shm files there/);
  });

  it('a full disk at start: one line saying so, exit 2, and the half-created file removed', async () => {
    const dir = mountTmpfs(1024 * 1024);
    // Leave less room than the seeded database needs.
    writeFileSync(join(dir, 'filler'), Buffer.alloc(1024 * 1024 - 16 * 1024));
    const { code, stderr } = await runTarget([...START, '--db', join(dir, 'target.db')]);
    expect(code).toBe(2);
    expectOneLine(stderr, /cannot use the database .*: the disk is full \(SQLITE_(FULL|IOERR_SHMSIZE)/);
    expect(readdirSync(dir)).toEqual(['filler']);
  });

  it('a file another process holds with locking_mode=EXCLUSIVE: one line naming the lock, exit 2', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lockbench-exclusive-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const dbPath = join(dir, 'target.db');
    seeded(dbPath);
    const holder = new Database(dbPath);
    cleanups.push(() => void holder.close());
    holder.pragma('locking_mode = EXCLUSIVE');
    holder.exec('BEGIN IMMEDIATE; UPDATE catalog_entries SET title = title WHERE id = 1; COMMIT');
    const { code, stderr } = await runTarget([...START, '--busy-timeout-ms', '200', '--db', dbPath]);
    expect(code).toBe(2);
    expectOneLine(stderr, /cannot use the database .*: another process holds a lock on it .*--busy-timeout-ms \(SQLITE_BUSY/);
  });
});

describe('the disk fills up while the target runs', () => {
  let t: TestTarget | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it('imports end 507 (or 207) with SQLITE_FULL per batch, what was acknowledged is stored, and the target keeps serving', async () => {
    const dir = mountTmpfs(2 * 1024 * 1024);
    const dbPath = join(dir, 'target.db');
    t = await startTarget({ dbPath, poolSize: 2, prepareMs: 0, writeMs: 0, batchSize: 100 });
    cleanups.push(() => t?.close());
    const acknowledged = new Map<string, number>();
    let failure: Awaited<ReturnType<typeof postImport>> | undefined;
    for (let i = 0; i < 200 && failure === undefined; i++) {
      const sourceId = `src-${(i % 8) + 1}`;
      const entries = makeEntries(400, `fill-${i}`).map((e) => ({ ...e, name: e.name.padEnd(200, '.') }));
      const answer = await postImport(t.url, sourceId, entries);
      acknowledged.set(sourceId, (acknowledged.get(sourceId) ?? 0) + answer.body.imported);
      if (answer.status !== 200) failure = answer;
    }
    expect(failure, 'the disk never filled').toBeDefined();
    console.info(`disk full after ${acknowledged.size} sources: ${failure!.status} ${JSON.stringify(failure!.body.batches.map((b) => b.error?.code ?? b.status))}`);
    expect([207, 507]).toContain(failure!.status);
    const failed = failure!.body.batches.filter((b) => b.status === 'failed');
    expect(failed.length).toBeGreaterThan(0);
    expect(failed.every((b) => b.error?.code === 'SQLITE_FULL')).toBe(true);

    expect((await fetch(`${t.url}/api/health`)).status).toBe(200);
    expect((await fetch(`${t.url}/api/marketplace/catalog?limit=5`)).status).toBe(200);
    const update = await fetch(`${t.url}/api/marketplace/catalog/1`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: '{"title":"still here"}' });
    expect([200, 507]).toContain(update.status);
    if (update.status === 507) expect(await update.json()).toMatchObject({ error: { code: 'SQLITE_FULL', message: expect.stringMatching(/disk is full/) } });

    const db = new Database(dbPath, { readonly: true });
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      db.close();
    }
    for (const [sourceId, rows] of acknowledged) {
      expect(countRows(dbPath, 'SELECT count(*) AS n FROM artifacts WHERE source_id = ?', sourceId), sourceId).toBe(rows);
    }
  });
});

/**
 * closeLast: once every other connection is gone, one connection opened, read and closed alone
 * checkpoints the WAL and removes -wal and -shm, whatever left them (here a writer killed before it
 * could close, as connections closing together on several threads can leave them too).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { closeLast } from './connection.ts';
import { tempDirPerTest } from '../../harness/testing/temp-dir.ts';

const temp = tempDirPerTest('lockbench-close-last-');

/** A WAL database with one committed row still in its -wal file: the writer was killed before it closed. */
function leftWithWal(dbPath: string): void {
  const db = new Database(dbPath);
  db.pragma('journal_mode = WAL');
  db.exec('CREATE TABLE t (n INTEGER)');
  db.close();
  const script = `const D = require('better-sqlite3'); const db = new D(${JSON.stringify(dbPath)}); db.pragma('wal_autocheckpoint = 0'); db.prepare('INSERT INTO t VALUES (1)').run(); process.kill(process.pid, 'SIGKILL');`;
  try {
    execFileSync(process.execPath, ['-e', script], { stdio: 'pipe' });
  } catch {
    // Killed, as meant.
  }
}

describe('closeLast', () => {
  it('checkpoints the WAL a connection left and removes -wal and -shm, keeping every committed row', () => {
    const dbPath = join(temp.path, 'left.db');
    leftWithWal(dbPath);
    expect(existsSync(`${dbPath}-wal`)).toBe(true);
    closeLast(dbPath, 1000);
    expect(readdirSync(temp.path)).toEqual(['left.db']);
    const db = new Database(dbPath, { readonly: true });
    expect(db.prepare('SELECT count(*) AS n FROM t').get()).toEqual({ n: 1 });
    db.close();
  });

  it('leaves the files as they are while another connection is open, and a missing file missing', () => {
    const dbPath = join(temp.path, 'open.db');
    leftWithWal(dbPath);
    const other = new Database(dbPath);
    other.prepare('SELECT count(*) FROM t').get();
    closeLast(dbPath, 1000);
    expect(existsSync(`${dbPath}-wal`)).toBe(true);
    other.close();
    closeLast(join(temp.path, 'missing.db'), 1000);
    expect(existsSync(join(temp.path, 'missing.db'))).toBe(false);
  });
});

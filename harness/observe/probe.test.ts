import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LOCK_EXCLUSIVE, LOCK_NONE, WRITE_LOCK } from './layout.ts';
import { openLockProbe } from './probe.ts';
import { createTempDir, type TempDir } from './testing/temp-dir.ts';

describe('lock probe', () => {
  let dir: TempDir;
  beforeEach(() => {
    dir = createTempDir();
  });
  afterEach(() => dir.remove());

  it("with F_OFD_GETLK also sees this process's own SQLite locks, which F_GETLK cannot", () => {
    const dbPath = dir.file('own.db');
    const db = new Database(dbPath);
    try {
      db.pragma('journal_mode = WAL');
      db.exec('CREATE TABLE t (x)');
      const probe = openLockProbe(`${dbPath}-shm`);
      const modes = new Uint8Array(8);
      const pids = new Int32Array(8);
      try {
        expect(probe.command).toBe('F_OFD_GETLK');
        probe.readLocks(modes, pids);
        expect(modes[WRITE_LOCK]).toBe(LOCK_NONE);
        const before = probe.readChangeCounter();

        db.exec('BEGIN IMMEDIATE');
        db.exec('INSERT INTO t VALUES (1)');
        probe.readLocks(modes, pids);
        expect([modes[WRITE_LOCK], pids[WRITE_LOCK]]).toEqual([LOCK_EXCLUSIVE, process.pid]);
        db.exec('COMMIT');

        probe.readLocks(modes, pids);
        expect(modes[WRITE_LOCK]).toBe(LOCK_NONE);
        expect(probe.readChangeCounter()).toBe(before + 1); // one commit, one step of WalIndexHdr.iChange
      } finally {
        probe.close();
      }
    } finally {
      db.close();
    }
  });
});

import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { COMMIT_LOCK, LOCK_COUNT, LOCK_EXCLUSIVE, LOCK_NONE, WRITE_LOCK } from './layout.ts';
import { openLockProbe } from './probe.ts';
import { createTempDir, type TempDir } from './testing/temp-dir.ts';

describe('lock probe', () => {
  let dir: TempDir;
  beforeEach(() => {
    dir = createTempDir();
  });
  afterEach(() => dir.remove());

  it.each([
    ['WAL', 'wal'],
    ['DELETE', 'rollback'],
  ] as const)("with F_OFD_GETLK also sees this process's own SQLite locks, which F_GETLK cannot (journal_mode %s)", (pragma, journalMode) => {
    const dbPath = dir.file('own.db');
    const db = new Database(dbPath);
    try {
      db.pragma(`journal_mode = ${pragma}`);
      db.exec('CREATE TABLE t (x)');
      const probe = openLockProbe(dbPath);
      const modes = new Uint8Array(LOCK_COUNT);
      const pids = new Int32Array(LOCK_COUNT);
      try {
        expect(probe.command).toBe('F_OFD_GETLK');
        const before = probe.readChangeCounter();
        expect(probe.journalMode).toBe(journalMode);
        probe.readLocks(modes, pids);
        expect(modes[WRITE_LOCK]).toBe(LOCK_NONE);

        db.exec('BEGIN IMMEDIATE');
        db.exec('INSERT INTO t VALUES (1)');
        probe.readLocks(modes, pids);
        expect([modes[WRITE_LOCK], pids[WRITE_LOCK]]).toEqual([LOCK_EXCLUSIVE, process.pid]);
        expect(modes[COMMIT_LOCK]).toBe(LOCK_NONE); // a write transaction open, not committing
        db.exec('COMMIT');

        probe.readLocks(modes, pids);
        expect(modes[WRITE_LOCK]).toBe(LOCK_NONE);
        // One commit, one step of WalIndexHdr.iChange (WAL) or of the header's file change counter (rollback).
        expect(probe.readChangeCounter()).toBe(before + 1);
      } finally {
        probe.close();
      }
    } finally {
      db.close();
    }
  });
});

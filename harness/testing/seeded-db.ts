/** Test support: a fresh, seeded WAL database file in its own temporary folder. */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SCHEMA_SQL, seedSql } from '../../target/db/schema.ts';

export interface SeededDb {
  path: string;
  /** Removes the folder and everything in it. */
  remove(): void;
}

export function createSeededDb(): SeededDb {
  const dir = mkdtempSync(join(tmpdir(), 'lockbench-harness-'));
  const path = join(dir, 'target.db');
  const db = new Database(path);
  try {
    db.pragma('journal_mode = WAL');
    db.exec(SCHEMA_SQL);
    db.transaction(() => db.exec(seedSql(Date.now())))();
  } finally {
    db.close();
  }
  return { path, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Test support: a fresh, seeded WAL database file in its own temporary folder. */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SCHEMA_SQL, seedSql } from '../../target/db/schema.ts';

export interface SeededDb {
  path: string;
  /** Opens another connection to the file; `remove` closes it, rolling back a transaction left open. */
  connect(): Database.Database;
  /** Closes the connections `connect` opened, then removes the folder and everything in it. */
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
  const connections: Database.Database[] = [];
  return {
    path,
    connect() {
      const connection = new Database(path);
      connections.push(connection);
      return connection;
    },
    remove() {
      for (const connection of connections.splice(0)) {
        if (connection.inTransaction) connection.exec('ROLLBACK');
        connection.close();
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

import Database from 'better-sqlite3';
import { SCHEMA_SQL, seedSql } from './schema.ts';
import type { SynchronousMode } from '../options.ts';

/** The pragmas every connection applies, as the investigated service's engine did. */
export interface ConnectionSettings {
  busyTimeoutMs: number;
  synchronous: SynchronousMode;
  walAutocheckpoint: number;
  cacheSize: number;
  mmapSize: number;
}

export type Connection = Database.Database;

/** Opens a connection to an existing WAL database and applies the pragmas. */
export function openConnection(dbPath: string, settings: ConnectionSettings): Connection {
  const db = new Database(dbPath, { fileMustExist: true, timeout: settings.busyTimeoutMs });
  applyPragmas(db, settings);
  return db;
}

function applyPragmas(db: Connection, settings: ConnectionSettings): void {
  db.pragma(`busy_timeout = ${settings.busyTimeoutMs}`);
  db.pragma(`synchronous = ${settings.synchronous}`);
  db.pragma(`wal_autocheckpoint = ${settings.walAutocheckpoint}`);
  db.pragma(`cache_size = ${settings.cacheSize}`);
  db.pragma(`mmap_size = ${settings.mmapSize}`);
  db.pragma('foreign_keys = ON');
}

/**
 * Creates (or reuses) the database file: WAL mode, schema, seed rows. Runs once on start, before any
 * worker opens its own connection.
 */
export function initDatabase(dbPath: string, settings: ConnectionSettings): void {
  const db = new Database(dbPath, { timeout: settings.busyTimeoutMs });
  try {
    const mode = db.pragma('journal_mode = WAL', { simple: true });
    if (String(mode).toLowerCase() !== 'wal') {
      throw new Error(`could not switch ${dbPath} to WAL mode (journal_mode is ${String(mode)})`);
    }
    applyPragmas(db, settings);
    db.exec(SCHEMA_SQL);
    db.transaction(() => db.exec(seedSql(Date.now())))();
  } finally {
    db.close();
  }
}

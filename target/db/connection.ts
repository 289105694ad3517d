import { accessSync, constants, rmSync, statSync, type Stats } from 'node:fs';
import { dirname, resolve } from 'node:path';
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

/**
 * Opens the database once more, reads it and closes it, alone. SQLite checkpoints the WAL and removes
 * -wal and -shm only when the closing connection knows it is the last one; connections closed at the same
 * moment on several threads can each see another still open, and all leave the files behind. Called once
 * every other connection of the process has closed; a failure leaves the files as they were, nothing worse.
 */
export function closeLast(dbPath: string, busyTimeoutMs: number): void {
  try {
    const db = new Database(dbPath, { fileMustExist: true, timeout: busyTimeoutMs });
    try {
      // The WAL is opened by the first read: a connection that read nothing has none to checkpoint.
      db.pragma('schema_version', { simple: true });
    } finally {
      db.close();
    }
  } catch {
    // The files stay; the next opener recovers the WAL, as after any unclean stop.
  }
}

function applyPragmas(db: Connection, settings: ConnectionSettings): void {
  db.pragma(`busy_timeout = ${settings.busyTimeoutMs}`);
  db.pragma(`synchronous = ${settings.synchronous}`);
  db.pragma(`wal_autocheckpoint = ${settings.walAutocheckpoint}`);
  db.pragma(`cache_size = ${settings.cacheSize}`);
  db.pragma(`mmap_size = ${settings.mmapSize}`);
  db.pragma('foreign_keys = ON');
}

function statOf(path: string): Stats | undefined | Error {
  try {
    return statSync(path, { throwIfNoEntry: false });
  } catch (err) {
    return err as Error;
  }
}

/**
 * What is wrong with a database path before SQLite is asked to open it (SQLite would only say "unable
 * to open database file", without the path), or undefined when it can be tried.
 */
export function dbPathProblem(dbPath: string): string | undefined {
  let file = statOf(dbPath);
  // A path through a file: the check of its folder below says so.
  if (file instanceof Error && (file as NodeJS.ErrnoException).code === 'ENOTDIR') file = undefined;
  if (file instanceof Error) return `${dbPath} cannot be used as the database file (${(file as NodeJS.ErrnoException).code ?? file.message})`;
  if (file?.isDirectory()) return `${dbPath} is a directory; expected the path of a database file`;
  if (file !== undefined && !file.isFile()) return `${dbPath} is not a regular file`;
  const folder = dirname(resolve(dbPath));
  const parent = statOf(folder);
  if (parent === undefined) return `the folder ${folder} of the database ${dbPath} does not exist; create it or choose another path`;
  if (parent instanceof Error || !parent.isDirectory()) return `${folder}, the folder of the database ${dbPath}, is not a folder`;
  // The target writes the file, and SQLite creates the -wal and -shm files beside it.
  const notWritable = (path: string) => {
    try {
      accessSync(path, constants.R_OK | constants.W_OK);
      return undefined;
    } catch (err) {
      return (err as NodeJS.ErrnoException).code ?? 'not writable';
    }
  };
  const fileDenied = file === undefined ? undefined : notWritable(dbPath);
  if (fileDenied !== undefined) return `the database ${dbPath} is read-only (${fileDenied}); the target writes to it`;
  const folderDenied = notWritable(folder);
  if (folderDenied !== undefined) return `the folder ${folder} of the database ${dbPath} is read-only (${folderDenied}); SQLite creates its -wal and -shm files there`;
  return undefined;
}

/** The files SQLite keeps for a WAL database. */
export function databaseFiles(dbPath: string): string[] {
  return [dbPath, `${dbPath}-wal`, `${dbPath}-shm`, `${dbPath}-journal`];
}

/**
 * Creates (or reuses) the database file: WAL mode, schema, seed rows. Runs once on start, before any
 * worker opens its own connection. A file it created is removed again when it fails (a full disk, say),
 * so a failed start leaves nothing behind.
 */
export function initDatabase(dbPath: string, settings: ConnectionSettings): void {
  const existed = statOf(dbPath) !== undefined;
  try {
    createSchema(dbPath, settings);
  } catch (err) {
    if (!existed) for (const file of databaseFiles(dbPath)) rmSync(file, { force: true });
    throw err;
  }
}

function createSchema(dbPath: string, settings: ConnectionSettings): void {
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

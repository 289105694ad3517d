/** Why observing could not start or go on. The code is stable; the message says what to do about it. */
export type ObserveErrorCode =
  | 'BAD_OPTION'
  | 'DB_MISSING'
  | 'DB_NOT_A_FILE'
  | 'DB_UNREADABLE'
  | 'OUT_NOT_WRITABLE'
  | 'NOT_SQLITE'
  | 'UNKNOWN_JOURNAL_MODE'
  | 'SHM_MISSING'
  | 'UNSUPPORTED_PLATFORM'
  | 'PROBE_FAILED'
  | 'OBSERVER_FAILED';

export class ObserveError extends Error {
  readonly code: ObserveErrorCode;

  constructor(code: ObserveErrorCode, message: string) {
    super(message);
    this.name = 'ObserveError';
    this.code = code;
  }
}

export function isObserveError(err: unknown): err is ObserveError {
  return err instanceof ObserveError;
}

/** Every message the observer can fail with, each written once. */
export const Errors = {
  badOption: (name: string, expected: string, got: unknown) =>
    new ObserveError('BAD_OPTION', `${name} must be ${expected}; got ${JSON.stringify(got)}`),
  unknownOption: (name: string, known: readonly string[]) =>
    new ObserveError('BAD_OPTION', `unknown option "${name}"; known options: ${known.join(', ')}`),
  dbMissing: (dbPath: string) =>
    new ObserveError('DB_MISSING', `database file ${dbPath} does not exist; pass the path the application opens (--db)`),
  dbNotAFile: (dbPath: string, kind: string) =>
    new ObserveError('DB_NOT_A_FILE', `${dbPath} is ${kind}, not a database file; pass the path of the SQLite file itself (--db)`),
  dbUnreadable: (dbPath: string, reason: string) =>
    new ObserveError('DB_UNREADABLE', `cannot read ${dbPath} (${reason}); the observer needs read access to the database and its -shm`),
  outNotWritable: (dir: string, reason: string) =>
    new ObserveError('OUT_NOT_WRITABLE', `cannot write the result to ${dir}: ${reason}; pick a folder you can write (--out)`),
  notSqlite: (dbPath: string) =>
    new ObserveError('NOT_SQLITE', `${dbPath} is not an SQLite database (no "SQLite format 3" header, or the file is empty)`),
  unknownJournalMode: (dbPath: string, writeVersion: number, readVersion: number) =>
    new ObserveError(
      'UNKNOWN_JOURNAL_MODE',
      `${dbPath} has header write/read version ${writeVersion}/${readVersion}: neither a rollback journal (1/1) nor WAL (2/2), ` +
        'so where its locks are kept is not known',
    ),
  shmMissing: (shmPath: string) =>
    new ObserveError(
      'SHM_MISSING',
      `${shmPath} does not exist: no connection has the database open in WAL mode right now ` +
        '(SQLite creates <db>-shm when the first connection reads the database and removes it when the last one closes). ' +
        'Start the application, then the observer, or pass --wait (waitForConnection) to wait for a connection.',
    ),
  unsupportedPlatform: (platform: string, arch: string, supported: readonly string[]) =>
    new ObserveError(
      'UNSUPPORTED_PLATFORM',
      `observing SQLite locks is not supported on ${platform}-${arch}: the struct flock layout and fcntl commands are known ` +
        `here only for ${supported.join(', ')}`,
    ),
  probeFailed: (what: string) => new ObserveError('PROBE_FAILED', what),
  observerFailed: (what: string) => new ObserveError('OBSERVER_FAILED', what),
};

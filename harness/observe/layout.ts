import fs from 'node:fs';
import { Errors } from './errors.ts';

/*
 * Where SQLite (unix VFS, WAL mode) keeps its locks, as defined in SQLite's source:
 *
 *   src/wal.c      #define WAL_WRITE_LOCK    0
 *                  #define WAL_CKPT_LOCK     1
 *                  #define WAL_RECOVER_LOCK  2
 *                  #define WAL_READ_LOCK(I)  (3+(I))
 *                  #define WAL_NREADER       (SQLITE_SHM_NLOCK-3)          -> 5 read-mark slots
 *                  #define WALINDEX_LOCK_OFFSET (sizeof(WalIndexHdr)*2+offsetof(WalCkptInfo,aLock))
 *                  "The WALINDEX_LOCK_OFFSET constant (which should be 120) is the location in the shm
 *                   file for the first locking byte."
 *   src/sqlite.h   #define SQLITE_SHM_NLOCK  8
 *   src/os_unix.c  #define UNIX_SHM_BASE ((22+SQLITE_SHM_NLOCK)*4)   first lock byte = 120
 *                  #define UNIX_SHM_DMS  (UNIX_SHM_BASE+SQLITE_SHM_NLOCK)  dead-man switch = 128
 *                  unixShmLock() -> unixShmSystemLock(pFile, F_WRLCK|F_RDLCK|F_UNLCK, ofst+UNIX_SHM_BASE, n)
 *                  which is fcntl(F_SETLK) on the -shm descriptor: a classic POSIX record lock owned by the
 *                  process (one per process and byte; connections of one process share it via aLock[]).
 *
 * So lock i is the single byte 120+i of <db>-shm: 120 write, 121 checkpoint, 122 recover, 123..127 read
 * marks 0..4. Exclusive holders take F_WRLCK; readers take F_RDLCK on their read-mark byte (a checkpointer
 * briefly takes read marks exclusively while it updates them).
 *
 * The wal-index header (src/wal.c struct WalIndexHdr, native byte order, two copies from offset 0):
 *   u32 iVersion (3007000); u32 unused; u32 iChange  "Counter incremented each transaction"
 * sqlite3WalFrames() does `pWal->hdr.iChange++` and rewrites the header only when a transaction commits,
 * so a change of iChange while the write lock looks continuously held means one writer committed and
 * another took the lock between two polls.
 *
 * The database header (https://www.sqlite.org/fileformat2.html): bytes 0..15 "SQLite format 3\0",
 * byte 18 file format write version, byte 19 read version: 1 rollback journal, 2 WAL.
 */

/** Byte offset in <db>-shm of the first lock byte (WALINDEX_LOCK_OFFSET / UNIX_SHM_BASE). */
export const LOCK_BYTE_BASE = 120;
/** Number of lock bytes (SQLITE_SHM_NLOCK). */
export const SHM_LOCK_COUNT = 8;
/** Lock index of the write lock (WAL_WRITE_LOCK). */
export const WRITE_LOCK = 0;
/** Lock index of the checkpoint lock (WAL_CKPT_LOCK). */
export const CHECKPOINT_LOCK = 1;
/** Lock index of the recovery lock (WAL_RECOVER_LOCK). */
export const RECOVER_LOCK = 2;
/** Lock index of read-mark slot 0 (WAL_READ_LOCK(0)); slot s is lock 3+s. */
export const FIRST_READ_LOCK = 3;

/** Nobody holds the byte. */
export const LOCK_NONE = 0;
/** Held shared (F_RDLCK): readers on their read-mark byte. */
export const LOCK_SHARED = 1;
/** Held exclusive (F_WRLCK): the writer, the checkpointer, recovery. */
export const LOCK_EXCLUSIVE = 2;

/** Offset in <db>-shm of WalIndexHdr.iVersion. */
export const WALINDEX_VERSION_OFFSET = 0;
/** Offset in <db>-shm of WalIndexHdr.iChange, the commit counter. */
export const WALINDEX_CHANGE_OFFSET = 8;
/** WalIndexHdr.iVersion of every SQLite 3.7.0+ WAL (WALINDEX_MAX_VERSION). */
export const WALINDEX_VERSION = 3007000;

const SQLITE_MAGIC = 'SQLite format 3\0';
const WRITE_VERSION_OFFSET = 18;
const READ_VERSION_OFFSET = 19;
const WAL_FORMAT_VERSION = 2;

/** Byte of <db>-shm that carries lock `index` (0..7). */
export function lockByte(index: number): number {
  return LOCK_BYTE_BASE + index;
}

/** The files an observer watches for one database. */
export interface ObservedDatabase {
  dbPath: string;
  shmPath: string;
}

/** What `stat` says a path is, for messages about a --db that is not a file. */
function kindOf(stats: fs.Stats): string {
  if (stats.isDirectory()) return 'a directory';
  if (stats.isFIFO()) return 'a named pipe';
  if (stats.isSocket()) return 'a socket';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'a device';
  return 'not a regular file';
}

/** The first 100 bytes of `dbPath` (fewer when it is shorter), or null when it does not exist. */
function readHeader(dbPath: string): Buffer | null {
  let stats: fs.Stats | undefined;
  try {
    stats = fs.statSync(dbPath, { throwIfNoEntry: false });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw Errors.dbUnreadable(dbPath, code === 'ENOTDIR' ? 'ENOTDIR: a part of the path is a file, not a folder' : (code ?? String(err)));
  }
  if (!stats) return null;
  if (!stats.isFile()) throw Errors.dbNotAFile(dbPath, kindOf(stats));
  const header = Buffer.alloc(100);
  let fd: number;
  try {
    fd = fs.openSync(dbPath, 'r');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return null; // removed between stat and open
    throw Errors.dbUnreadable(dbPath, code ?? String(err));
  }
  try {
    return header.subarray(0, fs.readSync(fd, header, 0, header.length, 0));
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Checks, without opening it with SQLite and without taking any lock, that `dbPath` is an SQLite
 * database in WAL mode with a live -shm file. Throws an ObserveError that says what is wrong otherwise.
 *
 * With `waitForConnection`, a database that is not there yet is fine: missing, empty or still being
 * written (a new database's first page may sit in the WAL while the file is empty), in rollback-journal
 * mode (the application's first connection may switch it to WAL), without -shm. Only what waiting
 * cannot fix is refused: a path that is not a regular file, or a file that is not SQLite.
 */
export function inspectDatabase(dbPath: string, { waitForConnection = false }: { waitForConnection?: boolean } = {}): ObservedDatabase {
  const shmPath = `${dbPath}-shm`;
  const header = readHeader(dbPath);
  if (!header) {
    if (waitForConnection) return { dbPath, shmPath };
    throw Errors.dbMissing(dbPath);
  }
  const complete = header.length === 100;
  const magic = header.toString('latin1', 0, Math.min(header.length, SQLITE_MAGIC.length));
  if (!SQLITE_MAGIC.startsWith(magic) || (!complete && !waitForConnection)) throw Errors.notSqlite(dbPath);
  if (!complete || waitForConnection) return { dbPath, shmPath };
  const writeVersion = header[WRITE_VERSION_OFFSET] ?? 0;
  const readVersion = header[READ_VERSION_OFFSET] ?? 0;
  if (writeVersion !== WAL_FORMAT_VERSION || readVersion !== WAL_FORMAT_VERSION) {
    throw Errors.notWal(dbPath, writeVersion, readVersion);
  }
  if (!fs.existsSync(shmPath)) throw Errors.shmMissing(shmPath);
  return { dbPath, shmPath };
}

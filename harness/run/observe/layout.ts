import fs from 'node:fs';
import { Errors } from './errors.ts';
import type { JournalMode } from '../../model/lock-observation.ts';

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
 * byte 18 file format write version, byte 19 read version: 1 rollback journal, 2 WAL; bytes 24..27 the
 * file change counter (big-endian), which a rollback-journal commit increments (pager.c
 * pager_incr_changecounter, called for every transaction that writes).
 *
 * In rollback-journal mode (DELETE, TRUNCATE, PERSIST, MEMORY) the locks are POSIX record locks on the
 * database file itself (src/os.h, src/os_unix.c):
 *   #define PENDING_BYTE   sqlite3PendingByte   default 0x40000000
 *   #define RESERVED_BYTE  (PENDING_BYTE+1)
 *   #define SHARED_FIRST   (PENDING_BYTE+2)
 *   #define SHARED_SIZE    510
 *   unixLock(): SHARED = F_RDLCK on the SHARED range (taken under a brief F_RDLCK on PENDING);
 *               RESERVED = F_WRLCK on RESERVED_BYTE (a write transaction is open);
 *               EXCLUSIVE = F_WRLCK on PENDING_BYTE, then F_WRLCK on the whole SHARED range (committing:
 *               PENDING while it waits for readers to leave, EXCLUSIVE while it writes the file).
 *   unixUnlock() lets go of PENDING and RESERVED together. Every lock is the process's (one per process
 *   and byte, as on -shm). Only write locks mean writing, so they are asked for with F_RDLCK, which
 *   conflicts with write locks only: readers taking their SHARED lock never show.
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

/** PENDING_BYTE of the database file: held exclusive while a commit waits for readers to leave. */
export const PENDING_BYTE = 0x40000000;
/** RESERVED_BYTE: held exclusive while a write transaction is open. */
export const RESERVED_BYTE = PENDING_BYTE + 1;
/** SHARED_FIRST and SHARED_SIZE: the range readers hold shared, and a committing writer exclusive. */
export const SHARED_FIRST = PENDING_BYTE + 2;
export const SHARED_SIZE = 510;

/**
 * Lock index, in a sample, of a rollback-journal commit (PENDING or EXCLUSIVE held on the database file).
 * In rollback-journal mode WRITE_LOCK stands for RESERVED (the write transaction) and this for its commit;
 * in WAL mode it is never held. Indexes 0..7 are the -shm lock bytes.
 */
export const COMMIT_LOCK = SHM_LOCK_COUNT;
/** Lock indexes in one sample: the 8 of -shm and the rollback journal's commit. */
export const LOCK_COUNT = SHM_LOCK_COUNT + 1;

const SQLITE_MAGIC = 'SQLite format 3\0';
const WRITE_VERSION_OFFSET = 18;
const READ_VERSION_OFFSET = 19;
const WAL_FORMAT_VERSION = 2;
const ROLLBACK_FORMAT_VERSION = 1;
/** Offset of the file change counter in the database header. */
export const DB_CHANGE_COUNTER_OFFSET = 24;
/** Bytes of the database header the observer reads each poll: up to and with the file change counter. */
export const DB_HEADER_READ_BYTES = DB_CHANGE_COUNTER_OFFSET + 4;

/** The journal mode bytes 18 and 19 of a database header give (see {@link JournalMode}). */
export function journalModeOfHeader(header: Uint8Array): JournalMode {
  if (header.length <= READ_VERSION_OFFSET) return 'unknown';
  const magic = Buffer.from(header.buffer, header.byteOffset, SQLITE_MAGIC.length).toString('latin1');
  if (magic !== SQLITE_MAGIC) return 'unknown';
  const write = header[WRITE_VERSION_OFFSET];
  const read = header[READ_VERSION_OFFSET];
  if (write === WAL_FORMAT_VERSION && read === WAL_FORMAT_VERSION) return 'wal';
  if (write === ROLLBACK_FORMAT_VERSION && read === ROLLBACK_FORMAT_VERSION) return 'rollback';
  return 'unknown';
}

/** Without opening it with SQLite or taking a lock: the journal mode the header of `dbPath` says now. */
export function readJournalMode(dbPath: string): JournalMode {
  const header = readHeader(dbPath);
  return header ? journalModeOfHeader(header) : 'unknown';
}

/** Byte of <db>-shm that carries lock `index` (0..7). */
export function lockByte(index: number): number {
  return LOCK_BYTE_BASE + index;
}

/** The files an observer watches for one database. */
export interface ObservedDatabase {
  dbPath: string;
  shmPath: string;
  /** As the header said when inspected. */
  journalMode: JournalMode;
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
 * database that can be observed now: in rollback-journal mode (its locks are on the file itself), or in
 * WAL mode with a live -shm file. Throws an ObserveError that says what is wrong otherwise.
 *
 * With `waitForConnection`, a database that is not there yet is fine: missing, empty or still being
 * written (a new database's first page may sit in the WAL while the file is empty), without -shm. Only
 * what waiting cannot fix is refused: a path that is not a regular file, or a file that is not SQLite.
 */
export function inspectDatabase(dbPath: string, { waitForConnection = false }: { waitForConnection?: boolean } = {}): ObservedDatabase {
  const shmPath = `${dbPath}-shm`;
  const header = readHeader(dbPath);
  if (!header) {
    if (waitForConnection) return { dbPath, shmPath, journalMode: 'unknown' };
    throw Errors.dbMissing(dbPath);
  }
  const complete = header.length === 100;
  const magic = header.toString('latin1', 0, Math.min(header.length, SQLITE_MAGIC.length));
  if (!SQLITE_MAGIC.startsWith(magic) || (!complete && !waitForConnection)) throw Errors.notSqlite(dbPath);
  const journalMode = complete ? journalModeOfHeader(header) : 'unknown';
  if (journalMode === 'unknown' && complete) throw Errors.unknownJournalMode(dbPath, header[WRITE_VERSION_OFFSET] ?? 0, header[READ_VERSION_OFFSET] ?? 0);
  if (journalMode === 'wal' && !waitForConnection && !fs.existsSync(shmPath)) throw Errors.shmMissing(shmPath);
  return { dbPath, shmPath, journalMode };
}

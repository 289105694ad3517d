import fs from 'node:fs';
import os from 'node:os';
import koffi from 'koffi';
import { Errors } from './errors.ts';
import {
  COMMIT_LOCK,
  DB_CHANGE_COUNTER_OFFSET,
  DB_HEADER_READ_BYTES,
  LOCK_EXCLUSIVE,
  LOCK_NONE,
  LOCK_SHARED,
  PENDING_BYTE,
  RESERVED_BYTE,
  SHARED_FIRST,
  SHARED_SIZE,
  SHM_LOCK_COUNT,
  WALINDEX_CHANGE_OFFSET,
  WALINDEX_VERSION,
  WALINDEX_VERSION_OFFSET,
  WRITE_LOCK,
  journalModeOfHeader,
  lockByte,
} from './layout.ts';
import type { JournalMode } from '../../model/lock-observation.ts';
import { resolveLockAbi, type LockAbi } from './platform.ts';

export type GetLockCommand = LockAbi['getLockCommands'][number]['name'];

/**
 * What {@link LockProbe.follow} did to `-shm`: opened one (the first, or one created after the last was
 * removed), let go of a removed one with none to replace it, or nothing.
 */
export type ShmChange = 'opened' | 'removed' | 'unchanged';

/**
 * Asks the kernel who holds SQLite's locks on one database, in whichever journal mode its header says:
 * the lock bytes of `<db>-shm` in WAL mode, RESERVED, PENDING and the SHARED range of the database file in
 * rollback-journal mode. It only ever queries: both files are opened read-only, no lock is taken, the
 * database is never opened with SQLite.
 */
export interface LockProbe {
  readonly dbPath: string;
  readonly shmPath: string;
  /** The fcntl command in use (see platform.ts for why F_OFD_GETLK comes first). */
  readonly command: GetLockCommand;
  /** The journal mode the database header said at the last {@link readChangeCounter}. */
  readonly journalMode: JournalMode;
  /**
   * False while no connection can be seen to have the database open: in WAL mode (or before the header
   * says a mode) no `-shm` is open here, so no lock is held. Always true in rollback-journal mode, where
   * an open connection leaves no trace between its transactions.
   */
  readonly connected: boolean;
  /** Whether a `<db>-shm` is open here. */
  readonly shmOpen: boolean;
  /**
   * Writes, for each of the LOCK_COUNT lock indexes (layout.ts), the mode it is held in
   * (LOCK_NONE/SHARED/EXCLUSIVE) and the holder's pid (-1 for an OFD lock, 0 for a holder in another pid
   * namespace), in the journal mode of the last {@link readChangeCounter}. Where several processes share a
   * read lock the kernel names one of them. All LOCK_NONE while not connected.
   */
  readLocks(modes: Uint8Array, pids: Int32Array): void;
  /**
   * Reads the database header (its journal mode) and returns the commit counter of that mode: WAL's
   * WalIndexHdr.iChange, the rollback journal's file change counter; -1 when not known.
   */
  readChangeCounter(): number;
  /**
   * Keeps to the files now at their paths. SQLite's last connection unlinks `-shm` while it closes, and
   * the next connection creates a new one (a new inode): a removed file is let go of (its final state was
   * read by the sample before) and a new one opened as soon as it exists; a database file replaced by
   * another is followed the same way. One fstat per open file, one stat per missing one.
   */
  follow(): ShmChange;
  close(): void;
}

type Fcntl = (fd: number, cmd: number, ...variadic: unknown[]) => number;

let fcntlOfThisThread: Fcntl | undefined;

/** fcntl() from the C library the process already uses (dlopen(NULL)), declared variadic as in <fcntl.h>. */
function bindFcntl(): Fcntl {
  fcntlOfThisThread ??= koffi.load(null).func('int fcntl(int fd, int cmd, ...)') as Fcntl;
  return fcntlOfThisThread;
}

function errnoName(errno: number): string {
  const name = Object.entries(koffi.os.errno).find(([, value]) => value === errno)?.[0];
  return name ? `${name} (${errno})` : `errno ${errno}`;
}

/** A read-only descriptor of `file`, or null when there is no such file. */
function openIfPresent(file: string): number | null {
  // stat first: a missing file is the common case while waiting, and a thrown ENOENT costs far more.
  if (!fs.statSync(file, { throwIfNoEntry: false })) return null;
  try {
    return fs.openSync(file, 'r');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return null; // removed again between stat and open
    throw Errors.probeFailed(`cannot open ${file}: ${code ?? String(err)}`);
  }
}

/** `fd` while its file is still linked; otherwise it is closed and the file now at `file` opened (or null). */
function reopenIfRemoved(fd: number | null, file: string): number | null {
  if (fd !== null) {
    if (fs.fstatSync(fd).nlink > 0) return fd;
    fs.closeSync(fd);
  }
  return openIfPresent(file);
}

export interface LockProbeOptions {
  /** Start without `-shm` in WAL mode (none open yet), or without the database, instead of throwing. */
  waitForConnection?: boolean;
  abi?: LockAbi;
}

/** A lock query: the byte range asked about and the lock type asked with. */
interface RangeQuery {
  start: number;
  len: number;
  /** F_WRLCK reports any holder; F_RDLCK only holders of write locks. */
  type: 'any' | 'write';
}

/** The -shm lock bytes, each asked about with F_WRLCK: every holder, readers too. */
const SHM_QUERIES: readonly RangeQuery[] = Array.from({ length: SHM_LOCK_COUNT }, (_, index) => ({ start: lockByte(index), len: 1, type: 'any' }));
/** The rollback journal's write locks on the database file: RESERVED, PENDING, and EXCLUSIVE over the SHARED range. */
const RESERVED_QUERY: RangeQuery = { start: RESERVED_BYTE, len: 1, type: 'write' };
const PENDING_QUERY: RangeQuery = { start: PENDING_BYTE, len: 1, type: 'write' };
const EXCLUSIVE_QUERY: RangeQuery = { start: SHARED_FIRST, len: SHARED_SIZE, type: 'write' };

/**
 * Opens `dbPath` and its `<db>-shm` for lock queries with the ABI of this platform (throws
 * UNSUPPORTED_PLATFORM elsewhere). Throws DB_MISSING without a database and SHM_MISSING for a WAL database
 * without `-shm`, unless `waitForConnection`.
 */
export function openLockProbe(dbPath: string, { waitForConnection = false, abi = resolveLockAbi() }: LockProbeOptions = {}): LockProbe {
  const shmPath = `${dbPath}-shm`;
  const flock = koffi.struct(abi.flockFields);
  const size = koffi.sizeof(flock);
  if (size !== abi.flockSize) {
    throw Errors.probeFailed(`struct flock lays out to ${size} bytes here but is ${abi.flockSize} on this platform; refusing to guess`);
  }
  const offsets = {
    type: koffi.offsetof(flock, 'l_type'),
    whence: koffi.offsetof(flock, 'l_whence'),
    start: koffi.offsetof(flock, 'l_start'),
    len: koffi.offsetof(flock, 'l_len'),
    pid: koffi.offsetof(flock, 'l_pid'),
  };
  const littleEndian = os.endianness() === 'LE';
  const fcntl = bindFcntl();

  // One ready-made request per query, copied into `request` before each call because the kernel
  // overwrites it with the conflicting lock.
  const template = (query: RangeQuery) => {
    const buffer = Buffer.alloc(size);
    const view = new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength);
    view.setInt16(offsets.type, query.type === 'any' ? abi.F_WRLCK : abi.F_RDLCK, littleEndian);
    view.setInt16(offsets.whence, abi.SEEK_SET, littleEndian);
    view.setBigInt64(offsets.start, BigInt(query.start), littleEndian);
    view.setBigInt64(offsets.len, BigInt(query.len), littleEndian);
    view.setInt32(offsets.pid, 0, littleEndian); // F_OFD_GETLK requires l_pid == 0
    return { query, buffer };
  };
  const shmTemplates = SHM_QUERIES.map(template);
  const [reserved, pending, exclusive] = [RESERVED_QUERY, PENDING_QUERY, EXCLUSIVE_QUERY].map(template) as [
    ReturnType<typeof template>,
    ReturnType<typeof template>,
    ReturnType<typeof template>,
  ];
  const request = Buffer.alloc(size);
  const view = new DataView(request.buffer, request.byteOffset, request.byteLength);
  const shmHeader = Buffer.alloc(WALINDEX_CHANGE_OFFSET + 4);
  const dbHeader = Buffer.alloc(DB_HEADER_READ_BYTES);

  const readInt64 = (offset: number): number => {
    const low = view.getUint32(littleEndian ? offset : offset + 4, littleEndian);
    const high = view.getInt32(littleEndian ? offset + 4 : offset, littleEndian);
    return high * 2 ** 32 + low;
  };
  const call = (fd: number, command: number, prepared: ReturnType<typeof template>): number => {
    request.set(prepared.buffer);
    return fcntl(fd, command, 'void *', request);
  };

  /** Which command the kernel accepts does not depend on the file: it is asked on node's own executable. */
  const chooseCommand = () => {
    const exeFd = fs.openSync(process.execPath, 'r');
    try {
      const chosen = abi.getLockCommands.find((candidate) => {
        if (call(exeFd, candidate.value, shmTemplates[0]!) === 0) return true;
        const errno = koffi.errno();
        if (errno === koffi.os.errno.EINVAL) return false;
        throw Errors.probeFailed(`fcntl(${candidate.name}) on ${process.execPath} failed: ${errnoName(errno)}`);
      });
      if (!chosen) throw Errors.probeFailed(`the kernel accepts none of ${abi.getLockCommands.map((c) => c.name).join(', ')}`);
      return chosen;
    } finally {
      fs.closeSync(exeFd);
    }
  };
  const command = chooseCommand();

  /** Who holds a lock conflicting with the query on `fd`, in `modes[index]` and `pids[index]`. */
  const ask = (fd: number, file: string, prepared: ReturnType<typeof template>, modes: Uint8Array, pids: Int32Array, index: number) => {
    if (call(fd, command.value, prepared) !== 0) {
      throw Errors.probeFailed(`fcntl(${command.name}) on ${file} failed: ${errnoName(koffi.errno())}`);
    }
    const type = view.getInt16(offsets.type, littleEndian);
    if (type === abi.F_UNLCK) {
      modes[index] = LOCK_NONE;
      pids[index] = 0;
      return;
    }
    // The kernel reports the conflicting lock's own range; it must overlap the range asked about, or the
    // struct layout is not what this platform uses.
    const { start: askedStart, len: askedLen } = prepared.query;
    const start = readInt64(offsets.start);
    const len = readInt64(offsets.len);
    if (start >= askedStart + askedLen || (len !== 0 && start + len <= askedStart) || (type !== abi.F_RDLCK && type !== abi.F_WRLCK)) {
      throw Errors.probeFailed(
        `fcntl reported lock type ${type} over ${start}+${len} for ${askedStart}+${askedLen}: struct flock does not match this platform`,
      );
    }
    modes[index] = type === abi.F_WRLCK ? LOCK_EXCLUSIVE : LOCK_SHARED;
    pids[index] = view.getInt32(offsets.pid, littleEndian);
  };

  let dbFd = openIfPresent(dbPath);
  if (dbFd === null && !waitForConnection) throw Errors.dbMissing(dbPath);
  let shmFd = openIfPresent(shmPath);
  const readDbHeader = (): number => {
    if (dbFd === null) return 0;
    return fs.readSync(dbFd, dbHeader, 0, dbHeader.length, 0);
  };
  let journalMode: JournalMode = journalModeOfHeader(dbHeader.subarray(0, readDbHeader()));
  if (journalMode === 'wal' && shmFd === null && !waitForConnection) {
    if (dbFd !== null) fs.closeSync(dbFd);
    throw Errors.shmMissing(shmPath);
  }

  return {
    dbPath,
    shmPath,
    command: command.name,
    get journalMode() {
      return journalMode;
    },
    get connected() {
      return journalMode === 'rollback' || shmFd !== null;
    },
    get shmOpen() {
      return shmFd !== null;
    },
    readLocks(modes, pids) {
      modes.fill(LOCK_NONE);
      pids.fill(0);
      if (journalMode === 'rollback' && dbFd !== null) {
        ask(dbFd, dbPath, reserved, modes, pids, WRITE_LOCK);
        ask(dbFd, dbPath, pending, modes, pids, COMMIT_LOCK);
        if (modes[COMMIT_LOCK] === LOCK_NONE) ask(dbFd, dbPath, exclusive, modes, pids, COMMIT_LOCK);
        // A connection rolling back a hot journal goes from SHARED straight to EXCLUSIVE: it writes all the same.
        if (modes[WRITE_LOCK] === LOCK_NONE && modes[COMMIT_LOCK] !== LOCK_NONE) {
          modes[WRITE_LOCK] = modes[COMMIT_LOCK]!;
          pids[WRITE_LOCK] = pids[COMMIT_LOCK]!;
        }
        return;
      }
      if (journalMode === 'rollback' || shmFd === null) return;
      for (let index = 0; index < SHM_LOCK_COUNT; index++) ask(shmFd, shmPath, shmTemplates[index]!, modes, pids, index);
    },
    readChangeCounter() {
      const bytesRead = readDbHeader();
      journalMode = journalModeOfHeader(dbHeader.subarray(0, bytesRead));
      if (journalMode === 'rollback') return bytesRead === dbHeader.length ? dbHeader.readUInt32BE(DB_CHANGE_COUNTER_OFFSET) : -1;
      if (shmFd === null) return -1;
      if (fs.readSync(shmFd, shmHeader, 0, shmHeader.length, 0) < shmHeader.length) return -1;
      const version = littleEndian ? shmHeader.readUInt32LE(WALINDEX_VERSION_OFFSET) : shmHeader.readUInt32BE(WALINDEX_VERSION_OFFSET);
      if (version !== WALINDEX_VERSION) return -1;
      return littleEndian ? shmHeader.readUInt32LE(WALINDEX_CHANGE_OFFSET) : shmHeader.readUInt32BE(WALINDEX_CHANGE_OFFSET);
    },
    follow() {
      dbFd = reopenIfRemoved(dbFd, dbPath);
      const wasOpen = shmFd !== null;
      if (shmFd !== null && fs.fstatSync(shmFd).nlink > 0) return 'unchanged';
      shmFd = reopenIfRemoved(shmFd, shmPath);
      if (shmFd !== null) return 'opened';
      return wasOpen ? 'removed' : 'unchanged';
    },
    close() {
      if (dbFd !== null) fs.closeSync(dbFd);
      if (shmFd !== null) fs.closeSync(shmFd);
      dbFd = null;
      shmFd = null;
    },
  };
}

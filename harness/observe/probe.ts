import fs from 'node:fs';
import os from 'node:os';
import koffi from 'koffi';
import { Errors } from './errors.ts';
import {
  LOCK_EXCLUSIVE,
  LOCK_NONE,
  LOCK_SHARED,
  SHM_LOCK_COUNT,
  WALINDEX_CHANGE_OFFSET,
  WALINDEX_VERSION,
  WALINDEX_VERSION_OFFSET,
  lockByte,
} from './layout.ts';
import { resolveLockAbi, type LockAbi } from './platform.ts';

export type GetLockCommand = LockAbi['getLockCommands'][number]['name'];

/**
 * What {@link LockProbe.follow} did: opened a `-shm` (the first, or one created after the last was
 * removed), let go of a removed one with none to replace it, or nothing.
 */
export type ShmChange = 'opened' | 'removed' | 'unchanged';

/**
 * Asks the kernel who holds SQLite's lock bytes on <db>-shm. It only ever queries: the file is opened
 * read-only, no lock is taken, the database itself is never opened.
 */
export interface LockProbe {
  readonly shmPath: string;
  /** The fcntl command in use (see platform.ts for why F_OFD_GETLK comes first). */
  readonly command: GetLockCommand;
  /**
   * False while no `-shm` is open here: the last connection removed it (or none has created it yet), so
   * no connection has the database open and no lock is held.
   */
  readonly connected: boolean;
  /**
   * Writes, for each of the 8 lock indexes, the mode it is held in (LOCK_NONE/SHARED/EXCLUSIVE) and the
   * holder's pid (-1 for an OFD lock, 0 for a holder in another pid namespace). Where several processes
   * share a read lock the kernel names one of them. All LOCK_NONE while not connected.
   */
  readLocks(modes: Uint8Array, pids: Int32Array): void;
  /** WalIndexHdr.iChange (incremented by every commit), or -1 while the header is not initialised or not connected. */
  readChangeCounter(): number;
  /**
   * Keeps to the `-shm` now at its path. SQLite's last connection unlinks the file while it closes, and
   * the next connection creates a new one (a new inode): a removed file is let go of (its final state was
   * read by the sample before) and a new one opened as soon as it exists. One fstat while the file stays,
   * one stat while there is none.
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

/** A read-only descriptor of `shmPath`, or null when there is no such file. */
function openIfPresent(shmPath: string): number | null {
  // stat first: a missing file is the common case while waiting, and a thrown ENOENT costs far more.
  if (!fs.statSync(shmPath, { throwIfNoEntry: false })) return null;
  try {
    return fs.openSync(shmPath, 'r');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return null; // removed again between stat and open
    throw Errors.probeFailed(`cannot open ${shmPath}: ${code ?? String(err)}`);
  }
}

export interface LockProbeOptions {
  /** Start without `-shm` (none open yet) instead of throwing SHM_MISSING. */
  waitForConnection?: boolean;
  abi?: LockAbi;
}

/**
 * Opens `shmPath` for lock queries with the ABI of this platform (throws UNSUPPORTED_PLATFORM elsewhere).
 * Throws SHM_MISSING when there is no `-shm`, unless `waitForConnection`.
 */
export function openLockProbe(shmPath: string, { waitForConnection = false, abi = resolveLockAbi() }: LockProbeOptions = {}): LockProbe {
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

  // One ready-made request per lock byte, copied into `request` before each call because the kernel
  // overwrites it with the conflicting lock. F_WRLCK conflicts with every lock, so any holder is reported.
  const templates = Array.from({ length: SHM_LOCK_COUNT }, (_, index) => {
    const buffer = Buffer.alloc(size);
    const view = new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength);
    view.setInt16(offsets.type, abi.F_WRLCK, littleEndian);
    view.setInt16(offsets.whence, abi.SEEK_SET, littleEndian);
    view.setBigInt64(offsets.start, BigInt(lockByte(index)), littleEndian);
    view.setBigInt64(offsets.len, 1n, littleEndian);
    view.setInt32(offsets.pid, 0, littleEndian); // F_OFD_GETLK requires l_pid == 0
    return buffer;
  });
  const request = Buffer.alloc(size);
  const view = new DataView(request.buffer, request.byteOffset, request.byteLength);
  const header = Buffer.alloc(WALINDEX_CHANGE_OFFSET + 4);

  const readInt64 = (offset: number): number => {
    const low = view.getUint32(littleEndian ? offset : offset + 4, littleEndian);
    const high = view.getInt32(littleEndian ? offset + 4 : offset, littleEndian);
    return high * 2 ** 32 + low;
  };
  const query = (fd: number, command: number, index: number): number => {
    request.set(templates[index] as Buffer);
    return fcntl(fd, command, 'void *', request);
  };

  /** The first of the ABI's commands the kernel accepts, asked on `file` (open as `askFd`). */
  const chooseCommand = (askFd: number, file: string) => {
    const chosen = abi.getLockCommands.find((candidate) => {
      if (query(askFd, candidate.value, 0) === 0) return true;
      const errno = koffi.errno();
      if (errno === koffi.os.errno.EINVAL) return false;
      throw Errors.probeFailed(`fcntl(${candidate.name}) on ${file} failed: ${errnoName(errno)}`);
    });
    if (!chosen) throw Errors.probeFailed(`the kernel accepts none of ${abi.getLockCommands.map((c) => c.name).join(', ')} on ${file}`);
    return chosen;
  };
  /** Which command the kernel accepts does not depend on the file: while there is no -shm, ask on node's own executable. */
  const chooseCommandOnExecutable = () => {
    const exeFd = fs.openSync(process.execPath, 'r');
    try {
      return chooseCommand(exeFd, process.execPath);
    } finally {
      fs.closeSync(exeFd);
    }
  };

  let fd = openIfPresent(shmPath);
  if (fd === null && !waitForConnection) throw Errors.shmMissing(shmPath);
  let command: ReturnType<typeof chooseCommand>;
  try {
    command = fd === null ? chooseCommandOnExecutable() : chooseCommand(fd, shmPath);
  } catch (err) {
    if (fd !== null) fs.closeSync(fd);
    throw err;
  }

  return {
    shmPath,
    command: command.name,
    get connected() {
      return fd !== null;
    },
    readLocks(modes, pids) {
      if (fd === null) {
        modes.fill(LOCK_NONE);
        pids.fill(0);
        return;
      }
      for (let index = 0; index < SHM_LOCK_COUNT; index++) {
        if (query(fd, command.value, index) !== 0) {
          throw Errors.probeFailed(`fcntl(${command.name}) on ${shmPath} failed: ${errnoName(koffi.errno())}`);
        }
        const type = view.getInt16(offsets.type, littleEndian);
        if (type === abi.F_UNLCK) {
          modes[index] = LOCK_NONE;
          pids[index] = 0;
          continue;
        }
        // The kernel reports the conflicting lock's own range; it must cover the byte asked about, or the
        // struct layout is not what this platform uses.
        const byte = lockByte(index);
        const start = readInt64(offsets.start);
        const len = readInt64(offsets.len);
        if (start > byte || (len !== 0 && start + len <= byte) || (type !== abi.F_RDLCK && type !== abi.F_WRLCK)) {
          throw Errors.probeFailed(
            `fcntl reported lock type ${type} over ${start}+${len} for byte ${byte}: struct flock does not match this platform`,
          );
        }
        modes[index] = type === abi.F_WRLCK ? LOCK_EXCLUSIVE : LOCK_SHARED;
        pids[index] = view.getInt32(offsets.pid, littleEndian);
      }
    },
    readChangeCounter() {
      if (fd === null) return -1;
      const bytesRead = fs.readSync(fd, header, 0, header.length, 0);
      if (bytesRead < header.length) return -1;
      const version = littleEndian ? header.readUInt32LE(WALINDEX_VERSION_OFFSET) : header.readUInt32BE(WALINDEX_VERSION_OFFSET);
      if (version !== WALINDEX_VERSION) return -1;
      return littleEndian ? header.readUInt32LE(WALINDEX_CHANGE_OFFSET) : header.readUInt32BE(WALINDEX_CHANGE_OFFSET);
    },
    follow() {
      const wasOpen = fd !== null;
      if (fd !== null) {
        if (fs.fstatSync(fd).nlink > 0) return 'unchanged';
        fs.closeSync(fd);
        fd = null;
      }
      fd = openIfPresent(shmPath);
      if (fd !== null) return 'opened';
      return wasOpen ? 'removed' : 'unchanged';
    },
    close() {
      if (fd !== null) fs.closeSync(fd);
      fd = null;
    },
  };
}

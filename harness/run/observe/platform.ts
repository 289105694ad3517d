import { Errors } from './errors.ts';

/** What the observer must know about a platform's C ABI to ask the kernel who holds a byte-range lock. */
export interface LockAbi {
  /** `struct flock` as koffi field types, in declaration order; koffi applies the C alignment rules. */
  flockFields: Readonly<Record<'l_type' | 'l_whence' | 'l_start' | 'l_len' | 'l_pid', string>>;
  /** sizeof(struct flock) with the C compiler of that platform; checked against koffi's layout at start. */
  flockSize: number;
  /** fcntl commands, in the order they are tried. */
  getLockCommands: ReadonlyArray<{ name: 'F_OFD_GETLK' | 'F_GETLK'; value: number }>;
  F_RDLCK: number;
  F_WRLCK: number;
  F_UNLCK: number;
  SEEK_SET: number;
}

/*
 * Linux on x86_64 and on arm64 (LP64) share one layout:
 *   glibc sysdeps/unix/sysv/linux/x86/bits/fcntl.h and sysdeps/unix/sysv/linux/aarch64/bits/fcntl.h:
 *     struct flock { short int l_type; short int l_whence; __off_t l_start; __off_t l_len; __pid_t l_pid; };
 *     with a 64-bit __off_t, and `F_GETLK64 5` ("Not necessary, we always have 64-bit offsets"), so F_GETLK
 *     and F_GETLK64 are the same command whatever _FILE_OFFSET_BITS says.
 *   Linux include/uapi/asm-generic/fcntl.h: the same struct for the kernel, F_GETLK 5, F_RDLCK 0,
 *     F_WRLCK 1, F_UNLCK 2; include/uapi/linux/fcntl.h: F_OFD_GETLK 36 (Linux 3.15+).
 *   Offsets 0, 2, 8, 16, 24 with 4 bytes of padding after l_whence and after l_pid: 32 bytes, confirmed by
 *   compiling `sizeof(struct flock)` / `offsetof` with gcc on x86_64 (glibc 2.36).
 *
 * F_OFD_GETLK is tried first: like F_GETLK it reports classic POSIX locks (SQLite's) with the holder's
 * pid, but it also reports locks held by the calling process itself, which F_GETLK by definition cannot
 * see. F_GETLK is the fallback for kernels that answer EINVAL to F_OFD_GETLK.
 */
const linuxLp64: LockAbi = {
  flockFields: { l_type: 'short', l_whence: 'short', l_start: 'int64_t', l_len: 'int64_t', l_pid: 'int32_t' },
  flockSize: 32,
  getLockCommands: [
    { name: 'F_OFD_GETLK', value: 36 },
    { name: 'F_GETLK', value: 5 },
  ],
  F_RDLCK: 0,
  F_WRLCK: 1,
  F_UNLCK: 2,
  SEEK_SET: 0,
};

/**
 * Platforms whose ABI is known, keyed `${process.platform}-${process.arch}`. Add one only with its layout
 * taken from that platform's headers (macOS, for one, orders the fields differently and has no OFD locks).
 */
export const lockAbis: ReadonlyMap<string, LockAbi> = new Map([
  ['linux-x64', linuxLp64],
  ['linux-arm64', linuxLp64],
]);

/** The ABI of this (or the given) platform; throws UNSUPPORTED_PLATFORM for any other. */
export function resolveLockAbi(platform: string = process.platform, arch: string = process.arch): LockAbi {
  const abi = lockAbis.get(`${platform}-${arch}`);
  if (!abi) throw Errors.unsupportedPlatform(platform, arch, [...lockAbis.keys()]);
  return abi;
}

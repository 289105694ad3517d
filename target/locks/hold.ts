import { CodedError, TARGET_STOPPING } from './errors.ts';

/**
 * The flag the target's stop sets (and notifies): work in hand ends at once, and the transaction it was
 * in rolls back. One per thread, installed by the thread's task runner; a private one until then.
 */
let stopFlag = new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT));

/** Makes {@link blockThreadFor} end when `buffer`'s flag is set. */
export function watchStopFlag(buffer: SharedArrayBuffer): void {
  stopFlag = new Int32Array(buffer);
}

/** Sets the flag in `buffer` and wakes every thread blocked on it. */
export function raiseStopFlag(buffer: SharedArrayBuffer): void {
  const flag = new Int32Array(buffer);
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
}

export function isStopRaised(buffer: SharedArrayBuffer): boolean {
  return Atomics.load(new Int32Array(buffer), 0) !== 0;
}

/**
 * Blocks the calling thread for `ms` without spinning, the way a thread inside an ORM session is blocked
 * by I/O while its transaction stays open. On a DB worker this holds the write lock without touching the
 * event loop; on the main thread (executor `inline`) it stalls every route, which is the point.
 * Throws TARGET_STOPPING once the target stops, so the transaction around it rolls back at once instead
 * of holding the lock (and the stop) for the rest of its work.
 */
export function blockThreadFor(ms: number): void {
  if (ms > 0) Atomics.wait(stopFlag, 0, 0, ms);
  if (Atomics.load(stopFlag, 0) !== 0) throw new CodedError(TARGET_STOPPING, 'the target is stopping; the transaction in hand is rolled back');
}

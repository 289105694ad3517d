const sleeper = new Int32Array(new SharedArrayBuffer(4));

/**
 * Blocks the calling thread for `ms` without spinning, the way a thread inside an ORM session is blocked
 * by I/O while its transaction stays open. On a DB worker this holds the write lock without touching the
 * event loop; on the main thread (executor `inline`) it stalls every route, which is the point.
 */
export function blockThreadFor(ms: number): void {
  if (ms <= 0) return;
  Atomics.wait(sleeper, 0, 0, ms);
}

/**
 * What a lock error is and how it failed, the same for an HTTP answer (classified as the driver reads it) and
 * for a write of the SQL streams (classified from SQLite's code), so both split fast and timed out alike.
 */

/** How a lock error failed; `unknown` when the workload declares no busy timeout. */
export type LockFailure = 'fast' | 'timed-out' | 'unknown';

/** How a lock error failed, by how long it took, in ms: fast under `fastBelowMs`, else timed out; unknown without a busy timeout. */
export function lockFailureOf(elapsedMs: number, lockErrors: { fastBelowMs: number } | null): LockFailure {
  if (lockErrors === null) return 'unknown';
  return elapsedMs < lockErrors.fastBelowMs ? 'fast' : 'timed-out';
}

/** SQLite's codes for a database that is locked: the busy family and the locked family (by `err.code`, never by text). */
export function isSqlLockError(code: string): boolean {
  return /^SQLITE_(BUSY|LOCKED)(_|$)/.test(code);
}

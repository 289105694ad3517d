/**
 * SQLite's default busy handler (sqliteDefaultBusyCallback in main.c), played in JavaScript so a stop can
 * end the wait. With busy_timeout set, a thread waits for the write lock inside a native call that
 * nothing can interrupt: a stop then waits up to the whole busy timeout, and terminating the thread
 * there aborts the process. With busy_timeout 0 the attempt returns SQLITE_BUSY at once, and this loop
 * sleeps on the same schedule SQLite would (1, 2, 5, 10, 15, 20, 25, 25, 25, 50, 50, then 100 ms, cut
 * to what is left of the timeout) on a shared flag that a stop wakes.
 */

/** SQLite's sleeps between attempts, in ms. */
const DELAYS_MS = [1, 2, 5, 10, 15, 20, 25, 25, 25, 50, 50, 100] as const;
/** The time slept before each of those sleeps, in ms. */
const TOTALS_MS = [0, 1, 3, 8, 18, 33, 53, 78, 103, 128, 178, 228] as const;

/**
 * How long SQLite sleeps after failed attempt number `count` (0 = the first) under `timeoutMs`, in ms;
 * null when the timeout is used up and the busy error stands.
 */
export function busyDelayMs(count: number, timeoutMs: number): number | null {
  const last = DELAYS_MS.length - 1;
  const lastDelay = DELAYS_MS[last]!;
  let delay: number = DELAYS_MS[count] ?? lastDelay;
  const prior = TOTALS_MS[count] ?? TOTALS_MS[last]! + lastDelay * (count - last);
  if (prior + delay > timeoutMs) {
    delay = timeoutMs - prior;
    if (delay <= 0) return null;
  }
  return delay;
}

/** The codes SQLite's busy handler is called for. */
const RETRIED_CODES: ReadonlySet<string> = new Set(['SQLITE_BUSY', 'SQLITE_BUSY_RECOVERY']);

function isBusy(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && RETRIED_CODES.has(code);
}

/** Whether the statement ran, or a stop ended the wait first. */
export type BusyWaitOutcome = 'done' | 'stopped';

/**
 * Runs `attempt` until it does not fail with SQLITE_BUSY, sleeping SQLite's schedule between attempts;
 * the last busy error is thrown once `timeoutMs` is used up. `stopFlag[0] !== 0` (set and notified by a
 * stop) ends the wait at once with 'stopped'; the first attempt is always made, so a COMMIT in hand
 * still commits when it can.
 */
export function withBusyWait(attempt: () => void, timeoutMs: number, stopFlag: Int32Array): BusyWaitOutcome {
  for (let count = 0; ; count += 1) {
    try {
      attempt();
      return 'done';
    } catch (err) {
      const delay = isBusy(err) ? busyDelayMs(count, timeoutMs) : null;
      if (delay === null) throw err;
      if (Atomics.load(stopFlag, 0) !== 0) return 'stopped';
      Atomics.wait(stopFlag, 0, 0, delay);
      if (Atomics.load(stopFlag, 0) !== 0) return 'stopped';
    }
  }
}

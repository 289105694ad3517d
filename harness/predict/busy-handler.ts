/**
 * SQLite's default busy handler, as `sqliteDefaultBusyCallback` (src/main.c) implements it where the
 * platform can sleep in milliseconds (usleep or nanosleep, as on Linux): there is no queue, a waiter
 * sleeps for a growing delay and tries again, and gives up once the delays it has slept reach the busy
 * timeout. `prior` counts the delays asked for, not the time that passed.
 */

/** The sleep before each retry, in ms; every retry after the twelfth sleeps the last. */
export const BUSY_DELAYS_MS: readonly number[] = [1, 2, 5, 10, 15, 20, 25, 25, 25, 50, 50, 100];
/** The delays slept before each call, in ms (SQLite's `totals`). */
export const BUSY_TOTALS_MS: readonly number[] = [0, 1, 3, 8, 18, 33, 53, 78, 103, 128, 178, 228];

/**
 * What the handler does on its `count`-th call (0-based) with busy timeout `timeoutMs`: the sleep in ms
 * before the next attempt, or null when it gives up and the statement returns SQLITE_BUSY. The last
 * sleep is cut short so that the delays add up to the timeout, as SQLite does.
 */
export function busyHandlerSleepMs(count: number, timeoutMs: number): number | null {
  const last = BUSY_DELAYS_MS.length - 1;
  let delay: number;
  let prior: number;
  if (count < BUSY_DELAYS_MS.length) {
    delay = BUSY_DELAYS_MS[count]!;
    prior = BUSY_TOTALS_MS[count]!;
  } else {
    delay = BUSY_DELAYS_MS[last]!;
    prior = BUSY_TOTALS_MS[last]! + delay * (count - last);
  }
  if (prior + delay > timeoutMs) {
    delay = timeoutMs - prior;
    if (delay <= 0) return null;
  }
  return delay;
}

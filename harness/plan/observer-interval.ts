/**
 * How finely the lock observer may poll, in microseconds: what `--observer-interval-us` and the observer's
 * own `intervalUs` are checked against before anything starts (harness/run/observe/options.ts, harness/plan/options.ts).
 */

/** Default time between polls, in microseconds: 4,000 polls a second. */
export const defaultIntervalUs = 250;
/** Shortest accepted poll interval, in microseconds; below it the observer is all wake-ups. */
export const minIntervalUs = 20;
/** Longest accepted poll interval, in microseconds. */
export const maxIntervalUs = 1_000_000;

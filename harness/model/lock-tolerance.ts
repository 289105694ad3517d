/**
 * The slack the lock comparison (harness/analyze/lock-comparison.ts) allows by default, which the reports also
 * state when no comparison of a run carries its own.
 */

/** Default slack on top of what sampling explains, in milliseconds ("a few ms"). */
export const defaultToleranceMs = 5;

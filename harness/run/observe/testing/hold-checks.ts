import type { ObservedLockSpan } from '../../../model/lock-observation.ts';
import { CROSS_PROCESS_CLOCK_TOLERANCE_MS } from '../../../shared/clock.ts';

/** The accuracy bound: a hold is seen within this much plus one poll interval, in ms. */
export const ACCURACY_MS = 2;

/** Whether `laterMs`, read by one process, is not before `earlierMs`, read by another, clocks allowing. */
export function notBeforeAcrossProcesses(laterMs: number, earlierMs: number): boolean {
  return laterMs >= earlierMs - CROSS_PROCESS_CLOCK_TOLERANCE_MS;
}

/** What the lock-taking process itself measured around one hold (epoch ms). */
export interface MeasuredHold {
  /** Just before the statement that takes the lock. */
  beforeMs: number;
  /** Just after it returned: the lock is held. */
  heldAtMs: number;
  /** Just before the statement that releases it. */
  releasingAtMs: number;
  /** Just after it returned: the lock is free. */
  afterMs: number;
}

/**
 * How far an observed hold is from what its holder measured, beyond what the sampling allows.
 * The holder knows the lock was taken within [beforeMs, heldAtMs] and released within
 * [releasingAtMs, afterMs]; the observer knows it was taken within (acquiredAfterMs, startMs] and
 * released within (releasedAfterMs, endMs]. Returns the excess, in ms, of the observed hold over the
 * bound `ACCURACY_MS + max(interval, the sample gaps at either end)`; <= 0 means within bound.
 * Charging only the gap actually achieved (not the nominal interval) keeps the check honest when the
 * operating system deschedules the observer: no poller sees a release it was not running for.
 */
export function excessOverBoundMs(span: ObservedLockSpan, hold: MeasuredHold, intervalMs: number): number {
  const resolutionMs = Math.max(intervalMs, span.startMs - span.acquiredAfterMs, span.endMs - span.releasedAfterMs);
  const boundMs = ACCURACY_MS + resolutionMs;
  const observedMs = span.endMs - span.startMs;
  const shortestMs = hold.releasingAtMs - hold.heldAtMs;
  const longestMs = hold.afterMs - hold.beforeMs;
  return Math.max(shortestMs - observedMs, observedMs - longestMs) - boundMs;
}

import type { ObservedLockSpan } from '../../../model/lock-observation.ts';

/** An epoch ms that test spans are placed after, so their times read as offsets. */
export const T0 = 1_700_000_000_000;

/**
 * A write-lock hold as a 250 us poller sees one: taken and released `startMs` and `endMs` after
 * {@link T0}, each end known to within one 0.25 ms sample gap.
 */
export function polledSpan(startMs: number, endMs: number, pid: number): ObservedLockSpan {
  return {
    startMs: T0 + startMs,
    endMs: T0 + endMs,
    acquiredAfterMs: T0 + startMs - 0.25,
    releasedAfterMs: T0 + endMs - 0.25,
    pid,
    startedBy: 'acquire',
    endedBy: 'release',
  };
}

/** Ten seconds from {@link T0} observed every 250 us (p99 gap 0.4 ms), with these holds, as the comparison reads them. */
export function observedWindow(writeSpans: ObservedLockSpan[], checkpointSpans: ObservedLockSpan[] = []) {
  return {
    writeSpans,
    checkpointSpans,
    startedAtMs: T0,
    endedAtMs: T0 + 10_000,
    intervalUs: 250,
    sampleGaps: { p50Us: 250, p99Us: 400, maxUs: 2000 },
  };
}

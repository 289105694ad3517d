/**
 * When the writers' writes are due: write i at `i / writesPerSecond` after the schedule's start, whatever
 * the answers do (an open model), and, for a stream with a duration, none due at or after its end. As k6's
 * constant-arrival-rate: arrivals for `duration` from the stream's start; the writes in flight then may finish.
 * An end given while it runs (another stream ended, plus a tail: `endsAfter`) cuts it there, as the built-in
 * driver cuts a request stream's arrivals.
 */
export interface WriteSchedule {
  /** When write `i` (from 0, in schedule order) is due, on the clock the start was given on. */
  dueAt(i: number): number;
  /** Whether write `i` is past the end: neither it nor any later write is issued. */
  over(i: number): boolean;
  /**
   * Ends the schedule at `atMs` (the start's clock): no write due at or after it is issued. An end later than
   * the one it has (its duration's, or one given before) changes nothing.
   */
  endAt(atMs: number): void;
}

/**
 * The schedule starting at `startMs` (any clock, in ms) at `writesPerSecond`, for `durationMs` from its
 * start; null: until it is given an end, or the writers are stopped.
 */
export function writeSchedule(startMs: number, writesPerSecond: number, durationMs: number | null): WriteSchedule {
  // From the rate, not a rounded interval, so that write i is due exactly at i / rate: the one due at the end is not issued.
  const offsetOf = (i: number) => (i * 1000) / writesPerSecond;
  /** The end given while it runs, on the start's clock. */
  let cut = Number.POSITIVE_INFINITY;
  return {
    dueAt: (i) => startMs + offsetOf(i),
    // The duration compared as an offset from the start, so its own end is exact whatever the start's magnitude.
    over: (i) => (durationMs !== null && offsetOf(i) >= durationMs) || startMs + offsetOf(i) >= cut,
    endAt(atMs) {
      cut = Math.min(cut, atMs);
    },
  };
}

/**
 * When the writers' writes are due: write i at `i / writesPerSecond` after the schedule's start, whatever
 * the answers do (an open model), and, for a stream with a duration, none due at or after its end. As k6's
 * constant-arrival-rate: arrivals for `duration` from the stream's start; the writes in flight then may finish.
 */
export interface WriteSchedule {
  /** When write `i` (from 0, in schedule order) is due, on the clock the start was given on. */
  dueAt(i: number): number;
  /** Whether write `i` is past the end: neither it nor any later write is issued. */
  over(i: number): boolean;
}

/**
 * The schedule starting at `startMs` (any clock, in ms) at `writesPerSecond`, for `durationMs` from its
 * start; null: until the writers are stopped.
 */
export function writeSchedule(startMs: number, writesPerSecond: number, durationMs: number | null): WriteSchedule {
  // From the rate, not a rounded interval, so that write i is due exactly at i / rate: the one due at the end is not issued.
  const offsetOf = (i: number) => (i * 1000) / writesPerSecond;
  return {
    dueAt: (i) => startMs + offsetOf(i),
    over: (i) => durationMs !== null && offsetOf(i) >= durationMs,
  };
}

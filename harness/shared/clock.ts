/**
 * Epoch milliseconds with sub-millisecond resolution that agree across processes and threads.
 *
 * `performance.timeOrigin + performance.now()` pairs one wall-clock reading with one monotonic reading
 * taken when the process or thread started; a start-up stall between the two shifts that process's
 * epoch by as much (tens of ms were seen on a busy 2-core machine, in a few processes of hundreds). Here
 * the pairing is taken at the edge of a wall-clock millisecond instead: the moment `Date.now()` ticks is
 * known to the microsecond, so every process maps the shared monotonic clock onto the same epoch.
 * Each calibration brackets the tick between a monotonic reading taken before the last `Date.now()` that
 * still read the old millisecond and one taken after the first that read the new one; a preemption inside
 * that bracket widens it. It is repeated until a bracket is tight (a few microseconds) or for at most
 * {@link MAX_CALIBRATIONS}, and the tightest kept: each costs up to 1 ms, once per process or thread.
 */
/** The most calibrations one process or thread makes before it keeps the tightest it had. */
const MAX_CALIBRATIONS = 12;
/** A bracket this narrow (ms) is as good as the two readings around one `Date.now()` can be: no more tries. */
const TIGHT_BRACKET_MS = 0.005;

/** The epoch minus the monotonic clock at one tick of `Date.now()`, and how wide its bracket was (ms). */
function calibrateOnce(): { offsetMs: number; widthMs: number } {
  let beforeRead = performance.now();
  const old = Date.now();
  let read = old;
  /** The monotonic clock just before the last read that still saw `old`. */
  let beforeLastOld = beforeRead;
  while (read === old) {
    beforeLastOld = beforeRead;
    beforeRead = performance.now();
    read = Date.now();
  }
  const afterRead = performance.now();
  // The wall clock passed `read` after the last read of `old` began and before this read returned.
  return { offsetMs: read - (beforeLastOld + afterRead) / 2, widthMs: afterRead - beforeLastOld };
}

function calibrate(): number {
  let best = calibrateOnce();
  for (let i = 1; i < MAX_CALIBRATIONS && best.widthMs > TIGHT_BRACKET_MS; i++) {
    const next = calibrateOnce();
    if (next.widthMs < best.widthMs) best = next;
  }
  return best.offsetMs;
}

const offsetMs = calibrate();

/**
 * How far two processes' or threads' readings of {@link epochNowMs} may differ, in ms: a few us as a
 * rule (half the tightest bracket each), a few tenths only when a loaded machine preempted every one of
 * their calibrations inside its bracket; well short of the tens of ms a plain `performance.timeOrigin`
 * pairing can be off by. What ordering checks across processes allow.
 */
export const CLOCK_AGREEMENT_MS = 1;

/**
 * How far two processes' readings may differ where a test checks that an observed time lies after a time
 * another process measured, in ms: far above the few us the tightest brackets give, and under half of one
 * 0.25 ms observer poll interval, so such checks keep their meaning. (A step of the wall clock between two
 * calibrations would break any tolerance; none happens on a test machine in seconds.)
 */
export const CROSS_PROCESS_CLOCK_TOLERANCE_MS = 0.1;

/** Now, in epoch milliseconds. */
export function epochNowMs(): number {
  return offsetMs + performance.now();
}

/** A `performance.now()` reading of this process, in epoch milliseconds. */
export function epochOfPerformance(performanceNowMs: number): number {
  return offsetMs + performanceNowMs;
}

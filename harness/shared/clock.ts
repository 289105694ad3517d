/**
 * Epoch milliseconds with sub-millisecond resolution that agree across processes and threads.
 *
 * `performance.timeOrigin + performance.now()` pairs one wall-clock reading with one monotonic reading
 * taken when the process or thread started; a start-up stall between the two shifts that process's
 * epoch by as much (tens of ms were seen on a busy 2-core machine, in a few processes of hundreds). Here
 * the pairing is taken at the edge of a wall-clock millisecond instead: the moment `Date.now()` ticks is
 * known to the microsecond, so every process maps the shared monotonic clock onto the same epoch.
 * The calibration runs three times and keeps the pairing least delayed by preemption; it costs up to
 * about 3 ms once per process or thread.
 */
const CALIBRATIONS = 3;

function calibrate(): number {
  let best = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < CALIBRATIONS; i++) {
    const before = Date.now();
    let tick: number;
    do tick = Date.now();
    while (tick === before);
    // Read at once: a delay here makes the offset smaller, so the largest offset is the least delayed.
    best = Math.max(best, tick - performance.now());
  }
  return best;
}

const offsetMs = calibrate();

/**
 * How far two processes' or threads' readings of {@link epochNowMs} may differ, in ms: tens of us as a
 * rule, a few tenths when a loaded machine preempts every calibration; well short of the tens of ms a
 * plain `performance.timeOrigin` pairing can be off by. What ordering checks across processes allow.
 */
export const CLOCK_AGREEMENT_MS = 1;

/** Now, in epoch milliseconds. */
export function epochNowMs(): number {
  return offsetMs + performance.now();
}

/** A `performance.now()` reading of this process, in epoch milliseconds. */
export function epochOfPerformance(performanceNowMs: number): number {
  return offsetMs + performanceNowMs;
}

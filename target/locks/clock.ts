/**
 * Wall-clock time in epoch milliseconds with sub-millisecond resolution, comparable across threads and
 * processes: the monotonic clock mapped onto the epoch at the edge of a wall-clock millisecond (see
 * harness/clock.ts, which the harness's processes use; the target keeps its own copy so it depends on
 * nothing of the harness). `performance.timeOrigin` would carry any start-up stall of this thread into
 * every timestamp.
 */
const CALIBRATIONS = 3;

function calibrate(): number {
  let best = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < CALIBRATIONS; i++) {
    const before = Date.now();
    let tick: number;
    do tick = Date.now();
    while (tick === before);
    best = Math.max(best, tick - performance.now());
  }
  return best;
}

const offsetMs = calibrate();

export function nowMs(): number {
  return offsetMs + performance.now();
}

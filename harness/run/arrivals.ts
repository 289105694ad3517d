/**
 * When an open-model stream's arrivals are due, as offsets from the stream's start, with k6's semantics:
 * - constant-arrival-rate: arrival i at `i / rate` (the first at the start);
 * - ramping-arrival-rate: the rate goes linearly from `startRate` to each stage's target over the stage;
 *   arrival j (from 1) is due when the expected count, the area under the rate, reaches j. Within a ramp
 *   that moment solves a quadratic; on a level stage it is linear. A stage at rate 0 has no arrivals.
 * One timeline per stream, computed from the arrival's number, so a late arrival never shifts the next.
 */
import type { ConstantArrivalRateExecutor, RampingArrivalRateExecutor } from '../../scenarios/lib/scenario.ts';

/** Offsets in ms from the stream's start, in order; a constant rate never runs out (its end stops it). */
export function* arrivalOffsets(executor: ConstantArrivalRateExecutor | RampingArrivalRateExecutor): Generator<number, void, undefined> {
  if (executor.type === 'constant-arrival-rate') {
    const intervalMs = 1000 / executor.rate;
    for (let i = 0; ; i++) yield i * intervalMs;
  }
  yield* rampingOffsets(executor.startRate, executor.stages);
}

/** k6's ramping schedule: rates per second, durations and offsets in ms. */
function* rampingOffsets(startRate: number, stages: readonly { target: number; durationMs: number }[]): Generator<number, void, undefined> {
  let from = startRate / 1000;
  let stageStartMs = 0;
  /** Arrivals expected by the start of the stage. */
  let before = 0;
  let j = 1;
  for (const stage of stages) {
    const to = stage.target / 1000;
    const duration = stage.durationMs;
    // Arrivals expected by the end of the stage: the area under a straight line from `from` to `to`.
    const after = before + duration * (from + to) / 2;
    for (; j <= after; j++) {
      const area = j - before;
      if (from === to) yield stageStartMs + area / to;
      else {
        // area = from*t + slope*t^2/2, solved for t >= 0 (never below 0 under the root: rounding at a ramp to 0).
        const slope = (to - from) / duration;
        yield stageStartMs + (-from + Math.sqrt(Math.max(0, from * from + 2 * slope * area))) / slope;
      }
    }
    before = after;
    from = to;
    stageStartMs += duration;
  }
}

import { describe, expect, it } from 'vitest';
import type { RampingArrivalRateExecutor } from '../../scenarios/lib/scenario.ts';
import { arrivalOffsets } from './arrivals.ts';

const ramp = (startRate: number, stages: { target: number; durationMs: number }[]): RampingArrivalRateExecutor => ({
  type: 'ramping-arrival-rate',
  startRate,
  stages,
  preAllocatedVUs: 1,
  maxVUs: 1,
  gracefulStopMs: 0,
});

const take = (it: Iterator<number>, n: number) => Array.from({ length: n }, () => it.next().value as number);

describe('arrival schedule', () => {
  it('constant-arrival-rate: arrival i at i / rate, the first at the start', () => {
    expect(take(arrivalOffsets({ type: 'constant-arrival-rate', rate: 4, preAllocatedVUs: 1, maxVUs: 1, gracefulStopMs: 0 }), 4)).toEqual([0, 250, 500, 750]);
  });

  it('ramping-arrival-rate: a level stage arrives evenly, a ramp as the area under the rate reaches each whole arrival', () => {
    // 10/s for 1 s, then 10/s -> 30/s over 1 s (20 arrivals), then down to 0 over 1 s (15 arrivals).
    const offsets = [...arrivalOffsets(ramp(10, [{ target: 10, durationMs: 1000 }, { target: 30, durationMs: 1000 }, { target: 0, durationMs: 1000 }]))];
    expect(offsets).toHaveLength(10 + 20 + 15);
    // Level: arrival j (from 1) at j / rate.
    offsets.slice(0, 10).forEach((t, i) => expect(t).toBeCloseTo((i + 1) * 100, 6));
    // Ramp up: rate(t) = 10 + 20 t per s, area(t) = 10 t + 10 t^2; the k-th arrival of the stage at area = k.
    offsets.slice(10, 30).forEach((t, k) => {
      const s = (t - 1000) / 1000;
      expect(10 * s + 10 * s * s).toBeCloseTo(k + 1, 6);
    });
    // Ramp down: rate(t) = 30 - 30 t, area(t) = 30 t - 15 t^2; the last arrival is at the stage's end.
    offsets.slice(30).forEach((t, k) => {
      const s = (t - 2000) / 1000;
      expect(30 * s - 15 * s * s).toBeCloseTo(k + 1, 6);
    });
    expect(offsets.at(-1)).toBeCloseTo(3000, 6);
    // In order, and denser where the rate is higher: the gaps shrink through the ramp up.
    for (let i = 1; i < offsets.length; i++) expect(offsets[i]!).toBeGreaterThan(offsets[i - 1]!);
    expect(offsets[29]! - offsets[28]!).toBeLessThan(offsets[11]! - offsets[10]!);
  });

  it('ramping-arrival-rate: no arrivals while the rate is 0, and none after the last stage', () => {
    const offsets = [...arrivalOffsets(ramp(0, [{ target: 0, durationMs: 500 }, { target: 4, durationMs: 0 }, { target: 4, durationMs: 1000 }]))];
    expect(offsets).toEqual([750, 1000, 1250, 1500]);
  });
});

import { describe, expect, it } from 'vitest';
import { BUSY_DELAYS_MS, BUSY_TOTALS_MS, busyHandlerSleepMs } from './busy-handler.ts';

/** Every sleep the handler takes before it gives up, as SQLite would call it with count 0, 1, 2, ... */
function sleepsUntilBusy(timeoutMs: number): number[] {
  const sleeps: number[] = [];
  for (let count = 0; ; count++) {
    const sleep = busyHandlerSleepMs(count, timeoutMs);
    if (sleep === null) return sleeps;
    sleeps.push(sleep);
  }
}

describe("SQLite's default busy handler", () => {
  it('sleeps 1, 2, 5, 10, 15, 20, 25, 25, 25, 50, 50, then 100 ms', () => {
    expect(Array.from({ length: 14 }, (_, count) => busyHandlerSleepMs(count, 10_000))).toEqual([1, 2, 5, 10, 15, 20, 25, 25, 25, 50, 50, 100, 100, 100]);
  });

  it('keeps totals that are the sums of the delays before each call', () => {
    BUSY_TOTALS_MS.forEach((total, i) => expect(total).toBe(BUSY_DELAYS_MS.slice(0, i).reduce((a, b) => a + b, 0)));
  });

  it('cuts the last sleep short so the delays add up to the timeout, then gives up', () => {
    expect(sleepsUntilBusy(10)).toEqual([1, 2, 5, 2]);
    expect(sleepsUntilBusy(0)).toEqual([]);
    expect(sleepsUntilBusy(1)).toEqual([1]);
  });

  it('sleeps exactly the busy timeout in all, for any timeout', () => {
    for (const timeout of [3, 8, 99, 228, 229, 1_000, 10_000, 30_000]) {
      expect(sleepsUntilBusy(timeout).reduce((a, b) => a + b, 0)).toBe(timeout);
    }
  });
});

import { describe, expect, it } from 'vitest';
import { busyDelayMs, withBusyWait } from './busy-wait.ts';

const busy = () => Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });

describe("SQLite's busy schedule", () => {
  it('sleeps 1, 2, 5, 10, 15, 20, 25, 25, 25, 50, 50, then 100 ms, as sqliteDefaultBusyCallback does', () => {
    const delays = Array.from({ length: 14 }, (_, i) => busyDelayMs(i, 10_000));
    expect(delays).toEqual([1, 2, 5, 10, 15, 20, 25, 25, 25, 50, 50, 100, 100, 100]);
  });

  it('cuts the last sleep to what is left of the timeout, then gives up', () => {
    // 0 + 1 + 2 + 5 = 8 ms slept before the fourth sleep; a 12 ms timeout leaves 4 of its 10 ms.
    expect(busyDelayMs(3, 12)).toBe(4);
    expect(busyDelayMs(4, 12)).toBeNull();
    expect(busyDelayMs(0, 0)).toBeNull();
    // 228 ms before the 12th sleep, then 100 ms more each: 9,928 ms before sleep 108 leave 72 ms.
    expect(busyDelayMs(108, 10_000)).toBe(72);
    expect(busyDelayMs(109, 10_000)).toBeNull();
  });
});

describe('withBusyWait', () => {
  it('retries a busy statement until it runs', () => {
    let attempts = 0;
    const outcome = withBusyWait(() => {
      attempts += 1;
      if (attempts < 4) throw busy();
    }, 1_000, new Int32Array(new SharedArrayBuffer(4)));
    expect(outcome).toBe('done');
    expect(attempts).toBe(4);
  });

  it('throws the busy error once the timeout is used up', () => {
    expect(() => withBusyWait(() => { throw busy(); }, 20, new Int32Array(new SharedArrayBuffer(4)))).toThrow(/locked/);
  });

  it('throws any other error at once', () => {
    let attempts = 0;
    const fail = () => {
      attempts += 1;
      throw Object.assign(new Error('constraint'), { code: 'SQLITE_CONSTRAINT' });
    };
    expect(() => withBusyWait(fail, 1_000, new Int32Array(new SharedArrayBuffer(4)))).toThrow(/constraint/);
    expect(attempts).toBe(1);
  });

  it('ends with "stopped" once the stop flag is set, without another attempt', () => {
    const flag = new Int32Array(new SharedArrayBuffer(4));
    let attempts = 0;
    const outcome = withBusyWait(() => {
      attempts += 1;
      Atomics.store(flag, 0, 1);
      throw busy();
    }, 60_000, flag);
    expect(outcome).toBe('stopped');
    expect(attempts).toBe(1);
  });

  it('makes the first attempt even when the stop came first, so a COMMIT in hand still commits', () => {
    const flag = new Int32Array(new SharedArrayBuffer(4));
    Atomics.store(flag, 0, 1);
    let attempts = 0;
    expect(withBusyWait(() => void (attempts += 1), 60_000, flag)).toBe('done');
    expect(attempts).toBe(1);
  });
});

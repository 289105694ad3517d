import { describe, expect, it } from 'vitest';
import { epochNowMs } from '../../../shared/clock.ts';
import { createThreadClock } from './wake-thread.ts';

const never = new AbortController().signal;

describe('the wake-thread clock', () => {
  it('ends each sleep no earlier than asked, in order, for sleeps asked out of order', async () => {
    const clock = createThreadClock();
    try {
      const start = clock.now();
      const woke: { at: number; wokeAt: number }[] = [];
      const sleep = (offsetMs: number) => clock.sleepUntil(start + offsetMs, never).then(() => woke.push({ at: start + offsetMs, wokeAt: epochNowMs() }));
      await Promise.all([sleep(60), sleep(20), sleep(40.5), sleep(0), sleep(-5)]);
      const offsets = woke.map((w) => w.at - start);
      // Moments already past end at once, before every later one; the others in time order.
      expect(offsets.slice(0, 2).sort((a, b) => a - b)).toEqual([-5, 0]);
      expect(offsets.slice(2)).toEqual([20, 40.5, 60]);
      for (const w of woke) expect(w.wokeAt).toBeGreaterThanOrEqual(w.at);
    } finally {
      await clock.close();
    }
  });

  it('ends a sleep at once when its signal aborts, and every pending one when closed', async () => {
    const clock = createThreadClock();
    const abort = new AbortController();
    const start = epochNowMs();
    const aborted = clock.sleepUntil(start + 60_000, abort.signal);
    setTimeout(() => abort.abort(), 20);
    await aborted;
    // Ended before the moment it was to sleep until: by the abort.
    expect(epochNowMs()).toBeLessThan(start + 60_000);
    const pendingUntil = epochNowMs() + 60_000;
    const pending = clock.sleepUntil(pendingUntil, never);
    await clock.close();
    await pending;
    expect(epochNowMs()).toBeLessThan(pendingUntil);
    // Closed: a further sleep does not wait.
    const laterUntil = epochNowMs() + 60_000;
    await clock.sleepUntil(laterUntil, never);
    expect(epochNowMs()).toBeLessThan(laterUntil);
  });
});

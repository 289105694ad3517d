/** Test support for the built-in driver's engine. */
import { epochNowMs } from '../../../shared/clock.ts';
import type { Clock } from './engine.ts';

/**
 * A clock that sleeps on Node's timers: whole milliseconds, so a sleep may end up to ~1 ms late. The
 * driver itself sleeps on its wake thread (wake-thread.ts); the engine's tests need no finer grain.
 */
export const timerClock: Clock = {
  now: epochNowMs,
  sleepUntil(epochMs, signal) {
    return new Promise((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const finish = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', finish);
        resolve();
      };
      const wake = () => {
        const remainingMs = epochMs - epochNowMs();
        if (signal.aborted || remainingMs <= 0) finish();
        else timer = setTimeout(wake, remainingMs);
      };
      signal.addEventListener('abort', finish, { once: true });
      wake();
    });
  },
};

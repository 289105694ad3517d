import { describe, expect, it } from 'vitest';
import { Errors } from './observe/errors.ts';
import type { ObserveResult } from '../model/lock-observation.ts';
import { startLockObservation, type StartLockObserver } from './observer.ts';

const options = { enabled: true, dbPath: '/tmp/lockbench-observer-test.db', intervalUs: 250 };
const result = { startedAtMs: 1, endedAtMs: 2 } as ObserveResult;

describe('startLockObservation', () => {
  it('says the observer is off when turned off, without starting one', async () => {
    let started = false;
    const observation = await startLockObservation({
      ...options,
      enabled: false,
      start: async () => {
        started = true;
        throw new Error('not reached');
      },
    });
    expect(started).toBe(false);
    expect(observation.running).toBe(false);
    expect(await observation.stop()).toEqual({ status: 'off', reason: 'observer turned off (--no-observer)' });
  });

  it('turns a platform it cannot observe on into an outcome that names the reason, not a thrown error', async () => {
    const start: StartLockObserver = () => Promise.reject(Errors.unsupportedPlatform('darwin', 'arm64', ['linux-x64', 'linux-arm64']));
    const observation = await startLockObservation({ ...options, start });
    expect(observation.running).toBe(false);
    const outcome = await observation.stop();
    expect(outcome.status).toBe('unavailable');
    expect(outcome.status !== 'observed' && outcome.reason).toMatch(
      /^the lock observer could not start: UNSUPPORTED_PLATFORM: observing SQLite locks is not supported on darwin-arm64/,
    );
  });

  it('returns what the observer saw, with its pid, and stops it once however often asked', async () => {
    let stops = 0;
    const start: StartLockObserver = async () => ({
      pid: 4321,
      stop: async () => {
        stops += 1;
        return result;
      },
    });
    const observation = await startLockObservation({ ...options, start });
    expect(observation.running).toBe(true);
    const [first, second] = await Promise.all([observation.stop(), observation.stop()]);
    expect(first).toEqual({ status: 'observed', result, observerPid: 4321 });
    expect(second).toBe(first);
    expect(stops).toBe(1);
  });

  it('reports an observer that fails while running as failed, with its reason', async () => {
    const start: StartLockObserver = async () => ({ pid: 1, stop: () => Promise.reject(Errors.observerFailed('observer process exited (code 1, signal null)')) });
    const outcome = await (await startLockObservation({ ...options, start })).stop();
    expect(outcome).toEqual({ status: 'failed', reason: 'the lock observer failed: OBSERVER_FAILED: observer process exited (code 1, signal null)' });
  });
});

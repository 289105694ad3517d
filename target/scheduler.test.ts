import { describe, expect, it } from 'vitest';
import { createWriteScheduler } from './scheduler.ts';

const deferred = () => {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
};

describe('fifo write scheduler', () => {
  it('runs one write at a time, in arrival order', async () => {
    const scheduler = createWriteScheduler('fifo');
    const order: string[] = [];
    const first = deferred();
    const a = scheduler.schedule(async () => {
      order.push('a:start');
      await first.promise;
      order.push('a:end');
    });
    const b = scheduler.schedule(async () => void order.push('b'));
    const c = scheduler.schedule(async () => void order.push('c'));
    await Promise.resolve();
    expect(scheduler.queued).toBe(2);
    expect(order).toEqual(['a:start']);
    first.resolve();
    await Promise.all([a, b, c]);
    expect(order).toEqual(['a:start', 'a:end', 'b', 'c']);
    expect(scheduler.queued).toBe(0);
  });

  it('keeps going after a write fails', async () => {
    const scheduler = createWriteScheduler('fifo');
    await expect(scheduler.schedule(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(scheduler.schedule(async () => 42)).resolves.toMatchObject({ value: 42 });
  });
});

describe('sqlite write scheduler', () => {
  it('does not queue: writes start at once and contend inside SQLite', async () => {
    const scheduler = createWriteScheduler('sqlite');
    const first = deferred();
    let secondStarted = false;
    const a = scheduler.schedule(() => first.promise);
    const b = scheduler.schedule(async () => void (secondStarted = true));
    await b;
    expect(secondStarted).toBe(true);
    first.resolve();
    await a;
  });
});

import { describe, expect, it } from 'vitest';
import { Agenda } from './events.ts';
import { FifoSlots, takeOnUpgrade, takeWithBusyHandler, WriteLock, type LockOutcome } from './lock.ts';

/** Holds the lock for `holdMs` once had, recording when it was taken. */
function holdFor(agenda: Agenda, lock: WriteLock, owner: string, holdMs: number, log: { owner: string; outcome: LockOutcome; atMs: number }[]) {
  return (outcome: LockOutcome) => {
    log.push({ owner, outcome, atMs: agenda.nowMs });
    if (outcome.ok) agenda.after(holdMs, () => lock.release(owner));
  };
}

describe('the write lock by hand', () => {
  it('one writer takes the free lock at once and holds it for its hold', () => {
    const agenda = new Agenda();
    const lock = new WriteLock(agenda);
    const log: { owner: string; outcome: LockOutcome; atMs: number }[] = [];
    agenda.at(5, () => takeWithBusyHandler(agenda, lock, { owner: 'a', kind: 'import-batch', timeoutMs: 1000, sleepOvershootMs: 0 }, holdFor(agenda, lock, 'a', 30, log)));
    agenda.runAll();
    expect(log).toEqual([{ owner: 'a', outcome: { ok: true, waitMs: 0 }, atMs: 5 }]);
    expect(lock.holds).toEqual([{ owner: 'a', kind: 'import-batch', startMs: 5, endMs: 35 }]);
  });

  it('two writers through a FIFO queue: the second starts when the first is done', () => {
    const agenda = new Agenda();
    const lock = new WriteLock(agenda);
    const queue = new FifoSlots(1);
    const write = (owner: string, holdMs: number) =>
      queue.enter(() => {
        expect(lock.tryTake(owner, 'catalog-update')).toBe(true);
        agenda.after(holdMs, () => {
          lock.release(owner);
          queue.leave();
        });
      });
    agenda.at(0, () => write('a', 10));
    agenda.at(1, () => write('b', 5));
    agenda.runAll();
    expect(lock.holds.map((h) => [h.owner, h.startMs, h.endMs])).toEqual([
      ['a', 0, 10],
      ['b', 10, 15],
    ]);
  });

  it('a busy-handler waiter that wakes to a taken lock sleeps again, per the schedule', () => {
    const agenda = new Agenda();
    const lock = new WriteLock(agenda);
    const log: { owner: string; outcome: LockOutcome; atMs: number }[] = [];
    const sleeps: number[] = [];
    agenda.at(0, () => {
      lock.tryTake('holder', 'import-batch');
      agenda.after(10, () => lock.release('holder'));
    });
    agenda.at(0, () =>
      takeWithBusyHandler(agenda, lock, { owner: 'w', kind: 'catalog-update', timeoutMs: 1000, sleepOvershootMs: 0, onSleep: (ms) => sleeps.push(ms) }, holdFor(agenda, lock, 'w', 1, log)),
    );
    agenda.runAll();
    // Tries at 0, 1, 3, 8 (all held until 10), then at 18: free.
    expect(sleeps).toEqual([1, 2, 5, 10]);
    expect(log).toEqual([{ owner: 'w', outcome: { ok: true, waitMs: 18 }, atMs: 18 }]);
  });

  it('a busy-handler waiter gives up with SQLITE_BUSY once its sleeps reach the busy timeout', () => {
    const agenda = new Agenda();
    const lock = new WriteLock(agenda);
    const log: { owner: string; outcome: LockOutcome; atMs: number }[] = [];
    agenda.at(0, () => lock.tryTake('holder', 'import'));
    agenda.at(0, () => takeWithBusyHandler(agenda, lock, { owner: 'w', kind: 'catalog-update', timeoutMs: 10, sleepOvershootMs: 0 }, holdFor(agenda, lock, 'w', 1, log)));
    agenda.runAll();
    expect(log).toEqual([{ owner: 'w', outcome: { ok: false, code: 'SQLITE_BUSY', waitMs: 10 }, atMs: 10 }]);
  });

  it('each sleep takes its overshoot on top', () => {
    const agenda = new Agenda();
    const lock = new WriteLock(agenda);
    const log: { owner: string; outcome: LockOutcome; atMs: number }[] = [];
    agenda.at(0, () => {
      lock.tryTake('holder', 'import-batch');
      agenda.after(2, () => lock.release('holder'));
    });
    agenda.at(0, () => takeWithBusyHandler(agenda, lock, { owner: 'w', kind: 'catalog-update', timeoutMs: 1000, sleepOvershootMs: 0.5 }, holdFor(agenda, lock, 'w', 1, log)));
    agenda.runAll();
    // 1.5 (held), then 1.5 + 2.5 = 4: free.
    expect(log[0]!.atMs).toBe(4);
  });

  it('a deferred upgrade fails at once while another holds the lock, and on a stale snapshot', () => {
    const agenda = new Agenda();
    const lock = new WriteLock(agenda);
    lock.tryTake('holder', 'import-batch');
    expect(takeOnUpgrade(lock, 'reader', 'catalog-update', 0)).toEqual({ ok: false, code: 'SQLITE_BUSY', waitMs: 0 });
    agenda.at(3, () => lock.release('holder'));
    agenda.runAll();
    // It read at 1, before the holder committed at 3: its snapshot is stale.
    expect(takeOnUpgrade(lock, 'reader', 'catalog-update', 1)).toEqual({ ok: false, code: 'SQLITE_BUSY_SNAPSHOT', waitMs: 0 });
    expect(takeOnUpgrade(lock, 'reader', 'catalog-update', 4)).toEqual({ ok: true, waitMs: 0 });
    expect(lock.held).toBe(true);
  });

  it('refuses a second holder and a release by one who does not hold it', () => {
    const lock = new WriteLock(new Agenda());
    expect(lock.tryTake('a', 'import')).toBe(true);
    expect(lock.tryTake('b', 'import')).toBe(false);
    expect(() => lock.release('b')).toThrow('b released a write lock it does not hold');
  });
});

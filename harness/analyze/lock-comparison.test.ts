import { describe, expect, it } from 'vitest';
import type { SelfReportedLockSpan } from '../shared/lock-span.ts';
import { compareLockFigures, defaultSelfTimingOverheadMs } from './lock-comparison.ts';
import { observedWindow, polledSpan, T0 } from '../run/observe/testing/spans.ts';
import type { ObservedLockSpan } from '../model/lock-observation.ts';

const PID = 4242;

const observedSpan = (startMs: number, endMs: number, pid = PID): ObservedLockSpan => polledSpan(startMs, endMs, pid);
const selfSpan = (startMs: number, endMs: number, pid = PID): SelfReportedLockSpan => ({ startMs: T0 + startMs, endMs: T0 + endMs, pid, kind: 'import-batch' });

const observed = observedWindow;

const byId = (c: ReturnType<typeof compareLockFigures>, id: string) => c.figures.find((f) => f.id === id);

describe('observed vs self-reported lock figures', () => {
  it('finds no fault when both sides agree within a sample gap', () => {
    const comparison = compareLockFigures(
      observed([observedSpan(100, 400.3), observedSpan(1000, 1020.2), observedSpan(2000, 2000.25)]),
      [selfSpan(100.1, 400.2), selfSpan(1000.05, 1020.1), selfSpan(2000.01, 2000.03)],
    );
    expect(comparison.fault).toBe(false);
    expect(comparison.pids).toEqual([PID]);
    expect(byId(comparison, 'holdMaxMs')).toMatchObject({ observed: expect.closeTo(300.3, 2), selfReported: expect.closeTo(300.1, 2), fault: false });
    expect(byId(comparison, 'spanCount')).toMatchObject({ observed: 2, selfReported: 2, fault: false });
    expect(comparison.resolutionMs).toBeCloseTo(0.4, 5);
  });

  it('flags a self-reported hold that is shorter than the lock was held by more than the tolerance plus a gap', () => {
    const comparison = compareLockFigures(observed([observedSpan(100, 700)]), [selfSpan(100, 600)]);
    expect(byId(comparison, 'holdMaxMs')).toMatchObject({ difference: expect.closeTo(100, 5), fault: true });
    expect(comparison.fault).toBe(true);
    expect(comparison.worstPairs[0]?.differenceMs).toBeCloseTo(100, 5);
  });

  it('flags a long self-reported hold the observer never saw, and a long observed hold nobody reported', () => {
    const comparison = compareLockFigures(observed([observedSpan(5000, 5200)]), [selfSpan(100, 300)]);
    const count = byId(comparison, 'spanCount');
    expect(count).toMatchObject({ observed: 1, selfReported: 1, difference: 0, fault: true });
    expect(comparison.selfNotObserved).toHaveLength(1);
    expect(comparison.observedNotReported).toHaveLength(1);
  });

  it('leaves out holds of processes that do not self-report, and lists them', () => {
    const comparison = compareLockFigures(
      observed([observedSpan(100, 200), observedSpan(300, 900, 777)]),
      [selfSpan(100, 200)],
    );
    expect(comparison.fault).toBe(false);
    expect(comparison.otherHolders).toEqual([{ pid: 777, committingMs: 0, spanCount: 1, heldMs: expect.closeTo(600, 5), holdMaxMs: expect.closeTo(600, 5) }]);
    expect(comparison.holdsCompared).toEqual({ observed: 1, selfReported: 1 });
  });

  it('compares the duty cycle over all holds, short ones included', () => {
    const shortSelf = Array.from({ length: 400 }, (_, i) => selfSpan(i * 20, i * 20 + 0.05));
    // Polling sees about 0.05/0.25 of the 50 us holds, each as one 250 us gap: the same held time on average.
    const shortSeen = Array.from({ length: 80 }, (_, i) => observedSpan(i * 100 + 3, i * 100 + 3.25));
    const comparison = compareLockFigures(observed(shortSeen), shortSelf);
    const duty = byId(comparison, 'dutyCycle');
    expect(duty?.observed).toBeCloseTo(0.002, 4);
    expect(duty?.selfReported).toBeCloseTo(0.002, 4);
    expect(duty?.fault).toBe(false);
    expect(byId(comparison, 'spanCount')).toMatchObject({ observed: 0, selfReported: 0, fault: false });
  });

  it('counts a self-reported hold that runs on into a checkpoint after the lock was released', () => {
    const comparison = compareLockFigures(
      observed([observedSpan(100, 200)], [observedSpan(200.1, 260)]),
      [selfSpan(100, 260)],
    );
    expect(byId(comparison, 'holdMaxMs')?.fault).toBe(true);
    expect(comparison.holdsIntoCheckpoint).toBe(1);
    // A checkpoint of another process explains nothing.
    const elsewhere = compareLockFigures(observed([observedSpan(100, 200)], [observedSpan(200.1, 260, 777)]), [selfSpan(100, 260)]);
    expect(elsewhere.holdsIntoCheckpoint).toBe(0);
  });

  it('states no bounds when nothing was observed to compare', () => {
    const comparison = compareLockFigures(observed([]), [selfSpan(100, 200)]);
    expect(byId(comparison, 'holdMaxMs')).toMatchObject({ observed: null, rule: { kind: 'hold-bounds', lowMs: null, highMs: null } });
  });

  it('ignores holds cut by the start or end of observing', () => {
    const cut: ObservedLockSpan = { ...observedSpan(0, 50), startedBy: 'observer-start' };
    const comparison = compareLockFigures(observed([cut, observedSpan(100, 200)]), [selfSpan(100, 200)]);
    expect(byId(comparison, 'holdMaxMs')).toMatchObject({ observed: expect.closeTo(100, 5), fault: false });
  });
});

describe('max and p99 hold judged on each hold\'s own sample gaps', () => {
  // The observer was descheduled for 69 ms just before it saw the lock taken: the hold began somewhere
  // in those 69 ms, so it lasted between 3000 and 3069 ms, whatever the p99 gap of the whole run.
  const lateStart: ObservedLockSpan = { ...observedSpan(169, 3169), acquiredAfterMs: T0 + 100 };
  // ... and for 40 ms before it saw the lock free: it lasted between 2960 and 3000 ms.
  const lateEnd: ObservedLockSpan = { ...observedSpan(100, 3100), releasedAfterMs: T0 + 3060 };

  it('explains a longer self-reported hold by a large gap before the acquisition was seen', () => {
    const comparison = compareLockFigures(observed([lateStart]), [selfSpan(105, 3165)]);
    expect(byId(comparison, 'holdMaxMs')).toMatchObject({ difference: expect.closeTo(-60, 5), fault: false });
    expect(byId(comparison, 'holdP99Ms')).toMatchObject({ difference: expect.closeTo(-60, 5), fault: false });
    expect(comparison.fault).toBe(false);
    // Released within 0.25 ms of 3169, taken within 69 ms before 169: the bounds the rule states.
    expect(byId(comparison, 'holdMaxMs')?.rule).toEqual({ kind: 'hold-bounds', lowMs: expect.closeTo(2999.75, 9), highMs: expect.closeTo(3069, 9) });
  });

  it('explains a shorter self-reported hold by a large gap before the release was seen', () => {
    const comparison = compareLockFigures(observed([lateEnd]), [selfSpan(100, 3065)]);
    expect(byId(comparison, 'holdMaxMs')).toMatchObject({ difference: expect.closeTo(35, 5), fault: false });
    expect(comparison.fault).toBe(false);
  });

  it('still flags a difference beyond that hold\'s own bounds plus the tolerance', () => {
    const longer = compareLockFigures(observed([lateStart]), [selfSpan(90, 3166)]);
    expect(byId(longer, 'holdMaxMs')).toMatchObject({ difference: expect.closeTo(-76, 5), allowed: expect.closeTo(69 + 5, 5), fault: true });
    const shorter = compareLockFigures(observed([lateEnd]), [selfSpan(100, 3050)]);
    expect(byId(shorter, 'holdMaxMs')).toMatchObject({ difference: expect.closeTo(50, 5), allowed: expect.closeTo(40 + 5, 5), fault: true });
  });

  it('does not lend one hold\'s large gap to another: a gap at the start explains nothing about a self-reported hold too short', () => {
    // A large gap at the start only allows the hold to have been longer than observed.
    const comparison = compareLockFigures(observed([lateStart]), [selfSpan(169, 3149)]);
    expect(byId(comparison, 'holdMaxMs')).toMatchObject({ difference: expect.closeTo(20, 5), fault: true });
  });
});

describe('holds matched one to one', () => {
  // Two imports back to back, as the target runs them: the second takes the lock 0.5 ms after the first released it.
  const first = observedSpan(100, 3100);
  const second = observedSpan(3100.5, 6100);

  it('reports an observed hold as not self-reported even when the self-reported neighbour is within the tolerance', () => {
    const comparison = compareLockFigures(observed([first, second]), [selfSpan(3100.6, 6100)]);
    expect(comparison.observedNotReported.map((o) => o.startMs - T0)).toEqual([100]);
    expect(comparison.selfNotObserved).toEqual([]);
    expect(byId(comparison, 'spanCount')).toMatchObject({ observed: 2, selfReported: 1, fault: true });
    expect(comparison.fault).toBe(true);
  });

  it('reports a self-reported hold as not observed even when the observed neighbour is within the tolerance', () => {
    const comparison = compareLockFigures(observed([second]), [selfSpan(100.1, 3100), selfSpan(3100.6, 6100)]);
    expect(comparison.selfNotObserved).toHaveLength(1);
    expect(comparison.selfNotObserved[0]!.startMs - T0).toBeCloseTo(100.1, 3);
    expect(comparison.observedNotReported).toEqual([]);
    expect(comparison.fault).toBe(true);
  });

  it('pairs each hold with the one it overlaps most, whichever order they come in', () => {
    const comparison = compareLockFigures(observed([first, second]), [selfSpan(3100.6, 6100), selfSpan(100.1, 3100)]);
    expect(comparison.fault).toBe(false);
    const tenths = (epochMs: number) => Math.round((epochMs - T0) * 10) / 10;
    expect(comparison.worstPairs.map((p) => [tenths(p.selfReported.startMs), tenths(p.observed.startMs)]).sort((a, b) => a[0]! - b[0]!)).toEqual([
      [100.1, 100],
      [3100.6, 3100.5],
    ]);
  });

  it('keeps only the holds of the same pid as counterparts', () => {
    const comparison = compareLockFigures(observed([first, observedSpan(3100.5, 6100, 777)]), [selfSpan(100.1, 3100), selfSpan(3100.6, 6100)], {
      pids: [PID, 777],
    });
    expect(comparison.selfNotObserved).toHaveLength(1);
    expect(comparison.selfNotObserved[0]!.startMs - T0).toBeCloseTo(3100.6, 3);
    expect(comparison.observedNotReported.map((o) => o.pid)).toEqual([777]);
  });
});

describe('duty cycle allowance per self-reported hold', () => {
  // 850 holds of 50 us, each self-reported 80 us longer (the holder's clock reads and the end of COMMIT
  // after the lock is released); polling sees 170 of them, each as one 250 us gap: the same true held time.
  const selfTimed = Array.from({ length: 850 }, (_, i) => selfSpan(i * 10, i * 10 + 0.13));
  const seen = Array.from({ length: 170 }, (_, i) => observedSpan(i * 50 + 3, i * 50 + 3.25));

  it('allows each self-reported hold a little timing of its own, so hundreds of them raise no warning', () => {
    const duty = byId(compareLockFigures(observed(seen), selfTimed), 'dutyCycle');
    // 850 x 0.08 ms = 68 ms more self-reported over 10 s: beyond the sampling allowance alone, not with the per-hold term.
    expect(duty?.difference).toBeCloseTo(-0.0068, 4);
    expect(duty?.fault).toBe(false);
    expect(duty!.allowed * 10_000).toBeGreaterThan(68);
    expect(duty!.allowed * 10_000 - 850 * defaultSelfTimingOverheadMs).toBeLessThan(68);
    expect(duty?.rule).toMatchObject({ kind: 'summed-holds', selfReportedHolds: 850, timingHeldMs: expect.closeTo(42.5, 9), windowMs: 10_000 });
  });

  it('grants that allowance only to self-reported holds longer than observed, not to observed holds longer than reported', () => {
    const reversed = Array.from({ length: 850 }, (_, i) => selfSpan(i * 10, i * 10 + 0.05));
    const longerSeen = Array.from({ length: 442 }, (_, i) => observedSpan(i * 20 + 3, i * 20 + 3.25));
    const duty = byId(compareLockFigures(observed(longerSeen), reversed), 'dutyCycle');
    expect(duty?.difference).toBeCloseTo(0.0068, 4);
    expect(duty?.fault).toBe(true);
  });

  it('still warns when the self-reported holds run on well past that allowance', () => {
    const padded = selfTimed.map((s) => ({ ...s, endMs: s.endMs + 0.1 }));
    expect(byId(compareLockFigures(observed(seen), padded), 'dutyCycle')?.fault).toBe(true);
  });
});

import { describe, expect, it } from 'vitest';
import { compareLockFigures } from '../analyze/lock-comparison.ts';
import { observedWindow, polledSpan, T0 } from '../run/observe/testing/spans.ts';
import type { LocksObserved } from '../model/results.ts';
import { observedLocks, type ObservedLocksInput } from '../analyze/observed-locks.ts';
import { recordedLocksInput, recordedObservation } from '../run/testing.ts';
import { comparisonNotes, crossCheckDetail, crossCheckWarnings, figureRule, observedLockNotes } from './lock-comparison.ts';

// The words are said from what the run layer measured on one recorded default run (the before profile).
const recorded = recordedObservation();
const input = recordedLocksInput(recorded);
const observe = (overrides: Partial<ObservedLocksInput> = {}) => observedLocks({ ...input, ...overrides })!;
const rules = (o: LocksObserved) => o.comparison.figures.map((f) => figureRule(f, o.comparison));

describe('the cross-check in words', () => {
  it('says the recorded run agrees, within what allowance, and how each figure was judged', () => {
    const observed = observe() as LocksObserved;
    expect(crossCheckDetail(observed)).toBe("observed and self-reported holds agree within 5 ms of what each hold's own sample gaps allow (sample gap p99 0.49 ms)");
    expect(crossCheckWarnings(observed)).toEqual([]);
    expect(rules(observed)).toEqual([
      expect.stringMatching(/^longest hold; the observed holds' own sample gaps put it in 3049\.\d\d\.\.3050\.\d\d ms; self-reported within that \+- 5 ms$/),
      expect.stringMatching(/^p99 over holds >= 5\.50 ms on each side; the observed holds' own sample gaps put it in 3049\.\d\d\.\.3050\.\d\d ms;/),
      expect.stringMatching(/^summed holds may differ by 5 ms \+ one gap \+ 4 x \d\.\d ms of sampling error .* self-reported longer by 50 us x 821 holds = 41\.1 ms more, over 20780 ms$/),
      'holds >= 5.50 ms; fault when one on either side has no counterpart of the same pid (paired one to one, largest overlap first)',
    ]);
    expect(observedLockNotes(observed)).toEqual([
      'all holds in the window: 258 observed, 821 self-reported (polling misses many holds shorter than a sample gap)',
      'observed holds compared as the holders time them (to COMMIT returned): 7 extended through the auto-checkpoint their COMMIT ran after ' +
        'releasing the write lock, 7 checkpoint(s) after a write lock too short to sample; 32.5 ms added',
    ]);
  });

  it('names each faulty figure with its difference, both sides and its allowance, and the duty cycle as a warning', () => {
    const shortened = observe({ targetSpans: recorded.targetSpans.map((s) => (s.kind === 'import' ? { ...s, startMs: s.startMs + 20 } : s)) });
    expect(crossCheckDetail(shortened)).toMatch(
      /^instrumentation fault: observed and self-reported holds differ beyond 5 ms of what each hold's own sample gaps allow \(sample gap p99 0\.49 ms\): max hold \+18\.89 ms \(observed 3049\.35, self-reported 3030\.46, allowed \d\.\d\d\); p99 hold \+18\.89 ms/,
    );
    expect(crossCheckWarnings(shortened)).toEqual([
      expect.stringMatching(
        /^duty cycle observed 73\.752 % vs self-reported 73\.\d{3} %: \+0\.\d{3} pp, beyond its allowance of 0\.\d{3} pp for sampling and the holders' own timing \(50 us per self-reported hold\): not an instrumentation fault by itself$/,
      ),
    ]);
  });

  it('counts the long holds one side lacks', () => {
    const unreported = observe({ targetSpans: recorded.targetSpans.filter((s) => s.kind !== 'import') });
    expect(crossCheckDetail(unreported)).toMatch(/; holds >= 5\.50 ms: 0 self-reported not observed, [1-5] observed not self-reported$/);
  });

  it('says why nothing was checked', () => {
    expect(crossCheckDetail(observe({ targetSpans: null }))).toBe("not checked: the target's own lock spans could not be collected");
    expect(crossCheckDetail(observe({ targetSpans: null, targetReportsLocks: false }))).toBe('not available: the target reports no lock figures of its own');
    expect(crossCheckDetail(observe({ outcome: { status: 'off', reason: 'observer turned off (--no-observer)' } }))).toBe(
      'not checked: observer turned off (--no-observer)',
    );
  });
});

describe('the comparison notes', () => {
  it('name the holders not compared and the holds that ran on into a checkpoint', () => {
    const comparison = compareLockFigures(observedWindow([polledSpan(100, 200, 1), polledSpan(300, 900, 777)], [polledSpan(200.1, 260, 1)]), [
      { startMs: T0 + 100, endMs: T0 + 260, pid: 1, kind: 'import' },
    ]);
    expect(comparisonNotes(comparison)).toEqual([
      'all holds in the window: 1 observed, 1 self-reported (polling misses many holds shorter than a sample gap)',
      'write-lock holds of pid 777 (1) are not compared: those processes do not self-report',
      "1 self-reported hold(s) run on past the write lock's release into a checkpoint by the same process: " +
        'an auto-checkpoint runs inside COMMIT after the write lock is released, so a hold timed to COMMIT returning includes it',
    ]);
  });

  it('say when there was nothing to compare, and that no figure was observed', () => {
    const comparison = compareLockFigures(observedWindow([]), []);
    expect(comparisonNotes(comparison)).toContain('nothing to compare: no self-reported holds in the window and no pids given');
    expect(figureRule(comparison.figures[0]!, comparison)).toBe('longest hold; nothing observed to compare');
  });
});

import { describe, expect, it } from 'vitest';
import type { ObservedLockSpan } from '../model/lock-observation.ts';
import type { LocksObserved, RecordedLockSpan, RequestSample } from '../model/results.ts';
import { defaultSelfTimingOverheadMs } from './lock-comparison.ts';
import { holdsAsTimed, observedLocks, observedSpansFile, type ObservedLocksInput } from './observed-locks.ts';
import { recordedLocksInput, recordedObservation } from '../run/testing.ts';
import { polledSpan, T0 } from '../run/observe/testing/spans.ts';

const recorded = recordedObservation();
const input = recordedLocksInput(recorded);
const observe = (overrides: Partial<ObservedLocksInput> = {}) => observedLocks({ ...input, ...overrides }) as LocksObserved;
const figure = (o: LocksObserved, id: string) => o.comparison.figures.find((f) => f.id === id)!;

describe('observedLocks on a recorded default run (before profile)', () => {
  const observed = observe();

  it('checks nothing for a trial cut short: a hold still open when it stopped was never self-reported, so agreement would be untrue', () => {
    expect(observe({ partial: true }).crossCheck).toEqual({ outcome: 'not-checked', because: 'partial-run', warnings: [] });
  });

  it('reproduces what that run reported: holders, figures, unmatched holds, checkpoints at commit and verdict', () => {
    // That run was recorded before the journal mode was reported: it ran in WAL mode, with no commit spans.
    const { summary: fullSummary, comparison, crossCheck, journalMode, journalModes: _modes, attribution: _attribution, ...rest } = observed;
    const { committingMs, longestHoldCommittingMs, ...summary } = fullSummary;
    expect({ journalMode, committingMs, longestHoldCommittingMs }).toEqual({ journalMode: 'wal', committingMs: 0, longestHoldCommittingMs: 0 });
    const { summary: recordedSummary, comparison: recordedComparison, crossCheck: recordedCrossCheck, ...recordedRest } = recorded.profile.observed;
    expect(rest).toEqual(recordedRest);
    expect(crossCheck.outcome).toBe(recordedCrossCheck.outcome);
    // The figures and their verdicts are the recorded ones; how much each may differ is now taken from
    // each hold's own sample gaps and the holders' own timing, so `allowed`, `rule` and the allowance for
    // the holders' own timing are not.
    const values = (c: typeof comparison) => c.figures.map((f) => [f.id, f.observed, f.selfReported, f.difference, f.fault]);
    expect(values(comparison)).toEqual(values(recordedComparison));
    const { figures: _figures, worstPairs: _pairs, selfTimingOverheadMs: _overhead, ...matching } = comparison;
    const { figures: _recordedFigures, worstPairs: _recordedPairs, selfTimingOverheadMs: _recordedOverhead, ...recordedMatching } = recordedComparison;
    expect(matching).toEqual(recordedMatching);
    // The fixture keeps of each self-reported span only what the comparison reads (not its request id).
    const pairs = (c: typeof comparison) => c.worstPairs.map((p) => [p.selfReported.kind, p.selfReported.startMs, p.observed, p.differenceMs]);
    expect(pairs(comparison)).toEqual(pairs(recordedComparison));
    // The fixture leaves the read locks out; every write-lock figure is the recorded one.
    expect({ ...summary, longestReadMs: null }).toEqual({ ...recordedSummary, longestReadMs: null });
  });

  it('attributes the holds by pid: the target, the harness process running the workflow writers', () => {
    expect(observed.holders.map((h) => [h.role, h.pid])).toEqual([
      ['target', recorded.pids.target],
      ['workflow-writers', recorded.pids.workflowWriters],
    ]);
    const target = observed.holders[0]!;
    // The five monolithic imports, each ~3 s: the longest holds are the target's, seen from both sides.
    expect(target.observed.holdMaxMs).toBeGreaterThan(3000);
    expect(target.observed.holdMaxMs).toBe(observed.summary.holdMaxMs);
    expect(Math.abs(target.observed.holdMaxMs! - target.selfReported!.holdMaxMs!)).toBeLessThan(5);
    expect(observed.holders[1]!.observed.holdMaxMs).toBeLessThan(10);
  });

  it('compares max hold, p99 hold, duty cycle and holds within 5 ms of what each hold\'s own sample gaps allow, and they agree', () => {
    expect(observed.crossCheck).toEqual({ outcome: 'agree', warnings: [] });
    // The longest hold is self-reported 1.1 ms longer than observed: the observer saw its acquisition
    // one sample gap late, so up to that gap (1.53 ms, the observer momentarily descheduled) plus 5 ms is allowed.
    const longest = observed.comparison.worstPairs.find((p) => p.observed.endMs - p.observed.startMs === observed.summary.holdMaxMs)!;
    expect(figure(observed, 'holdMaxMs')).toMatchObject({
      difference: expect.closeTo(-1.11, 2),
      allowed: expect.closeTo(5 + longest.observed.startMs - longest.observed.acquiredAfterMs, 9),
      fault: false,
    });
    expect(figure(observed, 'spanCount')).toMatchObject({ observed: 6, selfReported: 7, fault: false });
  });

  it('counts the auto-checkpoints that COMMIT ran after releasing the write lock into the observed holds', () => {
    expect(observed.commitCheckpoints).toMatchObject({ extended: 7, standalone: 7 });
    // Without them the same data would show every such hold longer on the self-reported side.
    const writeOnly = observe({ outcome: { ...recorded.outcome, result: { ...recorded.outcome.result, checkpointSpans: [] } } });
    expect(writeOnly.commitCheckpoints).toEqual({ extended: 0, standalone: 0, addedMs: 0 });
    expect(figure(writeOnly, 'dutyCycle').difference!).toBeLessThan(figure(observed, 'dutyCycle').difference!);
  });

  it('flags an instrumentation fault when the target reports its import holds 20 ms short', () => {
    const shortened = recorded.targetSpans.map((s) => (s.kind === 'import' ? { ...s, startMs: s.startMs + 20 } : s));
    const faulty = observe({ targetSpans: shortened });
    // Max and p99 hold (the imports are the longest holds) are faults; 100 ms less held in all is only a warning.
    expect(faulty.crossCheck).toEqual({ outcome: 'fault', faults: ['holdMaxMs', 'holdP99Ms'], warnings: ['dutyCycle'] });
    expect(figure(faulty, 'holdMaxMs').difference).toBeGreaterThan(15);
  });

  it('flags long holds the target never reported', () => {
    const faulty = observe({ targetSpans: recorded.targetSpans.filter((s) => s.kind !== 'import') });
    expect(faulty.crossCheck).toMatchObject({ outcome: 'fault', faults: expect.arrayContaining(['spanCount']) });
    expect(faulty.comparison.selfNotObservedCount).toBe(0);
    expect(faulty.comparison.observedNotReportedCount).toBeGreaterThan(0);
  });

  it('flags a long hold missing from the self-reported side even when its neighbour is back to back with it', () => {
    // The first two imports: the second took the lock 0.5 ms after the first released it.
    const imports = recorded.targetSpans.filter((s) => s.kind === 'import').sort((a, b) => a.startMs - b.startMs);
    expect(imports[1]!.startMs - imports[0]!.endMs).toBeLessThan(1);
    for (const missing of [imports[0]!, imports[1]!]) {
      const faulty = observe({ targetSpans: recorded.targetSpans.filter((s) => s !== missing) });
      expect(faulty.crossCheck).toMatchObject({ outcome: 'fault', faults: expect.arrayContaining(['spanCount']) });
      expect(faulty.comparison.selfNotObservedCount).toBe(0);
      expect(faulty.comparison.observedNotReported).toHaveLength(1);
      expect(faulty.comparison.observedNotReported[0]!.startMs).toBeCloseTo(missing.startMs, -1);
    }
  });

  it('explains a longest hold whose release the observer saw 40 ms late (descheduled) by that hold\'s own gap, without a fault', () => {
    const result = recorded.outcome.result;
    const longest = result.writeSpans.reduce((a, b) => (b.endMs - b.startMs > a.endMs - a.startMs ? b : a));
    const resumedMs = longest.releasedAfterMs + 40;
    // Not sampling for 40 ms: the release is seen at the first sample after, and nothing in between is seen at all.
    const unseen = (s: ObservedLockSpan) => s !== longest && s.acquiredAfterMs > longest.releasedAfterMs && s.acquiredAfterMs < resumedMs;
    const late = observe({
      outcome: {
        ...recorded.outcome,
        result: {
          ...result,
          writeSpans: result.writeSpans.filter((s) => !unseen(s)).map((s) => (s === longest ? { ...s, endMs: resumedMs } : s)),
          checkpointSpans: result.checkpointSpans.filter((s) => !unseen(s)),
        },
      },
    });
    expect(figure(late, 'holdMaxMs')).toMatchObject({ difference: expect.closeTo(38.9, 0), fault: false });
    expect(late.crossCheck).toMatchObject({ outcome: 'agree', warnings: [] });
  });

  it('allows each self-reported hold 50 us of its holder\'s own timing: the recorded run\'s mean excess plus three standard errors', () => {
    const windowMs = observed.windowEndMs - observed.windowStartMs;
    const holds = [...recorded.targetSpans, ...recorded.writerSpans].filter((s) => s.startMs >= observed.windowStartMs && s.endMs <= observed.windowEndMs);
    const excessPerHoldMs = (-figure(observed, 'dutyCycle').difference! * windowMs) / holds.length;
    // Polling catches a hold h shorter than a gap g with probability h/g and then counts it as g: variance h(g - h).
    const gapMs = observed.comparison.resolutionMs;
    const variance = holds.map((s) => s.endMs - s.startMs).filter((h) => h < gapMs).reduce((sum, h) => sum + h * (gapMs - h), 0);
    const standardErrorMs = Math.sqrt(variance) / holds.length;
    expect(holds).toHaveLength(821);
    expect(excessPerHoldMs).toBeCloseTo(0.02865, 4);
    expect(standardErrorMs).toBeCloseTo(0.0064, 4);
    expect(excessPerHoldMs + 3 * standardErrorMs).toBeLessThanOrEqual(defaultSelfTimingOverheadMs);
    expect(excessPerHoldMs + 3 * standardErrorMs).toBeCloseTo(defaultSelfTimingOverheadMs, 2);
    expect(observed.comparison.selfTimingOverheadMs).toBe(defaultSelfTimingOverheadMs);
  });

  it('raises no duty-cycle warning when the writers\' own timing adds 40 us to each of their holds', () => {
    // 23.5 ms recorded + 416 x 0.04 ms: beyond the allowance for sampling alone (30 ms here), as runs on a busy machine show.
    const slower = recorded.writerSpans.map((s) => ({ ...s, endMs: s.endMs + 0.04 }));
    const observedSlower = observe({ writerSpans: slower });
    const duty = figure(observedSlower, 'dutyCycle');
    const windowMs = observed.windowEndMs - observed.windowStartMs;
    expect(-duty.difference! * windowMs).toBeGreaterThan(38);
    expect(duty.fault).toBe(false);
    expect(observedSlower.crossCheck).toMatchObject({ outcome: 'agree', warnings: [] });
  });

  it('warns about a duty cycle beyond its allowance without calling it a fault', () => {
    // Each of the writers' holds reported 0.2 ms longer: far within "a few ms" per hold, yet four times
    // the per-hold allowance, over hundreds of holds.
    const padded = recorded.writerSpans.map((s) => ({ ...s, endMs: s.endMs + 0.2 }));
    const warned = observe({ writerSpans: padded });
    expect(figure(warned, 'dutyCycle').fault).toBe(true);
    expect(warned.crossCheck).toEqual({ outcome: 'agree', warnings: ['dutyCycle'] });
  });

  it('checks nothing when the target\'s own spans could not be collected, but still attributes what it saw', () => {
    const partial = observe({ targetSpans: null });
    expect(partial.crossCheck).toEqual({ outcome: 'not-checked', because: 'target-spans-missing', warnings: [] });
    expect(partial.comparison.pids).toEqual([recorded.pids.workflowWriters]);
    expect(partial.holders.find((h) => h.role === 'target')).toMatchObject({ selfReported: null });
    expect(partial.summary.holdMaxMs).toBe(observe().summary.holdMaxMs);
  });

  it('names the process lockbench started by its command when only its workers held the lock', () => {
    // A forking server: the started process (pid 4242) holds nothing, its worker (the recorded target) does.
    const worker = recorded.pids.target;
    const result = recorded.outcome.status === 'observed' ? recorded.outcome.result : null;
    const processes = [{ pid: worker, command: 'gunicorn', commandLine: 'gunicorn app', ancestors: [{ pid: 4242, command: 'gunicorn' }], firstSeenMs: T0 }];
    const forked = observe({
      outcome: { ...recorded.outcome, result: { ...result!, processes } } as ObservedLocksInput['outcome'],
      pids: { ...recorded.pids, target: 4242 },
      targetSpans: null,
    });
    const parent = forked.holders.find((h) => h.pid === 4242)!;
    expect(parent).toMatchObject({ role: 'target', command: 'gunicorn', observed: { spanCount: 0 } });
    expect(parent.worker).toBeUndefined();
    expect(forked.holders.find((h) => h.pid === worker)).toMatchObject({ role: 'target', command: 'gunicorn', worker: true });
  });

  it('lists no side writers that did not run: the harness process is a holder only when it reports or held', () => {
    const result = recorded.outcome.status === 'observed' ? recorded.outcome.result : null;
    const targetOnly = { ...result!, writeSpans: result!.writeSpans.filter((s) => s.pid !== recorded.pids.workflowWriters) };
    const withoutWriters = observe({ outcome: { ...recorded.outcome, result: targetOnly } as ObservedLocksInput['outcome'], writerSpans: null });
    expect(withoutWriters.holders.map((h) => [h.role, h.pid])).toEqual([['target', recorded.pids.target]]);
    // Seen holding the lock, it is listed even without spans of its own.
    expect(observe({ writerSpans: null }).holders.map((h) => [h.role, h.selfReported])).toEqual([
      ['target', expect.anything()],
      ['workflow-writers', null],
    ]);
  });

  it('says the cross-check is not available for a target that reports no lock figures at all', () => {
    const foreign = observe({ targetSpans: null, targetReportsLocks: false });
    expect(foreign.crossCheck).toEqual({ outcome: 'not-checked', because: 'target-reports-none', warnings: [] });
  });
});

describe('observedLocks when the observer did not watch', () => {
  it.each([
    [{ status: 'off', reason: 'observer turned off (--no-observer)' }, null],
    [{ status: 'unavailable', reason: 'the lock observer could not start: UNSUPPORTED_PLATFORM: ...' }, 250],
    [{ status: 'failed', reason: 'the lock observer failed: OBSERVER_FAILED: ...' }, 250],
  ] as const)('reports %o as not checked, with its reason', (outcome, intervalUs) => {
    expect(observedLocks({ ...input, outcome })).toEqual({
      status: outcome.status,
      intervalUs,
      reason: outcome.reason,
      crossCheck: { outcome: 'not-checked', because: 'not-observed', warnings: [] },
    });
  });

  it('has nothing to say for a profile that stopped before the observer\'s turn', () => {
    expect(observedLocks({ ...input, outcome: null })).toBeNull();
  });
});

describe('holdsAsTimed', () => {
  const span = (pid: number, startMs: number, endMs: number): ObservedLockSpan => polledSpan(startMs, endMs, pid);
  const ms = (spans: ObservedLockSpan[]) => spans.map((s) => [s.pid, s.startMs - T0, s.endMs - T0]);

  it('extends a write through the checkpoint its COMMIT ran, keeps a lone checkpoint, leaves out one of another connection', () => {
    const { writeSpans, commitCheckpoints } = holdsAsTimed(
      {
        writeSpans: [span(1, 0, 10), span(1, 100, 150), span(2, 200, 201)],
        checkpointSpans: [
          span(1, 10.1, 18), // right after pid 1's release: its COMMIT's auto-checkpoint
          span(1, 300, 305), // follows no observed write of pid 1: a write too short to sample, then its checkpoint
          span(1, 120, 130), // inside a write of pid 1: another connection of the process, not this hold
          span(2, 201.1, 209), // pid 2 is not compared
        ],
      },
      [1],
      0.5,
    );
    expect(ms(writeSpans)).toEqual([
      [1, 0, 18],
      [1, 100, 150],
      [2, 200, 201],
      [1, 300, 305],
    ]);
    expect(commitCheckpoints).toEqual({ extended: 1, standalone: 1, addedMs: 13 });
  });
});

describe('observedSpansFile', () => {
  it('labels every observed span with its holder, for the timeline', () => {
    const file = observedSpansFile(recorded.outcome, recorded.pids)!;
    expect(file.pids).toEqual({ ...recorded.pids, observer: recorded.outcome.observerPid });
    const roles = new Set(file.writeSpans.map((s) => `${s.holder}:${s.pid}`));
    expect(roles).toEqual(new Set([`target:${recorded.pids.target}`, `workflow-writers:${recorded.pids.workflowWriters}`]));
    const other = observedSpansFile(
      { ...recorded.outcome, result: { ...recorded.outcome.result, writeSpans: [{ ...recorded.outcome.result.writeSpans[0]!, pid: 99_999 }] } },
      recorded.pids,
    )!;
    expect(other.writeSpans[0]!.holder).toBe('other');
  });

  it('labels each of the target\'s holds with its attribution, the holds the profile\'s attribution counts', () => {
    // A request around each hold of the target, of two streams: neighbours make some holds ambiguous.
    const requests: RequestSample[] = recorded.outcome.result.writeSpans
      .filter((s) => s.pid === recorded.pids.target)
      .map((s, i) => ({ stream: i % 2 === 0 ? 'imports' : 'catalog', scheduledMs: null, sentMs: s.startMs - 1, endMs: s.releasedAfterMs + 1, status: 200, error: null }));
    const file = observedSpansFile(recorded.outcome, recorded.pids, requests)!;
    const attribution = observe({ requests }).attribution!;
    const target = file.writeSpans.filter((s) => s.holder === 'target');
    expect(target.length).toBe(attribution.holds);
    const kinds = (kind: string) => target.filter((s) => s.attribution?.kind === kind).length;
    expect({ exact: kinds('exact'), oneOf: kinds('one-of'), ambiguous: kinds('ambiguous'), none: kinds('none') }).toEqual({
      exact: attribution.exact,
      oneOf: attribution.oneOf,
      ambiguous: attribution.ambiguous,
      none: attribution.none,
    });
    expect(kinds('exact')).toBeGreaterThan(0);
    expect(file.writeSpans.filter((s) => s.holder !== 'target' && s.attribution !== undefined)).toEqual([]);
    expect(observedSpansFile(recorded.outcome, recorded.pids)!.writeSpans.some((s) => s.attribution !== undefined)).toBe(false);
  });

  it('is absent when nothing was observed', () => {
    expect(observedSpansFile({ status: 'off', reason: 'observer turned off (--no-observer)' }, recorded.pids)).toBeNull();
  });
});

// The target's spans as GET /api/health/locks gives them carry their pid; one without falls back to the target's.
describe('self-reported spans without a pid', () => {
  it('are taken as the reporting process\'s', () => {
    const withoutPid: RecordedLockSpan[] = recorded.targetSpans.map(({ pid: _pid, ...s }) => s);
    expect(observe({ targetSpans: withoutPid }).comparison.figures).toEqual(observe().comparison.figures);
  });
});

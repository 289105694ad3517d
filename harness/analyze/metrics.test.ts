import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { SummaryFile } from '../../scenarios/lib/contract.ts';
import type { ProfileResult, RunResults, WriteSample } from '../model/results.ts';
import { samplesFromK6Csv } from '../run/drivers/k6/csv.ts';
import { evaluateCriteria } from './criteria.ts';
import { loadCriteria } from '../plan/criteria.ts';
import { measurementNotes as notesOfResult } from '../reports/notes.ts';
import { importWindowFigures, loadFiguresOf, NO_MEASUREMENTS, profileMetrics, type ProfileMeasurements } from './metrics.ts';
import { observedLocks } from './observed-locks.ts';
import { recordedObservation } from '../run/testing.ts';

/**
 * Recorded from one real default run (k6 v2.2.0, 2 CPUs): the k6 summaries, the staged profile's
 * k6 CSV samples (trimmed, see k6-samples.test.ts) and the run's results.json. That run predates the
 * lock observer: its profiles have no `observed` block (see testing.ts for a recorded observation).
 */
function fixture<T>(path: string): T {
  return JSON.parse(readFileSync(new URL(path, import.meta.url), 'utf8')) as T;
}
const recorded = fixture<RunResults>('../run/fixtures/results-concurrent.json');
const stagedSamples = samplesFromK6Csv(readFileSync(new URL('../run/drivers/k6/fixtures/k6-samples-staged.csv', import.meta.url), 'utf8'));
const K6_SUMMARY_STAGED = '../run/drivers/k6/fixtures/k6-summary-staged.json';

/** The notes harness/reports says about a result made of these measurements. */
function measurementNotes(m: ProfileMeasurements): string[] {
  const result = {
    metrics: profileMetrics(m),
    importWindow: importWindowFigures(m),
    load: loadFiguresOf(m.summary, { imports: true }),
    importJobsWallMs: m.importJobsWallMs,
    workflowWriters: m.writers,
    integrity: m.integrity,
    observed: m.observed,
    notes: [],
    status: 'completed',
  } as unknown as ProfileResult;
  return notesOfResult(result, { name: 'k6', version: '2.2.0' });
}

/**
 * results.json keeps no per-write samples: these stand in for the writers, placed around the recorded
 * staged window. One slow write was scheduled 1 ms before the window opened and one 1 ms after it
 * closed; neither may count.
 */
function writeSamplesAround(summary: SummaryFile): WriteSample[] {
  const { firstStartEpochMs: start, lastEndEpochMs: end } = summary.lockbench.imports;
  const inside = Array.from({ length: 200 }, (_, i) => ({ scheduledAtMs: start! + i * 10, latencyMs: i < 198 ? 5 : 40, ok: true }));
  return [{ scheduledAtMs: start! - 1, latencyMs: 9_000, ok: true }, ...inside, { scheduledAtMs: end! + 1, latencyMs: 9_000, ok: true }];
}

function measurementsOf(profile: string, summaryFile: string): ProfileMeasurements {
  const p = recorded.profiles.find((x) => x.name === profile)!;
  const summary = fixture<SummaryFile>(summaryFile);
  const writeSamples = writeSamplesAround(summary);
  return {
    summary: summary.lockbench,
    locks: p.targetLocks,
    writers: { ...p.workflowWriters!, writes: writeSamples.length },
    integrity: p.integrity,
    importJobsWallMs: 2988,
    requestSamples: profile === 'staged' ? stagedSamples : null,
    writeSamples,
    observed: null,
  };
}

describe('profileMetrics on a recorded staged run', () => {
  const m = measurementsOf('staged', K6_SUMMARY_STAGED);
  const metrics = profileMetrics(m);

  it('judges the catalog updates sent during the imports, and keeps the whole run figures beside them', () => {
    // To the microsecond epoch times keep (sent = end - duration).
    expect(metrics.catalogP99Ms).toBeCloseTo(recorded.profiles.find((p) => p.name === 'staged')!.metrics!.catalogP99Ms!, 3);
    expect(metrics.catalogP99Ms).toBeCloseTo(61.97, 2);
    expect(metrics.catalogP99AllMs).toBe(38.270688);
    expect(fixture<SummaryFile>(K6_SUMMARY_STAGED).metrics['http_req_duration{scenario:catalog}']?.values['p(99)']).toBe(38.270688);
    expect(metrics.catalogP50AllMs).toBe(m.summary!.latency.catalog!.p50Ms);
  });

  it('takes the wall, success and acknowledged rows from the k6 summary', () => {
    expect(metrics.importWallMs).toBe(m.summary!.imports.wallMs);
    expect(metrics.requestSuccessRate).toBe(1);
    expect(metrics.artifactsExpected).toBe(500);
  });

  it('judges the workflow writes scheduled inside the window; the whole-run p99 stays the histogram one', () => {
    // 200 writes inside: 198 of 5 ms, 2 of 40 ms; rank 0.99 x 199 = 197.01 lies between a 5 and a 40.
    expect(metrics.workflowWriteP99Ms).toBeCloseTo(5 + 0.01 * 35, 9);
    expect(importWindowFigures(m).workflowWrites).toMatchObject({ inWindow: 200, total: 202 });
    expect(metrics.workflowWriteP99AllMs).toBe(m.writers!.latency.p99Ms);
  });

  it('takes the longest hold from the target and the writers', () => {
    expect(metrics.maxLockHoldMs).toBe(Math.max(m.locks!.holds.maxMs!, m.writers!.lockHold.maxMs!));
    expect(metrics.lockHoldP99Ms).toBe(m.locks!.holds.p99Ms);
    expect(metrics.artifactsFound).toBe(500);
    expect(metrics.integrityOk).toBe(true);
  });

  it('says where the import wall comes from, and counts the samples the in-window latency rests on', () => {
    const notes = measurementNotes(m);
    expect(notes[0]).toMatch(/^import wall from the k6 driver's clock .*: 3,024 ms; import_jobs \(server clock\) says 2,988 ms$/);
    // The in-window figures themselves are said by the workload's windowed criteria (harness/reports/windowed-latency.ts).
    const window = importWindowFigures(m);
    expect(window.catalog).toMatchObject({ inWindow: 61, total: 401 });
    expect(window.catalog.p50Ms).toBeCloseTo(3.0, 0);
    expect(window.catalog.p99Ms).toBeCloseTo(62.0, 0);
    expect(window.workflowWrites).toMatchObject({ inWindow: 200, total: 202 });
  });
});

describe('in-window figures that cannot be given', () => {
  const m = measurementsOf('staged', K6_SUMMARY_STAGED);

  it('are null when some import never answered, and the note says why', () => {
    const unanswered = { ...m.summary!, imports: { ...m.summary!.imports, completed: 4, wallMs: null } };
    const metrics = profileMetrics({ ...m, summary: unanswered });
    expect(metrics.catalogP99Ms).toBeNull();
    expect(metrics.workflowWriteP99Ms).toBeNull();
    expect(metrics.catalogP99AllMs).toBe(38.270688);
    expect(importWindowFigures({ ...m, summary: unanswered }).catalog.reason).toEqual({ code: 'window-unknown' });
  });

  it('are null for the writes when the per-write samples were capped', () => {
    const capped = { ...m, writers: { ...m.writers!, writes: m.writeSamples!.length + 1 } };
    expect(profileMetrics(capped).workflowWriteP99Ms).toBeNull();
    expect(importWindowFigures(capped).workflowWrites.reason).toEqual({ code: 'write-samples-capped', kept: 202, writes: 203 });
  });
});

describe('profileMetrics on a recorded before run', () => {
  const m = measurementsOf('before', '../run/fixtures/k6-summary-before.json');

  it('notes the crossed k6 thresholds as reported only, not the gate', () => {
    const crossed = measurementNotes(m).find((n) => n.startsWith('k6 thresholds crossed'));
    expect(crossed).toMatch(/^k6 thresholds crossed \(k6 judges its whole run; reported only, the criteria are the gate\): /);
    expect(crossed).toContain('http_req_duration{scenario:catalog} p(99)<500');
    expect(crossed).toContain('import_lock_hold max<500');
  });
});

describe('profileMetrics with nothing measured', () => {
  it('is null everywhere rather than zero', () => {
    expect(profileMetrics(NO_MEASUREMENTS)).toEqual({
      importWallMs: null,
      maxLockHoldMs: null,
      maxLockHoldSource: null,
      maxLockHoldObservedMs: null,
      maxLockHoldSelfReportedMs: null,
      lockHoldP99Ms: null,
      catalogP50Ms: null,
      catalogP99Ms: null,
      catalogP50AllMs: null,
      catalogP99AllMs: null,
      workflowWriteP99Ms: null,
      workflowWriteP99AllMs: null,
      requestSuccessRate: null,
      busyErrors: {},
      artifactsExpected: null,
      artifactsFound: null,
      integrityOk: null,
    });
  });
});

describe('profileMetrics without the target lock statistics', () => {
  it('leaves the longest hold unmeasured even though the writers held the lock', () => {
    const m = measurementsOf('staged', K6_SUMMARY_STAGED);
    expect(profileMetrics({ ...m, locks: null }).maxLockHoldMs).toBeNull();
  });
});

describe('lock-hold judged on the observed max hold', () => {
  // The recorded before profile of a run with the observer: its target and writer figures and what was observed.
  const recorded = recordedObservation();
  const writers = recorded.profile.workflowWriters!;
  const locks = recorded.profile.targetLocks!;
  const observe = (outcome: Parameters<typeof observedLocks>[0]['outcome']) =>
    observedLocks({ outcome, intervalUs: 250, pids: recorded.pids, targetSpans: recorded.targetSpans, writerSpans: recorded.writerSpans });
  const measurements = (observed: ProfileMeasurements['observed']): ProfileMeasurements => ({ ...NO_MEASUREMENTS, locks, writers, observed });
  const lockHold = (m: ProfileMeasurements) => evaluateCriteria(loadCriteria(), profileMetrics(m)).find((c) => c.id === 'lock-hold')!;

  it('takes the observer\'s figure over every holder, with the holders\' own beside it', () => {
    const observed = observe(recorded.outcome)!;
    const metrics = profileMetrics(measurements(observed));
    expect(observed.status === 'observed' && observed.summary.holdMaxMs).toBe(recorded.outcome.result.summary.holdMaxMs);
    expect(metrics).toMatchObject({
      maxLockHoldMs: recorded.outcome.result.summary.holdMaxMs,
      maxLockHoldSource: 'observed',
      maxLockHoldObservedMs: recorded.outcome.result.summary.holdMaxMs,
      maxLockHoldSelfReportedMs: Math.max(locks.holds.maxMs!, writers.lockHold.maxMs!),
    });
    // The recorded figures differ (by 1.1 ms): the judged one is the observed one.
    expect(metrics.maxLockHoldMs).not.toBe(metrics.maxLockHoldSelfReportedMs);
    // As the recorded run reported them.
    expect(pickLockHold(metrics)).toEqual(pickLockHold(recorded.profile.metrics!));
    expect(lockHold(measurements(observed))).toMatchObject({ basis: 'observed', measured: metrics.maxLockHoldMs, threshold: 500, pass: false });
  });

  it('judges an observed hold over the threshold even when the holders report one under it', () => {
    const observed = observe(recorded.outcome)!;
    if (observed.status !== 'observed') throw new Error('recorded as observed');
    const under = { ...locks, holds: { ...locks.holds, maxMs: 480 } };
    const m: ProfileMeasurements = { ...measurements(observed), locks: under };
    expect(lockHold(m)).toMatchObject({ basis: 'observed', pass: false });
  });

  it.each([
    ['unavailable', 'the lock observer could not start: UNSUPPORTED_PLATFORM: observing SQLite locks is not supported on darwin-arm64'],
    ['failed', 'the lock observer failed: OBSERVER_FAILED: observer process exited (code 1, signal null)'],
    ['off', 'observer turned off (--no-observer)'],
  ] as const)('falls back to the self-reported figure when the observer is %s, labelled with why', (status, reason) => {
    const m = measurements(observe({ status, reason }));
    const metrics = profileMetrics(m);
    const selfReported = Math.max(locks.holds.maxMs!, writers.lockHold.maxMs!);
    expect(metrics).toMatchObject({ maxLockHoldMs: selfReported, maxLockHoldSource: 'self-reported', maxLockHoldObservedMs: null, maxLockHoldSelfReportedMs: selfReported });
    expect(lockHold(m)).toMatchObject({ basis: 'self-reported', measured: selfReported, pass: false });
    expect(m.observed).toMatchObject({ status, reason });
  });

  it('has no figure and no basis when neither side measured', () => {
    const m = { ...NO_MEASUREMENTS, observed: observe({ status: 'unavailable', reason: 'x' }) };
    expect(profileMetrics(m)).toMatchObject({ maxLockHoldMs: null, maxLockHoldSource: null });
    expect(lockHold(m)).toMatchObject({ pass: false, reason: 'maxLockHoldMs was not measured' });
    expect(lockHold(m).basis).toBeUndefined();
  });
});

function pickLockHold(m: NonNullable<RunResults['profiles'][number]['metrics']>) {
  return {
    maxLockHoldMs: m.maxLockHoldMs,
    maxLockHoldSource: m.maxLockHoldSource,
    maxLockHoldObservedMs: m.maxLockHoldObservedMs,
    maxLockHoldSelfReportedMs: m.maxLockHoldSelfReportedMs,
  };
}

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { RunResults } from '../results.ts';
import { measurementNotes, profileMetrics, type ProfileMeasurements, type SummaryFile } from './metrics.ts';

/** Recorded from a real default run (k6 v2.2.0, 2 CPUs): the k6 summaries and the run's results.json. */
function fixture<T>(path: string): T {
  return JSON.parse(readFileSync(new URL(path, import.meta.url), 'utf8')) as T;
}
const recorded = fixture<RunResults>('../reports/fixtures/results-concurrent.json');

function measurementsOf(profile: string, summaryFile: string): ProfileMeasurements {
  const p = recorded.profiles.find((x) => x.name === profile)!;
  return {
    summary: fixture<SummaryFile>(summaryFile),
    locks: p.targetLocks,
    writers: p.workflowWriters,
    integrity: p.integrity,
    importJobsWallMs: 2993,
  };
}

describe('profileMetrics on a recorded staged run', () => {
  const m = measurementsOf('staged', './fixtures/k6-summary-staged.json');
  const metrics = profileMetrics(m);

  it('takes latency, success and acknowledged rows from the k6 summary', () => {
    expect(metrics.catalogP50Ms).toBe(m.summary!.lockbench.latency.catalog!.p50Ms);
    expect(metrics.catalogP99Ms).toBe(44.677937);
    expect(m.summary!.metrics['http_req_duration{scenario:catalog}']?.values['p(99)']).toBe(44.677937);
    expect(metrics.importWallMs).toBe(m.summary!.lockbench.imports.wallMs);
    expect(metrics.requestSuccessRate).toBe(1);
    expect(metrics.artifactsExpected).toBe(500);
  });

  it('takes the longest hold from the target and the writers, and the workflow p99 from the writers', () => {
    expect(metrics.maxLockHoldMs).toBe(Math.max(m.locks!.holds.maxMs!, m.writers!.lockHold.maxMs!));
    expect(metrics.lockHoldP99Ms).toBe(m.locks!.holds.p99Ms);
    expect(metrics.workflowWriteP99Ms).toBe(m.writers!.latency.p99Ms);
    expect(metrics.artifactsFound).toBe(500);
    expect(metrics.integrityOk).toBe(true);
  });

  it('says where the import wall comes from', () => {
    expect(measurementNotes(m)[0]).toMatch(/^import wall from the k6 client clock .*: 3030 ms; import_jobs \(server clock\) says 2993 ms$/);
  });
});

describe('profileMetrics on a recorded before run', () => {
  const m = measurementsOf('before', './fixtures/k6-summary-before.json');

  it('notes the crossed k6 thresholds and the writes that could not be issued', () => {
    const notes = measurementNotes(m);
    expect(notes.some((n) => n.startsWith('k6 thresholds crossed: ') && n.includes('import_lock_hold max<500'))).toBe(true);
    expect(notes.some((n) => /workflow writers: \d+ of \d+ scheduled writes not issued/.test(n))).toBe(true);
  });
});

describe('profileMetrics with nothing measured', () => {
  it('is null everywhere rather than zero', () => {
    const metrics = profileMetrics({ summary: null, locks: null, writers: null, integrity: null, importJobsWallMs: null });
    expect(metrics).toEqual({
      importWallMs: null,
      maxLockHoldMs: null,
      lockHoldP99Ms: null,
      catalogP50Ms: null,
      catalogP99Ms: null,
      workflowWriteP99Ms: null,
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
    const m = measurementsOf('staged', './fixtures/k6-summary-staged.json');
    expect(profileMetrics({ ...m, locks: null }).maxLockHoldMs).toBeNull();
  });
});

import { describe, expect, it } from 'vitest';
import type { ProfileResult } from '../../model/results.ts';
import type { WorkloadCriterionResult } from '../../model/workload.ts';
import { criteriaMarks } from './criteria-marks.ts';
import { recordedRunInput } from './testing.ts';

const T0 = 1_700_000_000_000;

function windowed(id: string, stream: string, windowStream: string, window: { startMs: number; endMs: number } | null, threshold = 500): WorkloadCriterionResult {
  return {
    id,
    type: 'latency',
    stream,
    comparison: '<',
    threshold,
    measured: 100,
    unit: 'ms',
    pass: true,
    windowed: { stream, percentile: 99, windowStream, window, p50Ms: 10, wholeRun: { measured: 90, p50Ms: 9, counted: 10 } },
  };
}

/** A profile carrying a workload's result with these criteria, from the recorded default run's. */
async function profileWith(criteria: WorkloadCriterionResult[]): Promise<ProfileResult> {
  const staged = (await recordedRunInput('seed-workload')).results.profiles.find((p) => p.name === 'staged')!;
  return { ...staged, workload: { ...staged.workload!, criteria } };
}

describe('criteria marks', () => {
  it('shades each window once, named by its stream, with the criteria judged inside it', async () => {
    const marks = criteriaMarks(
      await profileWith([
        windowed('orders-p99', 'orders', 'restocks', { startMs: T0 + 1000, endMs: T0 + 3000 }),
        windowed('reads-p99', 'reads', 'restocks', { startMs: T0 + 1000, endMs: T0 + 3000 }),
        windowed('report-p99', 'report', 'nightly', { startMs: T0 + 5000, endMs: T0 + 6000 }),
      ]),
    );
    expect(marks.windows).toEqual([
      { label: 'restocks window', startMs: T0 + 1000, endMs: T0 + 3000 },
      { label: 'nightly window', startMs: T0 + 5000, endMs: T0 + 6000 },
    ]);
    expect(marks.judgedIn.get('restocks window')).toEqual(['orders-p99', 'reads-p99']);
    expect(marks.windowOf('report')?.label).toBe('nightly window');
    expect(marks.windowOf('restocks')).toBeNull();
  });

  it("draws a stream's thresholds from its latency criteria, windowed or not, and nothing for a criterion that names no stream", async () => {
    const whole: WorkloadCriterionResult = { id: 'orders-p50', type: 'latency', stream: 'orders', comparison: '<', threshold: 50, measured: 20, unit: 'ms', pass: true };
    const { stream: _, ...unnamed } = { ...whole, id: 'old-p99' };
    const hold: WorkloadCriterionResult = { id: 'lock-hold', type: 'max-lock-hold', comparison: '<', threshold: 500, measured: 20, unit: 'ms', pass: true };
    const marks = criteriaMarks(await profileWith([windowed('orders-p99', 'orders', 'restocks', { startMs: T0, endMs: T0 + 1 }), whole, unnamed, hold]));
    expect(marks.thresholdsOf('orders')).toEqual([
      { label: 'orders-p99 < 500 ms (restocks window)', ms: 500 },
      { label: 'orders-p50 < 50.0 ms', ms: 50 },
    ]);
    expect(marks.thresholdsOf('restocks')).toEqual([]);
  });

  it('shades no window whose stream sent nothing, and still draws the threshold', async () => {
    const marks = criteriaMarks(await profileWith([windowed('orders-p99', 'orders', 'restocks', null)]));
    expect(marks.windows).toEqual([]);
    expect(marks.windowOf('orders')).toBeNull();
    expect(marks.thresholdsOf('orders')).toEqual([{ label: 'orders-p99 < 500 ms (restocks window)', ms: 500 }]);
  });
});

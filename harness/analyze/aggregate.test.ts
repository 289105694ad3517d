import { describe, expect, it } from 'vitest';
import { aggregatePoints } from './aggregate.ts';
import { settingsLabel } from '../model/results.ts';
import type { TrialRecord } from '../model/sweep.ts';
import { derivedBatchSweep, derivedTrial } from './testing.ts';
import { workloadPointCriteria } from './workload-points.ts';

describe('aggregatePoints', () => {
  const { plan, trials } = derivedBatchSweep();
  const points = aggregatePoints(plan.points, trials, workloadPointCriteria);
  const point = (id: string) => points.find((p) => p.id === id)!;

  it('keeps the plan\'s order and gives each point its settings and repeats', () => {
    expect(points.map((p) => [p.id, p.settings, p.repeats, p.status])).toEqual([
      ['batchSize-1', { batchSize: 1 }, 3, 'measured'],
      ['batchSize-10', { batchSize: 10 }, 3, 'measured'],
      ['batchSize-100', { batchSize: 100 }, 3, 'measured'],
    ]);
    expect(point('batchSize-10').trialIds.sort()).toEqual(['batchSize-10.r1', 'batchSize-10.r2', 'batchSize-10.r3']);
  });

  it('summarizes each metric as median, min, max, interval and the samples in run order', () => {
    const wall = point('batchSize-10').metrics!.importWallMs!;
    expect(wall).toMatchObject({ median: 3_031, min: 3_012, max: 3_060, ci95: [3_012, 3_060], ci95Coverage: 0.75 });
    const byRepeat = new Map(trials.filter((t) => t.pointId === 'batchSize-10').map((t) => [t.repeat, t.result.metrics!.importWallMs]));
    expect([...wall.samples].sort()).toEqual([...byRepeat.values()].sort());
    expect(point('batchSize-10').metrics!.requestSuccessRate).toMatchObject({ median: 1, min: 1, max: 1 });
    expect(point('batchSize-10').metrics!.busyErrors).toMatchObject({ median: 0 });
  });

  it('gives the requests behind each p99, flagged when under 100', () => {
    const catalog = point('batchSize-10').metrics!.catalogP99Ms!;
    expect(catalog.requests).toEqual([61, 61, 61]);
    expect(catalog.fewRequests).toBe(true);
    expect(point('batchSize-10').metrics!.importWallMs!.requests).toBeUndefined();
  });

  it('judges every criterion of the workload on the point\'s medians', () => {
    expect(point('batchSize-10').pass).toBe(true);
    const big = point('batchSize-100');
    expect(big.pass).toBe(false);
    expect(big.criteria.find((c) => c.id === 'catalog-p99')).toMatchObject({ measured: 590, pass: false });
    expect(big.criteria.find((c) => c.id === 'lock-hold')).toMatchObject({ measured: 131, pass: true });
  });

  it('reports a point whose trials errored, and fails a point with a missing repeat', () => {
    const errored = trials.map((t): TrialRecord =>
      t.pointId === 'batchSize-1' ? { ...t, result: { ...t.result, status: 'errored', error: 'target crashed' } } : t,
    );
    errored.splice(errored.findIndex((t) => t.trialId === 'batchSize-10.r3'), 1, {
      ...trials.find((t) => t.trialId === 'batchSize-10.r3')!,
      result: { ...trials.find((t) => t.trialId === 'batchSize-10.r3')!.result, status: 'incomplete', error: 'interrupted' },
    });
    const [one, ten] = aggregatePoints(plan.points, errored, workloadPointCriteria);
    expect(one).toMatchObject({ status: 'errored', repeats: 0, pass: false, criteria: [] });
    expect(one!.failedTrials).toHaveLength(3);
    expect(one!.failedTrials[0]).toMatchObject({ status: 'errored', error: 'target crashed' });
    expect(one!.metrics!.importWallMs).toBeNull();
    expect(ten).toMatchObject({ status: 'partial', repeats: 2, pass: false });
    expect(ten!.criteria.every((c) => c.pass)).toBe(true);
  });

  it("carries no scenario metrics in a sweep of a workload file, reached or not, and the same criteria", () => {
    const reached = trials.filter((t) => t.pointId !== 'batchSize-1');
    const workloadPoints = aggregatePoints(plan.points, reached, workloadPointCriteria, { scenarioMetrics: false });
    for (const p of workloadPoints) expect(p, p.id).not.toHaveProperty('metrics');
    const scenarioPoints = aggregatePoints(plan.points, reached, workloadPointCriteria);
    expect(scenarioPoints.every((p) => p.metrics !== undefined)).toBe(true);
    expect(workloadPoints).toEqual(scenarioPoints.map(({ metrics: _metrics, ...p }) => p));
  });

  it('lists a point no trial reached as not run', () => {
    const [one] = aggregatePoints(plan.points, trials.filter((t) => t.pointId !== 'batchSize-1'), workloadPointCriteria);
    expect(one).toMatchObject({ status: 'not-run', repeats: 0, pass: false });
  });
});

describe('points', () => {
  it('labels points by their settings', () => {
    expect(settingsLabel({ id: 'x', settings: { batchSize: 10, scheduler: 'fifo' } })).toBe('batchSize=10, scheduler=fifo');
    expect(settingsLabel({ id: 'staged', settings: {} })).toBe('staged');
  });
});

import { describe, expect, it } from 'vitest';
import type { PlanPoint } from '../model/sweep-plan.ts';
import type { ProfileStatus } from '../model/results.ts';
import type { RecommendationFinding, TrialRecord } from '../model/sweep.ts';
import type { WorkloadCriterionResult } from '../model/workload.ts';
import { gateOutcome, recommendationOutcome } from '../reports/sweep-reasons.ts';
import { aggregatePoints } from './aggregate.ts';
import { evaluateGate } from './gate.ts';
import { derivedTrial } from './testing.ts';
import { workloadFinding, workloadPointCriteria } from './workload-points.ts';

type Judged = boolean | Partial<WorkloadCriterionResult>;

const criterion = (id: string, judged: Judged): WorkloadCriterionResult => {
  const given = typeof judged === 'boolean' ? { pass: judged, measured: judged ? 100 : 900 } : judged;
  return { id, type: 'latency', comparison: '<', threshold: 500, measured: 100, unit: 'ms', pass: true, ...given };
};

/**
 * A trial of a recorded run (its scenario criteria all failing, as a workload's trial has them: it sends no
 * imports) carrying the workload's criteria as given.
 */
function trial(pointId: string, repeat: number, criteria: Record<string, Judged>, status: ProfileStatus = 'completed'): TrialRecord {
  const record = derivedTrial({ trialId: `${pointId}.r${repeat}`, pointId, settings: { busyTimeoutMs: Number(pointId) }, repeat }, 'staged', { importWallMs: null, catalogP99Ms: null });
  record.result.status = status;
  record.result.workload = { name: 'shop', source: 'shop.yaml', busyTimeoutMs: null, streams: [], lockSource: 'observed', criteria: Object.entries(criteria).map(([id, judged]) => criterion(id, judged)) };
  return record;
}

const plan = (...ids: string[]): PlanPoint[] => ids.map((id) => ({ id, settings: { busyTimeoutMs: Number(id) } }));
const points = (trials: TrialRecord[], ...ids: string[]) => aggregatePoints(plan(...ids), trials, workloadPointCriteria);
const recommendation: RecommendationFinding = { code: 'none-measured' };

describe('a workload sweep judged by its own criteria', () => {
  it('passes a point whose every repeat met every criterion, and fails one a single repeat missed', () => {
    const trials = [trial('1', 1, { p99: true, stored: true }), trial('1', 2, { p99: true, stored: true }), trial('8', 1, { p99: true, stored: true }), trial('8', 2, { p99: false, stored: true })];
    const [low, high] = points(trials, '1', '8');
    expect(low).toMatchObject({ id: '1', status: 'measured', pass: true, criteria: [{ id: 'p99', pass: true }, { id: 'stored', pass: true }] });
    expect(high).toMatchObject({ id: '8', status: 'measured', pass: false, criteria: [{ id: 'p99', pass: false }, { id: 'stored', pass: true }] });
    expect(gateOutcome(evaluateGate({ kind: 'point', pointId: '1' }, [low!, high!], recommendation))).toEqual({ gate: 'busyTimeoutMs=1', gatedPoints: ['1'], pass: true, failures: [] });
    expect(gateOutcome(evaluateGate({ kind: 'point', pointId: '8' }, [low!, high!], recommendation))).toEqual({ gate: 'busyTimeoutMs=8', gatedPoints: ['8'], pass: false, failures: ['busyTimeoutMs=8 fails p99'] });
  });

  it('presents no criterion of the scenario: only the workload\'s, in the shape every point\'s criteria have', () => {
    const [point] = points([trial('1', 1, { p99: true }), trial('1', 2, { p99: true })], '1');
    expect(point!.criteria.map((c) => c.id)).toEqual(['p99']);
    expect(point!.criteria[0]).toEqual({ id: 'p99', description: '', metric: 'latency', comparison: '<', threshold: 500, measured: 100, unit: 'ms', pass: true, requires: [] });
  });

  it('gives the median over the repeats as the figure, and fails the criterion where one repeat failed though the median passes', () => {
    const trials = [trial('1', 1, { p99: { measured: 120 } }), trial('1', 2, { p99: { measured: 700, pass: false } }), trial('1', 3, { p99: { measured: 140 } })];
    const [point] = points(trials, '1');
    expect(point!.criteria).toMatchObject([{ id: 'p99', measured: 140, threshold: 500, pass: false }]);
    expect(point!.pass).toBe(false);
    const even = points([trial('1', 1, { p99: { measured: 100 } }), trial('1', 2, { p99: { measured: 300 } })], '1');
    expect(even[0]!.criteria[0]).toMatchObject({ measured: 200, pass: true });
  });

  it('leaves a figure one repeat did not measure unmeasured for the point, never the others\' alone', () => {
    const [point] = points([trial('1', 1, { p99: { measured: 120 } }), trial('1', 2, { p99: { measured: null, pass: false, code: 'no-samples' } })], '1');
    expect(point!.criteria[0]).toMatchObject({ measured: null, pass: false });
  });

  it('compares a no-loss check with what each repeat acknowledged: the medians of both', () => {
    const stored = (measured: number, threshold: number): Judged => ({ type: 'no-loss', comparison: '==', unit: 'rows', measured, threshold, pass: measured === threshold });
    const [point] = points([trial('1', 1, { stored: stored(10, 10) }), trial('1', 2, { stored: stored(12, 12) }), trial('1', 3, { stored: stored(13, 14) })], '1');
    expect(point!.criteria[0]).toMatchObject({ metric: 'no-loss', measured: 12, threshold: 12, thresholdMetric: 'acknowledged', unit: 'rows', pass: false });
  });

  it('fails a point one of whose trials did not complete, even when the repeats that did met every criterion', () => {
    const [partial] = points([trial('1', 1, { p99: true }), trial('1', 2, {}, 'errored')], '1');
    expect(partial).toMatchObject({ status: 'partial', repeats: 1, pass: false, criteria: [{ id: 'p99', pass: true }] });
    expect(gateOutcome(evaluateGate({ kind: 'point', pointId: '1' }, [partial!], recommendation)).failures).toEqual(['busyTimeoutMs=1: partial (1 trial(s) did not complete)']);
  });

  it('fails a point with no judged repeat, and a criterion a repeat did not judge', () => {
    expect(points([trial('1', 1, { p99: true }, 'errored')], '1')[0]).toMatchObject({ status: 'errored', pass: false, criteria: [] });
    const [missing] = points([trial('1', 1, { p99: true, stored: true }), trial('1', 2, { p99: true })], '1');
    expect(missing).toMatchObject({ pass: false, criteria: [{ id: 'p99', pass: true }, { id: 'stored', pass: false, measured: null }] });
  });
});

describe('what a workload sweep finds', () => {
  it('names every point that met every criterion, ranking none, when the workload gives no rank', () => {
    const trials = [trial('1', 1, { p99: true }), trial('4', 1, { p99: false }), trial('8', 1, { p99: true })];
    const finding = workloadFinding(points(trials, '1', '4', '8'), trials, []);
    expect(finding).toEqual({
      code: 'meeting-every-criterion',
      meeting: [{ pointId: '1', settings: { busyTimeoutMs: 1 } }, { pointId: '8', settings: { busyTimeoutMs: 8 } }],
      points: 3,
    });
    expect(recommendationOutcome(finding)).toEqual({ recommendation: null, reason: '2 of 3 point(s) meet every criterion of the workload in every repeat: busyTimeoutMs=1, busyTimeoutMs=8', closest: null });
  });

  it('recommends by the workload\'s rank: the best median of its first ranked criterion, ties decided by the next', () => {
    const trials = [
      trial('1', 1, { p99: { measured: 300 }, rate: { measured: 180, comparison: '>=' } }),
      trial('4', 1, { p99: { measured: 200 }, rate: { measured: 150, comparison: '>=' } }),
      trial('8', 1, { p99: { measured: 205 }, rate: { measured: 190, comparison: '>=' } }),
    ];
    const finding = workloadFinding(points(trials, '1', '4', '8'), trials, [{ criterion: 'p99', better: 'lower' }, { criterion: 'rate', better: 'higher' }]);
    expect(finding).toMatchObject({ code: 'recommended', point: { pointId: '8' }, best: { criterion: 'p99', value: 200 }, tiedWith: [{ pointId: '4', decidedBy: 'rate' }] });
    const outcome = recommendationOutcome(finding);
    expect(outcome.recommendation).toMatchObject({ pointId: '8', tiedWith: ['4'] });
    expect(outcome.reason).toBe(
      'busyTimeoutMs=8 meets every criterion (3 of 3 points do) with median p99 205 ms; busyTimeoutMs=4 within 5 % of the best p99 (200 ms), so the highest median rate decided: 190 ms against 150 ms',
    );
  });

  it('names the closest point and the workload criterion it misses when none meets them all', () => {
    const trials = [trial('1', 1, { p99: false, stored: false }), trial('8', 1, { p99: { measured: 620, pass: false }, stored: true })];
    const outcome = recommendationOutcome(workloadFinding(points(trials, '1', '8'), trials, [{ criterion: 'p99', better: 'lower' }]));
    expect(outcome.recommendation).toBeNull();
    expect(outcome.reason).toBe('no point meets every criterion; the closest is busyTimeoutMs=8, which misses p99 620 ms, expected < 500 ms');
  });

  it('says a missed criterion\'s figure is the median and in how many repeats it failed, as the median may meet the threshold', () => {
    const trials = [trial('8', 1, { p99: { measured: 300 } }), trial('8', 2, { p99: { measured: 620, pass: false } }), trial('8', 3, { p99: { measured: 310 } })];
    const finding = workloadFinding(points(trials, '8'), trials, []);
    expect(finding).toMatchObject({ code: 'none-qualifies', misses: [{ code: 'criterion', repeats: { failed: 1, of: 3 } }] });
    expect(recommendationOutcome(finding).reason).toBe('no point meets every criterion; the closest is busyTimeoutMs=8, which misses p99 310 ms (the median; failed in 1 of 3 repeats), expected < 500 ms');
  });
});

import { describe, expect, it } from 'vitest';
import { aggregatePoints } from '../analyze/aggregate.ts';
import { recommend } from '../analyze/recommend.ts';
import { evaluateGate, type GateBaseline } from '../analyze/gate.ts';
import { parseGate } from '../plan/sweep.ts';
import { RANK, derivedBatchSweep, derivedTrial } from '../analyze/testing.ts';
import { workloadPointCriteria } from '../analyze/workload-points.ts';
import { gateOutcome, recommendationOutcome } from './sweep-reasons.ts';

const { plan, trials } = derivedBatchSweep();
const reasonOf = (sweepTrials: typeof trials) => recommendationOutcome(recommend(aggregatePoints(plan.points, sweepTrials, workloadPointCriteria), RANK));

describe('recommendationOutcome', () => {
  it('says why the qualifying point with the best median import wall is recommended', () => {
    const outcome = reasonOf(trials);
    expect(outcome.recommendation).toMatchObject({ pointId: 'batchSize-10', settings: { batchSize: 10 }, tiedWith: [] });
    expect(outcome.reason).toBe('batchSize=10 meets every criterion (2 of 3 points do) with median import-wall 3,031 ms, the best');
    expect(outcome.recommendation!.reason).toBe(outcome.reason);
  });

  it('says how a tie of import walls (within 5 %) was broken by catalog p99', () => {
    const close = trials.map((t) => (t.pointId === 'batchSize-1' ? derivedTrial(t, 'staged', { importWallMs: 3_100 + t.repeat, catalogP99Ms: 20 }) : t));
    const outcome = reasonOf(close);
    expect(outcome.recommendation).toMatchObject({ pointId: 'batchSize-1', tiedWith: ['batchSize-10'] });
    expect(outcome.reason).toContain('batchSize=10 within 5 % of the best import-wall (3,031 ms), so the lowest median catalog-p99 decided: 20.0 ms against 55.0 ms');
  });

  it('names the closest point and what it misses when no point qualifies', () => {
    const slow = trials.map((t) => derivedTrial(t, 'staged', { importWallMs: 4_500, catalogP99Ms: t.settings.batchSize === 100 ? 600 : 50 }));
    const outcome = reasonOf(slow);
    expect(outcome.recommendation).toBeNull();
    expect(outcome.closest).toMatchObject({ pointId: 'batchSize-1', misses: ['import-wall 4,500 ms, expected < 4,000 ms'] });
    expect(outcome.reason).toBe('no point meets every criterion; the closest is batchSize=1, which misses import-wall 4,500 ms, expected < 4,000 ms');
  });

  it('says so when nothing was measured', () => {
    expect(reasonOf([])).toEqual({ recommendation: null, reason: 'no point was measured: every trial failed or none ran', closest: null });
  });

  it('counts the trials of the closest point that did not complete among what it misses', () => {
    expect(recommendationOutcome({ code: 'none-qualifies', closest: { pointId: 'batchSize-5', settings: { batchSize: 5 } }, misses: [{ code: 'trials-incomplete', failedTrials: 2 }] })).toEqual({
      recommendation: null,
      reason: 'no point meets every criterion; the closest is batchSize=5, which misses 2 of its trials did not complete',
      closest: { pointId: 'batchSize-5', settings: { batchSize: 5 }, misses: ['2 of its trials did not complete'] },
    });
  });
});

describe('gateOutcome', () => {
  const points = aggregatePoints(plan.points, trials, workloadPointCriteria);
  const outcome = recommend(points, RANK);

  it('words a passed gate and one that failed for want of a recommendation, with its reason', () => {
    expect(gateOutcome(evaluateGate({ kind: 'recommended' }, points, outcome))).toEqual({ gate: 'recommended', gatedPoints: ['batchSize-10'], pass: true, failures: [] });
    const slow = aggregatePoints(plan.points, trials.map((t) => derivedTrial(t, 'staged', { importWallMs: 4_500 })), workloadPointCriteria);
    const none = gateOutcome(evaluateGate({ kind: 'recommended' }, slow, recommend(slow, RANK)));
    expect(none.pass).toBe(false);
    expect(none.failures[0]).toMatch(/^no point meets every criterion; the closest is/);
  });

  it('names a point by its settings and the criteria it fails', () => {
    expect(gateOutcome(evaluateGate(parseGate('100', plan.points), points, outcome))).toEqual({
      gate: 'batchSize=100',
      gatedPoints: ['batchSize-100'],
      pass: false,
      failures: ['batchSize=100 fails catalog-p99'],
    });
  });

  it('words an incomplete point and a gated baseline regression', () => {
    // A gated criterion of the workload that regressed, by its id.
    const baseline: GateBaseline = { regressions: [{ entryId: 'batchSize-10', metric: 'import-wall', p: 0.0286 }] };
    expect(gateOutcome(evaluateGate({ kind: 'recommended' }, points, outcome, baseline))).toEqual({
      gate: 'recommended',
      gatedPoints: ['batchSize-10'],
      pass: false,
      failures: ['batchSize-10: import-wall regressed against the baseline (p = 0.029)'],
    });
    expect(gateOutcome(evaluateGate(null, points, outcome, baseline)).gate).toBe('baseline');
    const point = { pointId: 'batchSize-5', settings: { batchSize: 5 } };
    expect(gateOutcome({ asked: { kind: 'point', point }, gatedPoints: ['batchSize-5'], pass: false, failures: [{ code: 'point-incomplete', point, status: 'partial', failedTrials: 1 }] }).failures).toEqual([
      'batchSize=5: partial (1 trial(s) did not complete)',
    ]);
  });
});

import { describe, expect, it } from 'vitest';
import { aggregatePoints } from './aggregate.ts';
import { recommend } from './recommend.ts';
import { evaluateGate, gatedPointIds, gateExitCode, type GateBaseline } from './gate.ts';
import { parseGate } from '../plan/sweep.ts';
import { RANK, derivedBatchSweep, derivedTrial } from './testing.ts';
import { workloadPointCriteria } from './workload-points.ts';

const { plan, trials } = derivedBatchSweep();
const points = aggregatePoints(plan.points, trials, workloadPointCriteria);
const outcome = recommend(points, RANK);

describe('evaluateGate', () => {
  it('passes recommended when a point qualifies, and fails it with the reason when none does', () => {
    expect(evaluateGate({ kind: 'recommended' }, points, outcome)).toEqual({ asked: { kind: 'recommended' }, gatedPoints: ['batchSize-10'], pass: true, failures: [] });
    const slow = aggregatePoints(plan.points, trials.map((t) => derivedTrial(t, 'staged', { importWallMs: 4_500 })), workloadPointCriteria);
    const none = evaluateGate({ kind: 'recommended' }, slow, recommend(slow, RANK));
    expect(none.pass).toBe(false);
    expect(none.failures).toEqual([{ code: 'no-recommendation', recommendation: recommend(slow, RANK) }]);
    expect(none.failures[0]).toMatchObject({ recommendation: { code: 'none-qualifies' } });
    expect(gateExitCode(none)).toBe(1);
  });

  it('judges a named point on its own criteria', () => {
    expect(gateExitCode(evaluateGate(parseGate('10', plan.points), points, outcome))).toBe(0);
    expect(evaluateGate(parseGate('100', plan.points), points, outcome)).toEqual({
      asked: { kind: 'point', point: { pointId: 'batchSize-100', settings: { batchSize: 100 } } },
      gatedPoints: ['batchSize-100'],
      pass: false,
      failures: [{ code: 'criteria-missed', point: { pointId: 'batchSize-100', settings: { batchSize: 100 } }, criteria: ['catalog-p99'] }],
    });
  });

  it('passes with nothing gated, and fails on a gated baseline regression', () => {
    expect(evaluateGate(null, points, outcome).pass).toBe(true);
    // A gated criterion of the workload that regressed, by its id.
    const baseline: GateBaseline = { regressions: [{ entryId: 'batchSize-10', metric: 'import-wall', p: 0.0286 }] };
    expect(evaluateGate({ kind: 'recommended' }, points, outcome, baseline)).toEqual({
      asked: { kind: 'recommended' },
      gatedPoints: ['batchSize-10'],
      pass: false,
      failures: [{ code: 'regression', entryId: 'batchSize-10', metric: 'import-wall', p: 0.0286 }],
    });
  });

  it('gates the baseline figures of the named or the recommended point', () => {
    expect(gatedPointIds({ kind: 'recommended' }, outcome)).toEqual(['batchSize-10']);
    expect(gatedPointIds({ kind: 'point', pointId: 'batchSize-1' }, outcome)).toEqual(['batchSize-1']);
    expect(gatedPointIds(null, outcome)).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { aggregatePoints } from './aggregate.ts';
import { recommend, RANK_TIE_TOLERANCE } from './recommend.ts';
import type { RankedCriterion } from '../model/rank.ts';
import type { CriterionResult } from '../model/results.ts';
import type { PointResult } from '../model/sweep.ts';
import { RANK, derivedBatchSweep, derivedTrial } from './testing.ts';
import { workloadPointCriteria } from './workload-points.ts';

describe('recommend, the default sweep ranked by the seed workload (import-wall, then catalog-p99)', () => {
  const { plan, trials } = derivedBatchSweep();

  it('picks the qualifying point with the best median import wall', () => {
    const finding = recommend(aggregatePoints(plan.points, trials, workloadPointCriteria), RANK);
    expect(finding).toMatchObject({
      code: 'recommended',
      point: { pointId: 'batchSize-10', settings: { batchSize: 10 }, ranked: [{ criterion: 'import-wall', value: 3_031, unit: 'ms' }, { criterion: 'catalog-p99', value: 55 }] },
      qualifying: 2,
      points: 3,
      tiedWith: [],
    });
  });

  it('breaks a tie of import walls (within 5 %) by catalog p99', () => {
    const close = trials.map((t) => (t.pointId === 'batchSize-1' ? derivedTrial(t, 'staged', { importWallMs: 3_100 + t.repeat, catalogP99Ms: 20 }) : t));
    const finding = recommend(aggregatePoints(plan.points, close, workloadPointCriteria), RANK);
    expect(finding).toMatchObject({
      code: 'recommended',
      point: { pointId: 'batchSize-1', ranked: [{ criterion: 'import-wall' }, { criterion: 'catalog-p99', value: 20 }] },
      best: { criterion: 'import-wall', value: 3_031 },
      tieTolerance: 0.05,
      tiedWith: [{ pointId: 'batchSize-10', ranked: [{ criterion: 'import-wall', value: 3_031 }, { criterion: 'catalog-p99', value: 55 }], decidedBy: 'catalog-p99' }],
    });
  });

  it('recommends nothing when no point qualifies, naming the closest and what it misses', () => {
    const slow = trials.map((t) => derivedTrial(t, 'staged', { importWallMs: 4_500, catalogP99Ms: t.settings.batchSize === 100 ? 600 : 50 }));
    const finding = recommend(aggregatePoints(plan.points, slow, workloadPointCriteria), RANK);
    expect(finding).toMatchObject({ code: 'none-qualifies', closest: { pointId: 'batchSize-1' }, misses: [{ code: 'criterion', criterion: { id: 'import-wall', measured: 4_500, pass: false } }] });
  });

  it('says so when nothing was measured', () => {
    expect(recommend(aggregatePoints(plan.points, [], workloadPointCriteria), RANK)).toEqual({ code: 'none-measured' });
  });
});

/** A point judged on made-up figures: each criterion id with its figure, passing unless listed in `failing`. */
function point(id: string, figures: Record<string, number | null>, failing: readonly string[] = []): PointResult {
  const criteria = Object.entries(figures).map(
    ([criterion, measured]): CriterionResult => ({ id: criterion, description: '', metric: criterion, comparison: '<', threshold: 0, measured, unit: 'count', pass: !failing.includes(criterion), requires: [] }),
  );
  return { id, settings: { batchSize: id }, status: 'measured', repeats: 1, trialIds: [], failedTrials: [], metrics: {} as PointResult['metrics'], criteria, pass: criteria.every((c) => c.pass) };
}

const lower = (criterion: string): RankedCriterion => ({ criterion, better: 'lower' });
const higher = (criterion: string): RankedCriterion => ({ criterion, better: 'higher' });

describe('recommend by any ranked criteria', () => {
  it('takes the highest figure of a criterion better higher', () => {
    const points = [point('a', { throughput: 180, p99: 10 }), point('b', { throughput: 240, p99: 90 }), point('c', { throughput: 200, p99: 5 })];
    expect(recommend(points, [higher('throughput'), lower('p99')])).toMatchObject({ code: 'recommended', point: { pointId: 'b' }, best: { criterion: 'throughput', value: 240 }, tiedWith: [] });
  });

  it('counts a figure better higher within the tolerance below the best as tied', () => {
    // 230 is within 5 % below 240: the p99 decides between them; 200 is not.
    const points = [point('a', { throughput: 230, p99: 10 }), point('b', { throughput: 240, p99: 90 }), point('c', { throughput: 200, p99: 5 })];
    expect(recommend(points, [higher('throughput'), lower('p99')])).toMatchObject({
      code: 'recommended',
      point: { pointId: 'a' },
      tiedWith: [{ pointId: 'b', decidedBy: 'p99' }],
    });
  });

  it('goes down the rank while points stay tied, naming the criterion that decided against each', () => {
    const points = [
      point('a', { wall: 1_000, p99: 50, errors: 3 }),
      point('b', { wall: 1_010, p99: 51, errors: 1 }),
      point('c', { wall: 1_020, p99: 80, errors: 0 }),
      point('d', { wall: 2_000, p99: 1, errors: 0 }),
    ];
    expect(recommend(points, [lower('wall'), lower('p99'), lower('errors')])).toMatchObject({
      code: 'recommended',
      point: { pointId: 'b', ranked: [{ criterion: 'wall', value: 1_010 }, { criterion: 'p99', value: 51 }, { criterion: 'errors', value: 1 }] },
      best: { criterion: 'wall', value: 1_000 },
      tiedWith: [
        { pointId: 'a', decidedBy: 'errors' },
        { pointId: 'c', decidedBy: 'p99' },
      ],
    });
  });

  it('with one ranked criterion, its best figure decides alone', () => {
    const points = [point('a', { wall: 1_010 }), point('b', { wall: 1_000 })];
    expect(recommend(points, [lower('wall')])).toMatchObject({ code: 'recommended', point: { pointId: 'b' }, tiedWith: [] });
  });

  it('ranks only points that meet every criterion', () => {
    const points = [point('a', { wall: 500, p99: 10 }, ['p99']), point('b', { wall: 900, p99: 1 })];
    expect(recommend(points, [lower('wall')])).toMatchObject({ code: 'recommended', point: { pointId: 'b' }, qualifying: 1, points: 2 });
  });

  it('names as closest the point missing fewest criteria, then the best first ranked figure', () => {
    const points = [point('a', { throughput: 100, p99: 10 }, ['p99']), point('b', { throughput: 150, p99: 20 }, ['p99']), point('c', { throughput: 300, p99: 1 }, ['p99', 'throughput'])];
    expect(recommend(points, [higher('throughput')])).toMatchObject({ code: 'none-qualifies', closest: { pointId: 'b' }, misses: [{ code: 'criterion', criterion: { id: 'p99' } }] });
  });

  it('without a rank, ranks none: the points that meet every criterion', () => {
    const points = [point('a', { wall: 500 }), point('b', { wall: 900 }, ['wall'])];
    expect(recommend(points, [])).toEqual({ code: 'meeting-every-criterion', meeting: [{ pointId: 'a', settings: { batchSize: 'a' } }], points: 2 });
  });

  it('takes a figure not measured as the worst', () => {
    const points = [point('a', { wall: null }), point('b', { wall: 9_000 })];
    expect(recommend(points, [lower('wall')])).toMatchObject({ code: 'recommended', point: { pointId: 'b' } });
  });

  it('keeps the tolerance the seed used for its import walls', () => {
    expect(RANK_TIE_TOLERANCE).toBe(0.05);
  });
});

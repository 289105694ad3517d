/**
 * The measured recommendation of a sweep: among the points that meet every criterion, the best by the
 * ranked criteria (a workload's `rank`; the default sweep's is the seed workload's). Criteria are known
 * here only by their ids and which way each is better, so any workload's sweep ranks the same way.
 */
import type { RankedCriterion, RankedFigure } from '../model/rank.ts';
import type { PointMiss, PointRef, PointResult, RankedPoint, RecommendationFinding } from '../model/sweep.ts';

/** Figures of a ranked criterion within this share of the best count as tied; the next ranked criterion then decides. */
export const RANK_TIE_TOLERANCE = 0.05;

/** A ranked criterion's figure at a point: its `measured`, the median over the point's repeats. */
function figureOf(point: PointResult, criterion: string): RankedFigure {
  const result = point.criteria.find((c) => c.id === criterion);
  return { criterion, value: typeof result?.measured === 'number' ? result.measured : null, unit: result?.unit ?? '' };
}

/** The figure as a cost, lower better whichever way the criterion is better; a figure not measured is the worst. */
function costOf(point: PointResult, key: RankedCriterion): number {
  const { value } = figureOf(point, key.criterion);
  if (value === null) return Number.POSITIVE_INFINITY;
  return key.better === 'lower' ? value : -value;
}

/** Within the tolerance of the best cost, on the figure's own scale. */
const tiedWithBest = (cost: number, best: number) => cost <= best + Math.abs(best) * RANK_TIE_TOLERANCE;

/** The lowest cost, the first in the plan's order among equals. */
const cheapest = (points: readonly PointResult[], key: RankedCriterion) => points.reduce((best, p) => (costOf(p, key) < costOf(best, key) ? p : best));

const refOf = (p: PointResult): PointRef => ({ pointId: p.id, settings: p.settings });
const rankedOf = (p: PointResult, rank: readonly RankedCriterion[]): RankedPoint => ({ ...refOf(p), ranked: rank.map((k) => figureOf(p, k.criterion)) });

/**
 * The ranked criteria in turn: the points tied with the best on the first (within {@link RANK_TIE_TOLERANCE}),
 * among them those tied on the next, and so on; the last decides alone. Returns the chosen point, those
 * tied with it on the first, and the criterion that decided against each of them.
 */
function choose(qualifying: readonly PointResult[], rank: readonly RankedCriterion[]) {
  let pool = [...qualifying];
  let tied: PointResult[] = [];
  const decidedBy = new Map<PointResult, string>();
  for (const [i, key] of rank.entries()) {
    const best = costOf(cheapest(pool, key), key);
    const kept = i === rank.length - 1 ? [cheapest(pool, key)] : pool.filter((p) => tiedWithBest(costOf(p, key), best));
    for (const p of pool) if (!kept.includes(p)) decidedBy.set(p, key.criterion);
    if (i === 0) tied = kept;
    pool = kept;
    if (pool.length === 1) break;
  }
  const chosen = pool[0]!;
  return { chosen, tied: tied.filter((p) => p !== chosen).map((p) => ({ point: p, decidedBy: decidedBy.get(p)! })) };
}

/**
 * The point that meets every criterion with the best median of the first ranked criterion; those within
 * {@link RANK_TIE_TOLERANCE} of the best are a tie, decided by the next ranked criterion, and so on.
 * Measured, never assumed: when no point qualifies, the finding names the closest one (fewest criteria
 * missed, then the best first ranked figure) and what it misses. With no rank, the points that meet every
 * criterion, none ranked above another.
 */
export function recommend(points: readonly PointResult[], rank: readonly RankedCriterion[]): RecommendationFinding {
  const qualifying = points.filter((p) => p.pass);
  if (qualifying.length > 0 && rank.length === 0) return { code: 'meeting-every-criterion', meeting: qualifying.map(refOf), points: points.length };
  if (qualifying.length > 0) {
    const { chosen, tied } = choose(qualifying, rank);
    const first = rank[0]!;
    return {
      code: 'recommended',
      rank: [...rank],
      point: rankedOf(chosen, rank),
      qualifying: qualifying.length,
      points: points.length,
      best: figureOf(cheapest(qualifying, first), first.criterion),
      tieTolerance: RANK_TIE_TOLERANCE,
      tiedWith: tied.map(({ point, decidedBy }) => ({ ...rankedOf(point, rank), decidedBy })),
    };
  }
  const judged = points.filter((p) => p.criteria.length > 0);
  if (judged.length === 0) return { code: 'none-measured' };
  const missesOf = (p: PointResult) => p.criteria.filter((c) => !c.pass);
  const first = rank[0];
  const closest = judged.reduce((best, p) => {
    const diff = missesOf(p).length - missesOf(best).length;
    return diff < 0 || (diff === 0 && first !== undefined && costOf(p, first) < costOf(best, first)) ? p : best;
  });
  const misses: PointMiss[] = missesOf(closest).map((criterion) => ({ code: 'criterion', criterion }));
  if (closest.status !== 'measured') misses.push({ code: 'trials-incomplete', failedTrials: closest.failedTrials.length });
  return { code: 'none-qualifies', closest: refOf(closest), misses };
}

/** The recommended point's id, or null when none is recommended. */
export function recommendedPointId(finding: RecommendationFinding): string | null {
  return finding.code === 'recommended' ? finding.point.pointId : null;
}

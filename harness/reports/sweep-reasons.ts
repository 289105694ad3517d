/**
 * The words of a sweep's outcome: why a point is recommended (or why none is, naming the closest and what
 * it misses) and why the gate failed, from the findings harness/analyze/ returns. results.json carries
 * these sentences (`recommendation.reason`, `recommendationReason`, `closest.misses`, `gate.failures`), so
 * they are made here once and every report repeats them.
 */
import type { GateAsked, GateFailure, GateVerdict, PointMiss, PointRef, RankedPoint, RecommendationFinding, SweepAnalysis, SweepSummary } from '../model/sweep.ts';
import { settingsLabel, type GateOutcome, type RecommendationOutcome } from '../model/results.ts';
import { formatMeasured, formatThreshold, formatValue } from './format.ts';

/** `batchSize=10`: a point as every table, chart and `--gate` names it. */
const labelOf = (point: PointRef): string => settingsLabel({ id: point.pointId, settings: point.settings });

/** `import-wall 4,500 ms, expected < 4,000 ms`, or that some of its trials did not complete. */
function missText(miss: PointMiss): string {
  if (miss.code === 'trials-incomplete') return `${miss.failedTrials} of its trials did not complete`;
  const repeats = miss.repeats && miss.repeats.of > 1 ? ` (the median; failed in ${miss.repeats.failed} of ${miss.repeats.of} repeats)` : '';
  return `${miss.criterion.id} ${formatMeasured(miss.criterion)}${repeats}, expected ${formatThreshold(miss.criterion)}`;
}

/** The recommendation as results.json holds it: the point with its reason, the reason alone, and the closest point when none qualifies. */
export function recommendationOutcome(finding: RecommendationFinding): RecommendationOutcome {
  if (finding.code === 'none-measured') {
    return { recommendation: null, reason: 'no point was measured: every trial failed or none ran', closest: null };
  }
  if (finding.code === 'none-qualifies') {
    const misses = finding.misses.map(missText);
    return {
      recommendation: null,
      reason: `no point meets every criterion; the closest is ${labelOf(finding.closest)}, which misses ${misses.join('; ')}`,
      closest: { pointId: finding.closest.pointId, settings: finding.closest.settings, misses },
    };
  }
  if (finding.code === 'meeting-every-criterion') {
    const { meeting, points } = finding;
    return { recommendation: null, reason: `${meeting.length} of ${points} point(s) meet every criterion of the workload in every repeat: ${meeting.map(labelOf).join(', ')}`, closest: null };
  }
  const { point, tiedWith } = finding;
  const reason = `${labelOf(point)} meets every criterion (${finding.qualifying} of ${finding.points} points do) with median ${rankedText(point, finding.best.criterion)}${tieText(finding)}`;
  return {
    recommendation: { pointId: point.pointId, settings: point.settings, reason, tiedWith: tiedWith.map((p) => p.pointId) },
    reason,
    closest: null,
  };
}

type Recommended = Extract<RecommendationFinding, { code: 'recommended' }>;

/** A ranked figure in its unit: `3,031 ms`. */
const figureText = (point: RankedPoint, criterion: string): string => {
  const figure = point.ranked.find((f) => f.criterion === criterion);
  return formatValue(figure?.value ?? null, figure?.unit ?? '');
};

/** `import-wall 3,031 ms`. */
const rankedText = (point: RankedPoint, criterion: string): string => `${criterion} ${figureText(point, criterion)}`;

/**
 * `, the best`, or which points were tied on the first ranked criterion and which ranked criterion decided
 * against them: `; batchSize=10 within 5 % of the best import-wall (3,031 ms), so the lowest median
 * catalog-p99 decided: 20.0 ms against 55.0 ms`. When several decided, each names the points it decided against.
 */
function tieText(finding: Recommended): string {
  const { point, tiedWith, best, rank } = finding;
  if (tiedWith.length === 0) return ', the best';
  const groups = rank.map((key) => ({ key, against: tiedWith.filter((p) => p.decidedBy === key.criterion) })).filter((g) => g.against.length > 0);
  const decided = groups.map(({ key, against }) => {
    const figures = `${figureText(point, key.criterion)} against ${against.map((p) => figureText(p, key.criterion)).join(', ')}`;
    return `the ${key.better === 'lower' ? 'lowest' : 'highest'} median ${key.criterion} decided: ${figures}${groups.length > 1 ? ` (${against.map(labelOf).join(', ')})` : ''}`;
  });
  return `; ${tiedWith.map(labelOf).join(', ')} within ${finding.tieTolerance * 100} % of the best ${best.criterion} (${formatValue(best.value, best.unit)}), so ${decided.join(', then ')}`;
}

/** What was asked, as results.json's `gate` says it: `none`, `recommended`, `baseline`, or the point's settings. */
function gateText(asked: GateAsked): string {
  return asked.kind === 'point' ? labelOf(asked.point) : asked.kind;
}

function failureText(failure: GateFailure): string {
  switch (failure.code) {
    case 'no-recommendation':
      return recommendationOutcome(failure.recommendation).reason;
    case 'criteria-missed':
      return `${labelOf(failure.point)} fails ${failure.criteria.join(', ')}`;
    case 'point-incomplete':
      return `${labelOf(failure.point)}: ${failure.status} (${failure.failedTrials} trial(s) did not complete)`;
    case 'regression':
      return `${failure.entryId}: ${failure.metric} regressed against the baseline (p = ${failure.p?.toFixed(3)})`;
  }
}

/** The gate's verdict as results.json's `gate` holds it. */
export function gateOutcome(verdict: GateVerdict): GateOutcome {
  return { gate: gateText(verdict.asked), gatedPoints: verdict.gatedPoints, pass: verdict.pass, failures: verdict.failures.map(failureText) };
}

/** A sweep's analysis with its recommendation and gate worded: what results.json and every sweep report show. */
export function sweepSummaryOf(analysis: SweepAnalysis): SweepSummary {
  const { plan, trials, points, recommendation, baseline, workloadBaseline, gate, pass } = analysis;
  const outcome = recommendationOutcome(recommendation);
  return {
    plan,
    trials,
    points,
    recommendation: outcome.recommendation,
    recommendationReason: outcome.reason,
    closest: outcome.closest,
    baseline,
    ...(workloadBaseline ? { workloadBaseline } : {}),
    gate: gateOutcome(gate),
    pass,
  };
}

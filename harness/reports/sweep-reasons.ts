/**
 * The words of a sweep's outcome: why a point is recommended (or why none is, naming the closest and what
 * it misses) and why the gate failed, from the findings harness/analyze/ returns. results.json carries
 * these sentences (`recommendation.reason`, `recommendationReason`, `closest.misses`, `gate.failures`), so
 * they are made here once and every report repeats them.
 */
import type { GateAsked, GateFailure, GateVerdict, PointMiss, PointRef, RecommendationFinding, SweepAnalysis, SweepSummary } from '../model/sweep.ts';
import { settingsLabel, type GateOutcome, type RecommendationOutcome } from '../model/results.ts';
import { formatMeasured, formatMs, formatThreshold } from './format.ts';

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
  let reason = `${labelOf(point)} meets every criterion (${finding.qualifying} of ${finding.points} points do) with median import wall ${formatMs(point.wallMs)}`;
  reason +=
    tiedWith.length === 0
      ? ', the best'
      : `; ${tiedWith.map(labelOf).join(', ')} within ${finding.tieTolerance * 100} % of the best wall (${formatMs(finding.bestWallMs)}), ` +
        `so the lowest median catalog p99 decided: ${formatMs(point.catalogP99Ms)} against ${tiedWith.map((p) => formatMs(p.catalogP99Ms)).join(', ')}`;
  return {
    recommendation: { pointId: point.pointId, settings: point.settings, reason, tiedWith: tiedWith.map((p) => p.pointId) },
    reason,
    closest: null,
  };
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

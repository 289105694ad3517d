/**
 * A sweep's reports: the plan before it runs, progress while it runs, then per point its workload's
 * criteria and streams, the recommendation and the gate, as terminal text, summary.md and junit.xml.
 */
import type { PointResult } from '../model/sweep.ts';
import type { SweepPlan, TrialProgress } from '../model/sweep-plan.ts';
import type { SweepSummary } from '../model/sweep.ts';
import type { HostInfo, SweepPlanSummary } from '../model/results.ts';
import type { WorkloadResult } from '../model/workload.ts';
import { workloadBaselineJunitSuite, workloadBaselineLines } from './workload-baseline.ts';
import { formatDuration } from './format.ts';
import { criterionCaseName, criterionFailureMessage, incompleteRunSuite, junitCase, junitDocument, junitSuite, type CaseOutcome } from './junit.ts';
import { sweepStreamsTable, workloadSweepCriteriaTable } from './streams.ts';

/** A sweep's results as the reports read them: the run's header and its summary. */
export type SweepReport = SweepSummary & {
  scenario: string;
  startedAt: string;
  durationMs: number;
  host: HostInfo;
  complete: boolean;
  incompleteReason?: string;
  /**
   * The workload the trials ran or were to run, as a trial carries it (one that did not run: its criteria
   * unjudged): what names the sweep, its criteria and its streams when no trial reached analysis.
   */
  workload?: Pick<WorkloadResult, 'name' | 'criteria' | 'streams'>;
};

function axesText(plan: Pick<SweepPlanSummary, 'axes'>): string {
  return plan.axes.length === 0 ? 'nothing varied' : plan.axes.map((a) => `${a.key} = ${a.values.join(', ')}`).join(' x ');
}

/** What will run, printed before it starts: points, repeats, seed, order and the estimated duration. */
export function renderPlan(plan: SweepPlan, estimateMs: number | null): string {
  const lines = [
    `sweep on ${plan.base}: ${axesText(plan)}; ${plan.points.length} point(s) x ${plan.repeat} repeat(s) = ${plan.trials.length} trials, each on a fresh database`,
    `order: repeats interleaved, each round shuffled with seed ${plan.seed} (--seed ${plan.seed} runs the same order)`,
    ...Array.from({ length: plan.repeat }, (_, i) => `  round ${i + 1}: ${plan.trials.filter((t) => t.repeat === i + 1).map((t) => t.pointId).join(', ')}`),
    `estimated duration: ${estimateMs === null ? 'unknown' : formatDuration(estimateMs)}`,
  ];
  return `${lines.join('\n')}\n`;
}

/** `trial 3 of 9 (batchSize-10.r1): elapsed 40.0 s, ETA 1 min 20 s`. */
export function formatTrialProgress(progress: TrialProgress, trialId: string): string {
  const eta = progress.etaMs === null ? 'unknown' : formatDuration(progress.etaMs);
  return `trial ${progress.trial} of ${progress.of} (${trialId}): elapsed ${formatDuration(progress.elapsedMs)}, ETA ${eta}`;
}

/** The line that says what to use, or why nothing qualifies. */
function recommendationLine(summary: Pick<SweepSummary, 'recommendation' | 'recommendationReason'>): string {
  return summary.recommendation ? `recommended: ${summary.recommendationReason}` : `no recommendation: ${summary.recommendationReason}`;
}

function gateLine(report: SweepReport): string {
  const verdictText = !report.complete
    ? `no verdict (INCOMPLETE: ${report.incompleteReason ?? 'the run stopped early'})`
    : report.gate.pass
      ? 'PASS'
      : `FAIL: ${report.gate.failures.join('; ')}`;
  return `gate (${report.gate.gate}): ${verdictText}`;
}

/** An interrupted sweep says so before anything else: it has no verdict. */
function incompleteHeadline(report: SweepReport): string[] {
  return report.complete ? [] : [`INCOMPLETE, no verdict: ${report.incompleteReason ?? 'the run stopped early'}`];
}

function pointSuite(report: SweepReport, point: PointResult): string[] {
  const suite = `lockbench.${report.scenario}.${point.id}`;
  const gated = report.gate.gatedPoints.includes(point.id);
  // Only the gated point fails CI; the others show what they missed as skipped cases, never as a silent pass.
  const missed = (message: string, detail?: string): CaseOutcome =>
    gated ? { kind: 'failure', message, ...(detail === undefined ? {} : { detail }) } : { kind: 'skipped', message: `not gated: ${message}` };
  const incomplete = point.status === 'measured' ? undefined : `${point.status}: ${point.failedTrials.map((t) => `${t.trialId} ${t.status}`).join(', ')}`;
  const cases = point.criteria.map((criterion) =>
    junitCase(
      suite,
      criterionCaseName(criterion),
      !criterion.pass ? missed(criterionFailureMessage(criterion), criterion.reason) : incomplete ? missed(incomplete) : { kind: 'pass' },
    ),
  );
  if (cases.length === 0) cases.push(junitCase(suite, 'criteria', missed(incomplete ?? 'no criteria were evaluated')));
  return junitSuite(suite, cases, { seconds: 0, timestamp: report.startedAt });
}

/** One suite per point with a case per criterion, a gate case, and a case per gated baseline metric. */
export function renderSweepJunit(report: SweepReport): string {
  const suites = report.points.map((p) => pointSuite(report, p));
  if (report.gate.gate !== 'none') {
    const suite = `lockbench.${report.scenario}.gate`;
    const outcome: CaseOutcome = report.gate.pass ? { kind: 'pass' } : { kind: 'failure', message: report.gate.failures.join('; ') };
    suites.push(junitSuite(suite, [junitCase(suite, `gate: ${report.gate.gate}`, outcome)], { seconds: report.durationMs / 1000, timestamp: report.startedAt }));
  }
  if (report.workloadBaseline) suites.push(...workloadBaselineJunitSuite(report.workloadBaseline, report.scenario));
  if (!report.complete) suites.unshift(incompleteRunSuite(report, 'run: every trial ran to the end'));
  return junitDocument(`lockbench ${report.scenario}${report.complete ? '' : ': INCOMPLETE'}`, report.durationMs, suites);
}

/** How a workload's criteria judge a sweep's point. */
const WORKLOAD_POINT_CRITERIA = "criteria: the median over a point's completed repeats; a criterion passes at a point when it passed in every repeat";

/** Where a workload sweep's figures come from, and its trials that did not complete. */
function workloadSweepNotes(report: SweepReport): string[] {
  return [
    ...(report.complete ? [] : [`INCOMPLETE: ${report.incompleteReason ?? 'the run stopped early'}; figures are what was measured.`]),
    ...report.points.flatMap((p) => p.failedTrials.map((t) => `${t.trialId}: ${t.status}${t.error ? ` (${t.error})` : ''}`)),
    WORKLOAD_POINT_CRITERIA,
    'streams: requests and lock errors summed over the repeats, p50 and p99 the median of the repeats; criteria: those that failed in some repeat',
  ];
}

/** What a workload sweep's reports add for the default sweep, whose seed workload ranks its points. */
export interface WorkloadSweepOptions {
  /** The points are ranked (the workload has a `rank`): without a recommendation, the reason reads `no recommendation: ...` as any sweep's. */
  ranked?: boolean;
}

/**
 * A sweep from a workload (a file's, or the scenario's own): per point the workload's own criteria and its
 * streams, a point no trial of which completed judged by none; the point recommended by the workload's `rank`, or without
 * one which points met every criterion, none ranked; with `--gate`, the gate's verdict by the same criteria.
 */
export function renderWorkloadSweep(report: SweepReport, table: (header: string[], rows: string[][]) => string[], options: WorkloadSweepOptions = {}): string {
  const name = report.trials.find((t) => t.result.workload)?.result.workload?.name ?? report.workload?.name ?? '';
  const criteria = workloadSweepCriteriaTable(report.points, report.trials, report.workload?.criteria);
  const streams = sweepStreamsTable(report.points, report.trials, report.workload?.streams.map((s) => s.stream));
  return `${[
    ...incompleteHeadline(report),
    // The default sweep's seed workload is named as its scenario: its headline reads as it always has.
    `lockbench sweep${name === report.scenario ? '' : ` of workload ${name}`} on ${report.plan.base}: ${axesText(report.plan)}, ${report.plan.repeat} repeat(s), seed ${report.plan.seed}, ` +
      `${report.trials.length} trial(s) in ${formatDuration(report.durationMs)}, ${report.host.cpus} CPUs`,
    '',
    ...(criteria.rows.length > 0 ? table(criteria.header, criteria.rows) : ['the workload has no criteria: no point is judged']),
    '',
    ...table(streams.header, streams.rows),
    '',
    ...workloadSweepNotes(report),
    '',
    ...(report.workloadBaseline ? [...workloadBaselineLines(report.workloadBaseline, table), ''] : []),
    // Ranked by the workload's `rank`, a point is recommended as in any sweep; without one, the reason lists the points meeting every criterion.
    report.recommendation || options.ranked ? recommendationLine(report) : report.recommendationReason,
    ...(report.gate.gate === 'none' ? [] : [gateLine(report)]),
  ].join('\n')}\n`;
}

/**
 * A sweep's reports: the plan before it runs, progress while it runs, then one row per point (median
 * [min–max] of each metric, the requests behind each p99, the criteria), the recommendation and the
 * gate, as terminal text, summary.md and junit.xml.
 */
import { settingsLabel, SWEEP_METRICS, type SweepMetric } from '../model/results.ts';
import { FEW_REQUESTS, type PointMetric, type PointResult } from '../model/sweep.ts';
import type { SweepPlan, TrialProgress } from '../model/sweep-plan.ts';
import type { SweepSummary } from '../model/sweep.ts';
import { CONFIDENCE, repeatsForConfidence, type HostInfo, type SweepPlanSummary } from '../model/results.ts';
import { workloadBaselineJunitSuite, workloadBaselineLines } from './workload-baseline.ts';
import { formatDuration, formatThreshold, METRIC_NAMES, metricText, verdict } from './format.ts';
import { criterionCaseName, criterionFailureMessage, incompleteRunSuite, junitCase, junitDocument, junitSuite, type CaseOutcome } from './junit.ts';
import { markdownTable, renderWorkloadBaselineMarkdown } from './markdown.ts';
import { padTable } from './terminal.ts';
import { sweepStreamsTable, workloadSweepCriteriaTable } from './streams.ts';

/** A sweep's results as the reports read them: the run's header and its summary. */
export type SweepReport = SweepSummary & {
  scenario: string;
  startedAt: string;
  durationMs: number;
  host: HostInfo;
  complete: boolean;
  incompleteReason?: string;
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

/** `3,031 ms [3,012–3,060]`: a median, then a range or interval around it when its ends read differently. */
export function medianWithRange(name: SweepMetric, median: number | null, lo: number | null, hi: number | null): string {
  const text = metricText(median, name);
  const [low, high] = [metricText(lo, name), metricText(hi, name)];
  if (low === high) return text;
  const unit = / (ms|%)$/;
  return `${text} [${low.replace(unit, '')}–${high.replace(unit, '')}]`;
}

function spreadText(metric: PointMetric, name: SweepMetric): string {
  return medianWithRange(name, metric.median, metric.min, metric.max);
}

/** The requests behind a p99: `n=61*` (starred when under {@link FEW_REQUESTS}), a range when repeats differ. */
function requestsText(metric: PointMetric): string {
  const requests = metric.requests ?? [];
  if (requests.length === 0) return '';
  const low = Math.min(...requests);
  const high = Math.max(...requests);
  return ` n=${low === high ? low : `${low}–${high}`}${metric.fewRequests ? '*' : ''}`;
}

function metricCell(point: PointResult, name: SweepMetric): string {
  const metric = point.metrics[name];
  if (!metric) return point.repeats === 0 ? '-' : 'not measured';
  return `${spreadText(metric, name)}${requestsText(metric)}`;
}

function repeatsCell(point: PointResult): string {
  const ran = point.trialIds.length;
  return point.repeats === ran ? String(ran) : `${point.repeats} of ${ran}`;
}

function criteriaCell(point: PointResult): string {
  if (point.status === 'not-run') return 'not run';
  if (point.status === 'errored') return `errored (${point.failedTrials.length} trial(s))`;
  const missed = point.criteria.filter((c) => !c.pass).map((c) => c.id);
  if (point.status === 'partial') missed.push(`${point.failedTrials.length} trial(s) incomplete`);
  return missed.length === 0 ? verdict(true) : `${verdict(false)} ${missed.join(', ')}`;
}

/** One row per point: settings, repeats, median [min–max] of each metric (requests behind each p99), criteria. */
export function sweepTable(points: readonly PointResult[]): { header: string[]; rows: string[][] } {
  return {
    header: ['point', 'repeats', ...SWEEP_METRICS.map((m) => METRIC_NAMES[m]), 'criteria'],
    rows: points.map((p) => [settingsLabel(p), repeatsCell(p), ...SWEEP_METRICS.map((m) => metricCell(p, m)), criteriaCell(p)]),
  };
}

const percent = (share: number) => String(Math.round(share * 1000) / 10);

/** A confidence as reports print it: `50 %`, `93.8 %`. */
export function confidenceText(coverage: number): string {
  return `${percent(coverage)} %`;
}

/** One interval of a median: the confidence it has and the repeats it rests on. */
export interface IntervalBasis {
  coverage: number;
  repeats: number;
}

const spanText = (values: readonly number[], format: (v: number) => string) => {
  const sorted = [...new Set(values)].sort((a, b) => a - b);
  return sorted.length === 1 ? format(sorted[0]!) : `${format(sorted[0]!)}–${format(sorted.at(-1)!)}`;
};

/**
 * The confidence the intervals of the medians actually have, as terminal, summary.md and report.html
 * all say it: `50 %`, `75–93.8 %`; null when no interval rests on two repeats or more.
 */
export function intervalConfidence(intervals: readonly IntervalBasis[]): string | null {
  const real = intervals.filter((i) => i.repeats > 1);
  return real.length === 0 ? null : `${spanText(real.map((i) => i.coverage), percent)} %`;
}

/** What the intervals of the medians are and how sure they are, in one sentence for every report. */
export function intervalSentence(intervals: readonly IntervalBasis[]): string {
  const confidence = intervalConfidence(intervals);
  const needed = repeatsForConfidence();
  if (confidence === null) return 'intervals of the medians: none, one repeat per point has no interval';
  const repeats = spanText(intervals.filter((i) => i.repeats > 1).map((i) => i.repeats), String);
  const short = intervals.some((i) => i.repeats > 1 && i.repeats < needed);
  return (
    `intervals of the medians (order statistics, distribution-free): ${confidence} confidence with ${repeats} repeats` +
    (short ? `; below ${needed} repeats the interval is the range [min–max], and ${needed} or more reach ${confidenceText(CONFIDENCE)}` : '')
  );
}

/** The intervals behind a sweep's points. */
export function pointIntervals(points: readonly PointResult[]): IntervalBasis[] {
  return points.flatMap((p) => SWEEP_METRICS.flatMap((m) => {
    const metric = p.metrics[m];
    return metric ? [{ coverage: metric.ci95Coverage, repeats: metric.samples.length }] : [];
  }));
}

/** The intervals of the medians with the confidence each actually has. */
function intervalTable(points: readonly PointResult[]): { header: string[]; rows: string[][] } {
  const cell = (metric: PointMetric | null, name: SweepMetric) =>
    metric === null ? '-' : `${metricText(metric.ci95[0], name)} – ${metricText(metric.ci95[1], name)} (${confidenceText(metric.ci95Coverage)})`;
  return {
    header: ['point', ...SWEEP_METRICS.map((m) => METRIC_NAMES[m])],
    rows: points.map((p) => [settingsLabel(p), ...SWEEP_METRICS.map((m) => cell(p.metrics[m], m))]),
  };
}

/** The line that says what to use, or why nothing qualifies. */
export function recommendationLine(summary: Pick<SweepSummary, 'recommendation' | 'recommendationReason'>): string {
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

/** Failed trials, thin p99s, an interrupted run. */
export function sweepNotes(report: SweepReport): string[] {
  const notes: string[] = [];
  if (!report.complete) notes.push(`INCOMPLETE: ${report.incompleteReason ?? 'the run stopped early'}; figures are what was measured.`);
  for (const point of report.points) {
    for (const trial of point.failedTrials) notes.push(`${trial.trialId}: ${trial.status}${trial.error ? ` (${trial.error})` : ''}`);
  }
  if (report.points.some((p) => SWEEP_METRICS.some((m) => p.metrics[m]?.fewRequests))) {
    notes.push(`* p99 over fewer than ${FEW_REQUESTS} requests: close to the maximum of what was sent, not a tail estimate`);
  }
  // A default sweep's trials carry their seed workload, whose criteria judge each point as a workload's sweep does.
  const byWorkload = report.trials.some((t) => t.result.workload !== undefined);
  notes.push(`cells: median [min–max] over the repeats; n = requests inside the import window behind each p99${byWorkload ? '' : '; criteria judged on the medians'}`);
  if (byWorkload) notes.push(WORKLOAD_POINT_CRITERIA);
  notes.push(intervalSentence(pointIntervals(report.points)));
  return notes;
}

export function renderSweepTerminal(report: SweepReport): string {
  const { header, rows } = sweepTable(report.points);
  const lines = [
    ...incompleteHeadline(report),
    `lockbench sweep on ${report.plan.base}: ${axesText(report.plan)}, ${report.plan.repeat} repeat(s), seed ${report.plan.seed}, ` +
      `${report.trials.length} trial(s) in ${formatDuration(report.durationMs)}, ${report.host.cpus} CPUs`,
    '',
    ...padTable(header, rows),
    '',
    ...sweepNotes(report),
    '',
    recommendationLine(report),
    ...(report.workloadBaseline ? ['', ...workloadBaselineLines(report.workloadBaseline, padTable)] : []),
    gateLine(report),
  ];
  return `${lines.join('\n')}\n`;
}

export function renderSweepMarkdown(report: SweepReport): string {
  const table = sweepTable(report.points);
  const intervals = intervalTable(report.points);
  const thresholds = report.points.find((p) => p.criteria.length > 0)?.criteria ?? [];
  const confidence = intervalConfidence(pointIntervals(report.points));
  const lines = [
    `# lockbench sweep on ${report.plan.base}${report.complete ? '' : ': INCOMPLETE'}`,
    '',
    ...incompleteHeadline(report).flatMap((line) => [`**${line}**`, '']),
    `${axesText(report.plan)}; ${report.plan.repeat} repeat(s), interleaved and shuffled with seed ${report.plan.seed}; ` +
      `${report.trials.length} trial(s) in ${formatDuration(report.durationMs)}, started ${report.startedAt}, ${report.host.cpus} CPUs, node ${report.host.node}.`,
    '',
    `**${recommendationLine(report)}**`,
    '',
    ...markdownTable(table.header, table.rows),
    '',
    ...sweepNotes(report).map((n) => `- ${n}`),
    '',
    ...(thresholds.length > 0 ? [`Criteria: ${thresholds.map((c) => `${c.id} ${formatThreshold(c)}`).join('; ')}.`, ''] : []),
    `## Intervals of the medians${confidence === null ? '' : ` (${confidence} confidence)`}`,
    '',
    'Order-statistic intervals (distribution-free); in parentheses the confidence each actually has.',
    '',
    ...markdownTable(intervals.header, intervals.rows),
    '',
    ...(report.workloadBaseline ? renderWorkloadBaselineMarkdown(report.workloadBaseline) : []),
    `**${gateLine(report)}**`,
    '',
  ];
  return lines.join('\n');
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
export function workloadSweepNotes(report: SweepReport): string[] {
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

/** Whether a sweep's trials ran a workload (a workload file's, or the default sweep's seed): its reports are then a workload sweep's. */
export function sweptWorkload(report: Pick<SweepReport, 'trials'>): boolean {
  return report.trials.some((t) => t.result.workload !== undefined);
}

/**
 * A sweep from a workload: per point the workload's own criteria and its streams, instead of the
 * scenario's figures (which it did not send); the point recommended by the workload's `rank`, or without
 * one which points met every criterion, none ranked; with `--gate`, the gate's verdict by the same criteria.
 */
export function renderWorkloadSweep(report: SweepReport, table: (header: string[], rows: string[][]) => string[], options: WorkloadSweepOptions = {}): string {
  const name = report.trials.find((t) => t.result.workload)?.result.workload?.name ?? '';
  const criteria = workloadSweepCriteriaTable(report.points, report.trials);
  const streams = sweepStreamsTable(report.points, report.trials);
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

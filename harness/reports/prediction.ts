/**
 * The model's reports: a prediction's table and recommendation (`scenario:predict`), and prediction
 * beside measurement with the error and the accuracy verdicts (`scenario:sweep --predict`, `bench:model`),
 * as terminal text and Markdown.
 */
import { ACCURACY_TARGETS, type AccuracyTarget, type MetricComparison, type PredictedPoint, type PredictionComparison } from '../model/prediction.ts';
import { settingsLabel, SWEEP_METRICS, type RecommendationOutcome, type SampleSummary, type SweepAxis, type SweepMetric } from '../model/results.ts';
import { formatDuration, METRIC_NAMES, metricText, verdict } from './format.ts';
import { markdownTable } from './markdown.ts';
import { padTable } from './terminal.ts';

/** What `scenario:predict` computed, as its reports read it. */
export interface PredictionReport {
  base: string;
  axes: readonly SweepAxis[];
  points: readonly PredictedPoint[];
  outcome: RecommendationOutcome;
  runs: number;
  seed: number;
  /** Where the costs came from: the defaults' source or the calibration file. */
  costsSource: string;
  elapsedMs: number;
}

function axesText(axes: readonly SweepAxis[]): string {
  return axes.length === 0 ? 'nothing varied' : axes.map((a) => `${a.key} = ${a.values.join(', ')}`).join(' x ');
}

/** `3,071 ms [3,052–3,079]`: the median, then the range over the model's runs when they differ. */
function spreadText(summary: Pick<SampleSummary, 'median' | 'min' | 'max'> | null, metric: SweepMetric): string {
  if (summary === null) return 'not predicted';
  const median = metricText(summary.median, metric);
  if (summary.min === summary.max) return median;
  const unit = / (ms|%)$/;
  return `${median} [${metricText(summary.min, metric).replace(unit, '')}–${metricText(summary.max, metric).replace(unit, '')}]`;
}

function criteriaCell(point: PredictedPoint): string {
  const missed = point.criteria.filter((c) => !c.pass).map((c) => c.id);
  return missed.length === 0 ? verdict(true) : `${verdict(false)} ${missed.join(', ')}`;
}

export function predictionTable(points: readonly PredictedPoint[]): { header: string[]; rows: string[][] } {
  return {
    header: ['point', ...SWEEP_METRICS.map((m) => METRIC_NAMES[m]), 'criteria (predicted)'],
    rows: points.map((p) => [settingsLabel(p), ...SWEEP_METRICS.map((m) => spreadText(p.metrics[m], m)), criteriaCell(p)]),
  };
}

function predictionNotes(report: PredictionReport): string[] {
  const notes = [
    `cells: median [min–max] over ${report.runs} simulated trial(s) per point (seeds ${report.seed}–${report.seed + report.runs - 1}); criteria judged on the medians; no-loss is outside the model`,
    `costs: ${report.costsSource}`,
  ];
  const unfinished = report.points.filter((p) => p.unfinished > 0);
  if (unfinished.length > 0) notes.push(`model fault: ${unfinished.map((p) => `${settingsLabel(p)} left ${p.unfinished} arrival(s) unfinished`).join('; ')}`);
  return notes;
}

function recommendationText(outcome: RecommendationOutcome): string {
  return outcome.recommendation ? `predicted recommendation: ${outcome.reason}` : `no predicted recommendation: ${outcome.reason}`;
}

export function renderPredictionTerminal(report: PredictionReport): string {
  const { header, rows } = predictionTable(report.points);
  return `${[
    `lockbench prediction on ${report.base}: ${axesText(report.axes)}; ${report.points.length} point(s) predicted in ${formatDuration(report.elapsedMs)}, nothing started`,
    '',
    ...padTable(header, rows),
    '',
    ...predictionNotes(report),
    '',
    recommendationText(report.outcome),
  ].join('\n')}\n`;
}

function targetText(target: AccuracyTarget | undefined): string {
  if (target === undefined) return 'reported';
  switch (target.kind) {
    case 'relative':
      return `within ${target.tolerance * 100} %`;
    case 'relative-or-range':
      return `within ${target.tolerance * 100} % or in range`;
    case 'absolute':
      return `within ${target.tolerance * 100} points`;
  }
}

function errorText(c: MetricComparison): string {
  if (c.difference === null) return '-';
  if (c.metric === 'requestSuccessRate') return `${c.difference >= 0 ? '+' : ''}${(c.difference * 100).toFixed(2)} points`;
  if (c.metric === 'busyErrors') return `${c.difference >= 0 ? '+' : ''}${c.difference}`;
  return c.relativeError === null ? '-' : `${c.relativeError >= 0 ? '+' : ''}${(c.relativeError * 100).toFixed(1)} %`;
}

const VERDICT_TEXT: Record<MetricComparison['verdict'], string> = { hit: 'hit', miss: 'MISS', 'no-target': '-', 'not-measured': 'not measured' };

/** One row per point and metric: measured, predicted, error, target, verdict. */
export function comparisonTable(comparison: PredictionComparison): { header: string[]; rows: string[][] } {
  return {
    header: ['point', 'metric', 'measured median [min–max]', 'predicted median [min–max]', 'error', 'target', 'verdict'],
    rows: comparison.points.flatMap((p) =>
      p.metrics.map((c) => [
        settingsLabel({ id: p.pointId, settings: p.settings }),
        METRIC_NAMES[c.metric],
        spreadText(c.measured, c.metric),
        spreadText(c.predicted, c.metric),
        errorText(c),
        targetText(ACCURACY_TARGETS[c.metric]),
        VERDICT_TEXT[c.verdict] + (c.disagrees ? ' (ranges apart)' : ''),
      ]),
    ),
  };
}

/** The closing lines: hits per metric, and where the model and the measurement disagree beyond the measured spread. */
export function comparisonNotes(comparison: PredictionComparison): string[] {
  const hits = Object.entries(comparison.hits).map(([m, h]) => `${METRIC_NAMES[m as SweepMetric]} ${h.hits}/${h.of}`);
  const lines = [`hits against the targets: ${hits.join(', ')}`];
  if (comparison.disagreements.length === 0) {
    lines.push('model and measurement agree within the measured spread at every point (their ranges overlap)');
  } else {
    const where = comparison.disagreements.map(({ pointId, metric }) => {
      const point = comparison.points.find((p) => p.pointId === pointId)!;
      const c = point.metrics.find((m) => m.metric === metric)!;
      return `${settingsLabel({ id: pointId, settings: point.settings })} ${METRIC_NAMES[metric]} (measured ${spreadText(c.measured, metric)}, predicted ${spreadText(c.predicted, metric)})`;
    });
    lines.push(`model and measurement disagree beyond the measured spread (the ranges do not overlap) at ${comparison.disagreements.length} place(s): ${where.join('; ')}`);
  }
  return lines;
}

/**
 * The comparison's title: the model's own, apart from a sweep's workload criteria and streams, since it
 * compares the scenario's figures (import wall, catalog p99, ...) of the import flow the model simulates.
 */
/** `The model's ...`: a title at the head of a heading. */
export const capitalized = (text: string): string => `${text.charAt(0).toUpperCase()}${text.slice(1)}`;

export const MODEL_COMPARISON_TITLE = "the model's prediction beside measurement, over the scenario's figures";

export function renderComparisonTerminal(comparison: PredictionComparison): string {
  const { header, rows } = comparisonTable(comparison);
  return `${[MODEL_COMPARISON_TITLE, '', ...padTable(header, rows), '', ...comparisonNotes(comparison)].join('\n')}\n`;
}

export function renderComparisonMarkdown(comparison: PredictionComparison, costsSource: string): string {
  const { header, rows } = comparisonTable(comparison);
  return `${['', `## ${capitalized(MODEL_COMPARISON_TITLE)}`, '', `Costs: ${costsSource}.`, '', ...markdownTable(header, rows), '', ...comparisonNotes(comparison).map((n) => `- ${n}`), ''].join('\n')}\n`;
}

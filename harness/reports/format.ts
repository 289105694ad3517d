/** How figures read in every report: one place, so the terminal, Markdown and JUnit agree. */
import { METRIC_UNITS, SWEEP_METRICS, type SweepMetric } from '../model/results.ts';
import type { ConditionResult, CriterionResult, DriverInfo, LockCrossCheck, MeasuredValue, NotJudged, ProfileResult, RunProfiles, RunResults } from '../model/results.ts';

/** From this many milliseconds up a figure is shown whole: a tenth of a millisecond no longer tells anything there. */
export const WHOLE_MS_FROM = 100;

/** How {@link formatMs} writes a figure. Every field is optional. */
export interface MsFormat {
  /** Decimals below {@link MsFormat.wholeFromMs}. Default 1. */
  digits?: number;
  /** Decimals below 10 ms, for figures that are often a fraction of a millisecond. Default: `digits`. */
  digitsBelow10?: number;
  /**
   * From this size up (either sign), whole milliseconds with thousands separators. Default
   * {@link WHOLE_MS_FROM}; `Infinity` keeps `digits` decimals at every size, without separators.
   */
  wholeFromMs?: number;
  /** `+` before a figure >= 0, for a difference. Default false. */
  signed?: boolean;
  /** Append ` ms`. Default true; false in a cell whose column or neighbour names the unit. */
  unit?: boolean;
  /** What a missing figure reads as. Default `not measured`. */
  missing?: string;
}

/**
 * A millisecond figure as every report and the observer show one: `3,061 ms`, `13.9 ms`, `0.43`,
 * `+1.25`, `not measured`. Whole from {@link WHOLE_MS_FROM} ms up, else one decimal unless `format` says.
 */
export function formatMs(value: number | null | undefined, format: MsFormat = {}): string {
  if (value === null || value === undefined) return format.missing ?? 'not measured';
  const size = Math.abs(value);
  const digits = size < 10 ? (format.digitsBelow10 ?? format.digits ?? 1) : (format.digits ?? 1);
  const figure = size >= (format.wholeFromMs ?? WHOLE_MS_FROM) ? Math.round(value).toLocaleString('en-US') : value.toFixed(digits);
  return `${format.signed && value >= 0 ? '+' : ''}${figure}${format.unit === false ? '' : ' ms'}`;
}

/** `1,234 ms`, `3.2 ms`, `99.80 %`, `500 rows`, `ok`. */
export function formatValue(value: MeasuredValue | null, unit: string): string {
  if (value === null) return 'not measured';
  if (typeof value === 'boolean') return value ? 'ok' : 'not ok';
  switch (unit) {
    case 'ms':
      return formatMs(value);
    case 'ratio':
      return `${(value * 100).toFixed(2)} %`;
    case 'rows':
      return `${value.toLocaleString('en-US')} rows`;
    case 'count':
      return value.toLocaleString('en-US');
    case 'per-second':
      return `${value.toFixed(1)}/s`;
    default:
      return `${value} ${unit}`;
  }
}

/** How each figure a sweep or a baseline compares is named in every report (terminal, Markdown, HTML, JUnit). */
export const METRIC_NAMES: Record<SweepMetric, string> = {
  importWallMs: 'import wall',
  maxLockHoldMs: 'max lock hold',
  catalogP99Ms: 'catalog p99',
  workflowWriteP99Ms: 'workflow p99',
  requestSuccessRate: 'success',
  busyErrors: 'busy errors',
};

/** Whether a metric name (a results.json key) is one the reports have a name and a unit for. */
export function isSweepMetric(metric: string): metric is SweepMetric {
  return (SWEEP_METRICS as readonly string[]).includes(metric);
}

/** A metric's unit as a column or an axis says it: `ms`, `%`, `count`. */
export function metricUnitLabel(metric: SweepMetric): string {
  const unit = METRIC_UNITS[metric];
  return unit === 'ratio' ? '%' : unit === 'errors' ? 'count' : unit;
}

/** Whether a metric counts things, so its axis has whole numbers only. */
export function isCountMetric(metric: SweepMetric): boolean {
  return METRIC_UNITS[metric] === 'errors';
}

/** `import wall (ms)`, `success (%)`, `busy errors (count)`: a metric as an axis or a column header names it. */
export function metricTitle(metric: SweepMetric): string {
  return `${METRIC_NAMES[metric]} (${metricUnitLabel(metric)})`;
}

/** A compared figure: `3,031 ms`, `99.80 %`, `2` busy errors. */
export function metricText(value: number | null, metric: SweepMetric): string {
  if (value === null) return formatMs(null);
  if (isCountMetric(metric)) return (Math.round(value * 10) / 10).toLocaleString('en-US');
  return formatValue(value, METRIC_UNITS[metric]);
}

function formatBound(condition: Pick<ConditionResult, 'comparison' | 'threshold' | 'thresholdMetric' | 'unit'>): string {
  if (condition.thresholdMetric !== undefined) return `${condition.comparison} ${condition.thresholdMetric}`;
  if (typeof condition.threshold === 'boolean') return `${condition.comparison} ${condition.threshold ? 'ok' : 'not ok'}`;
  return `${condition.comparison} ${formatValue(condition.threshold, condition.unit)}`;
}

/** `< 500 ms`; `== artifactsExpected, integrityOk == ok`. */
export function formatThreshold(criterion: CriterionResult): string {
  const requires = criterion.requires.map((r) => `${r.metric} ${formatBound(r)}`);
  return [formatBound(criterion), ...requires].join(', ');
}

/** What a criterion that was not judged reads as, in place of its figure. */
export const NOT_JUDGED: Record<NotJudged, string> = { 'partial-run': 'not measured (partial run)', 'not-run': 'not run' };

/**
 * The measured side of a criterion in a cell: `3,210 ms`, `500 / 500 rows`, `498 / 500 rows, integrity not ok`;
 * `not measured (partial run)` for a figure over part of a run, which is never judged.
 */
export function formatMeasured(criterion: CriterionResult): string {
  if (criterion.notJudged !== undefined) return NOT_JUDGED[criterion.notJudged];
  if (criterion.measured === null) return formatValue(null, criterion.unit);
  let text =
    criterion.thresholdMetric !== undefined && typeof criterion.measured === 'number' && typeof criterion.threshold === 'number'
      ? `${criterion.measured.toLocaleString('en-US')} / ${formatValue(criterion.threshold, criterion.unit)}`
      : formatValue(criterion.measured, criterion.unit);
  for (const requirement of criterion.requires) {
    if (!requirement.pass) text += `, ${requirement.metric} ${formatValue(requirement.measured, requirement.unit)}`;
  }
  return text;
}

export function verdict(pass: boolean): string {
  return pass ? 'pass' : 'FAIL';
}

/** The run's headline word: INCOMPLETE before anything else, as an incomplete run has no verdict. */
export function runVerdict(results: Pick<RunResults, 'complete' | 'pass'>): 'PASS' | 'FAIL' | 'INCOMPLETE' {
  if (!results.complete) return 'INCOMPLETE';
  return results.pass ? 'PASS' : 'FAIL';
}

/** What the gate says: `PASS`, `FAIL`, or `no verdict (INCOMPLETE: <why>)`. */
export function gateVerdict(results: Pick<RunResults, 'complete' | 'pass' | 'incompleteReason'>): string {
  const word = runVerdict(results);
  return word === 'INCOMPLETE' ? `no verdict (INCOMPLETE: ${results.incompleteReason ?? 'the run stopped early'})` : word;
}

/** `3 profile(s)`, or `1 of 3 profile(s) ran to the end` when some did not. */
export function profilesRan(results: RunProfiles): string {
  const completed = results.profiles.filter((p) => p.status === 'completed').length;
  const total = results.profiles.length;
  return completed === total ? `${total} profile(s)` : `${completed} of ${total} profile(s) ran to the end`;
}

/** A profile's column heading: `staged (gated)`. */
export function profileHeading(profile: ProfileResult): string {
  return profile.gated ? `${profile.name} (gated)` : profile.name;
}

/** The gate's verdict on one criterion: pass only when every gated profile passed it. */
export function gateCell(results: RunProfiles, id: string, find: (profile: ProfileResult, id: string) => { pass: boolean } | undefined): string {
  const gated = results.profiles.filter((p) => p.gated);
  if (gated.length === 0) return '-';
  if (gated.some((p) => p.status !== 'completed')) return 'no verdict';
  return verdict(gated.every((p) => p.status === 'completed' && find(p, id)?.pass === true));
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return formatMs(ms, { digits: 0 });
  const seconds = ms / 1000;
  if (seconds < 120) return `${seconds.toFixed(1)} s`;
  return `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`;
}

/** `builtin driver (undici 7.30.2)`, `k6 2.2.0`: which driver measured, as every report names it. */
export function formatDriver(driver: DriverInfo): string {
  return driver.name === 'builtin' ? `builtin driver (undici ${driver.version ?? 'unknown'})` : `k6 ${driver.version ?? 'unknown'}`;
}

/** A figure with the number of samples it rests on: `29.1 ms (63)`. */
export function withSamples(valueMs: number | null, samples: number | null): string {
  return samples === null ? formatMs(valueMs) : `${formatMs(valueMs)} (${samples.toLocaleString('en-US')})`;
}

/** One row of a figures table: a label and how each profile's cell reads. */
export type FigureRow = [label: string, cell: (profile: ProfileResult) => string];

/** A figures table as cells: one column per profile, headed by `title`. */
export function figuresTable(results: RunProfiles, rows: readonly FigureRow[], title = 'figure'): { header: string[]; rows: string[][] } {
  return {
    header: [title, ...results.profiles.map((p) => p.name)],
    rows: rows.map(([label, cell]) => [label, ...results.profiles.map(cell)]),
  };
}

/** Per profile: agree, FAULT or not checked, for one line of the terminal report. */
export function crossCheckLine(results: RunProfiles): string | null {
  const checked = results.profiles.filter((p) => p.observed !== null);
  if (checked.length === 0) return null;
  return `lock observer vs self-reported figures (reported, not gating): ${checked.map((p) => `${p.name} ${crossCheckWord(p.observed!.crossCheck)}`).join(', ')}; details in summary.md`;
}

/** The cross-check's outcome as a reader reads it: `agree`, `FAULT`, `not checked`. */
export function crossCheckWord(check: Pick<LockCrossCheck, 'outcome'>): string {
  return CROSS_CHECK_WORDS[check.outcome];
}
const CROSS_CHECK_WORDS: Record<LockCrossCheck['outcome'], string> = { agree: 'agree', fault: 'FAULT', 'not-checked': 'not checked' };

/** Counts in words, most first: `HTTP 500 x3, timeout x1`. */
export const tally = (counts: Record<string, number>, label: (key: string) => string = (k) => k): string =>
  Object.entries(counts)
    .sort((a, b) => b[1] - a[1])
    .map(([key, n]) => `${label(key)} x${n.toLocaleString('en-US')}`)
    .join(', ');

/** The client error of a request the run's own stop aborted (Ctrl-C). */
export const ABORTED = 'aborted';

const megabytes = (bytes: number): string => `${(bytes / (1024 * 1024)).toFixed(1)} MB`;

/** The target's memory and the WAL over the load: start, peak, end. */
export function resourcesLine(profile: ProfileResult): string | null {
  const r = profile.resources?.summary;
  if (!r || r.samples === 0) return null;
  const series = (label: string, v: { start: number; peak: number; end: number } | null) =>
    v === null ? `${label} not measured` : `${label} ${megabytes(v.start)} -> peak ${megabytes(v.peak)} -> ${megabytes(v.end)}`;
  return `${profile.name}: ${series('target RSS', r.targetRssBytes)}; ${series('WAL', r.walBytes)} (${r.samples} samples, 1 a second)`;
}

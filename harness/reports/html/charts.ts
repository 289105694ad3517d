/**
 * The report's charts as Vega-Lite specs over chart data (see timeline.ts, latency.ts). Times on the
 * time axes are seconds since the profile's origin, so its timeline and latency chart line up.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { CriterionResult } from '../../model/results.ts';
import { interpolatedPercentile as percentile } from '../../shared/percentile.ts';
import { formatMs, formatValue, isCountMetric, isSweepMetric, METRIC_NAMES, metricTitle, metricUnitLabel } from '../format.ts';
import type { BaselineMetric, MetricSpread, Recommendation, SweepPoint } from './input.ts';
import { MARKED_PERCENTILES, percentileCurve, type LatencyPoints } from './latency.ts';
import { hueKey, type BarHue, type SpanSource, type TimelineData } from './timeline.ts';

/**
 * Width of the time charts' plot area, in px. With the timeline's row labels the chart is about 1,200 px
 * wide: the page scales every chart down to its column (see page.ts), and at this width the labels of a
 * 1,000 px window still read at about 9 px.
 */
export const TIME_CHART_WIDTH = 900;
/** The longest a timeline row label is drawn, in px; longer ones (an import's request id) end in an ellipsis. */
const ROW_LABEL_LIMIT = 260;
/**
 * Room left of the time charts' plot for the y axis, in px: the same in the timeline (row labels) and
 * the latency chart (tick labels and title), so that with equal widths their time axes line up.
 */
const TIME_Y_AXIS_PX = ROW_LABEL_LIMIT + 10;
/** What the latency chart's y title takes of that room: the title's line and its padding. */
const Y_TITLE_PX = 16;
/** Height of one lane (observed or self-reported) of a timeline row, in px. */
const LANE_HEIGHT = 9;

const SOURCE_COLORS: Record<SpanSource, string> = { observed: '#1f4e79', 'self-reported': '#e6842a' };
/**
 * A stream's colour and its lighter shade (a hold that was one of several requests of that stream), in
 * stream name order: vega's category20 pairs without its orange, which is the self-reported holds'.
 */
const STREAM_COLORS: readonly (readonly [string, string])[] = [
  ['#1f77b4', '#aec7e8'],
  ['#2ca02c', '#98df8a'],
  ['#9467bd', '#c5b0d5'],
  ['#d62728', '#ff9896'],
  ['#8c564b', '#c49c94'],
  ['#e377c2', '#f7b6d2'],
  ['#bcbd22', '#dbdb8d'],
  ['#17becf', '#9edae5'],
];
/**
 * Each stream's colour pair, by its place among all of a profile's streams in name order: the timeline and
 * the latency chart colour a stream alike.
 */
function streamColors(streams: readonly string[]): Map<string, readonly [string, string]> {
  return new Map([...new Set(streams)].sort().map((stream, i) => [stream, STREAM_COLORS[i % STREAM_COLORS.length]!]));
}

/** Holds no one stream can be named for: requests of several streams in flight, or none. */
const UNATTRIBUTED_COLORS = { 'across-streams': '#8c8c8c', 'no-request': '#cfcfcf' } as const;
/**
 * Observed holds of processes outside the target beside attributed ones: a dark grey, as they belong to
 * no stream, where the observed blue would read as the first stream's.
 */
const NOT_TARGET_COLOR = '#404040';
/** Every colour a hold can be drawn in, for the tests that find the bars. */
export const HOLD_FILLS: readonly string[] = [...Object.values(SOURCE_COLORS), ...STREAM_COLORS.flat(), ...Object.values(UNATTRIBUTED_COLORS), NOT_TARGET_COLOR];
const WINDOW_COLOR = '#f2c94c';
const MARK_COLOR = '#c0392b';
/**
 * The longest hold's label is drawn over a white halo of this width (px) so it reads wherever it falls:
 * over the dark observed bar, the orange self-reported one or the shaded window. MARK_COLOR on white
 * has a contrast of 5.4:1 (WCAG AA asks 4.5:1 for text).
 */
export const LABEL_HALO_PX = 4;
/** The colour of the longest hold's label and outline, and of thresholds. */
export const LABEL_COLOR = MARK_COLOR;
export const LABEL_HALO_COLOR = '#ffffff';

/** A window shaded on the time charts, in seconds since the origin, with its name (`imports window`). */
export interface TimeWindow {
  label: string;
  startS: number;
  endS: number;
}

/** The shared time axis: its domain in seconds since the origin, and the windows criteria judge in. */
export interface TimeAxis {
  domainS: [number, number];
  /** Each window a criterion judged in; empty when none is known. */
  windows: TimeWindow[];
}

const seconds = (ms: number) => ms / 1000;

function timeX(axis: TimeAxis) {
  return { field: 'start', type: 'quantitative', scale: { domain: axis.domainS, nice: false, zero: false }, title: 'seconds since the first request or hold' } as const;
}

/** Each window as a shaded band behind a time chart, labelled at its top. */
function windowLayers(axis: TimeAxis) {
  if (axis.windows.length === 0) return [];
  const data = { values: axis.windows.map((w) => ({ start: w.startS, end: w.endS, label: w.label })) };
  return [
    { data, mark: { type: 'rect', color: WINDOW_COLOR, opacity: 0.22 }, encoding: { x: timeX(axis), x2: { field: 'end' } } },
    {
      data,
      // Just above the plot, clear of the bars.
      mark: { type: 'text', align: 'left', baseline: 'bottom', dx: 2, dy: -2, color: '#8a6d00', fontSize: 10 },
      encoding: { x: timeX(axis), y: { value: 0 }, text: { field: 'label' } },
    },
  ];
}

/** How the legend names a colour. */
function hueLabel(hue: BarHue): string {
  if (hue.kind === 'stream') return hue.exact ? hue.stream : `${hue.stream}: one of several`;
  if (hue.kind === 'across-streams') return 'across streams';
  if (hue.kind === 'no-request') return 'no request in flight';
  return hue.source === 'observed' ? 'not the target' : 'self-reported';
}

/** The timeline's colours, in legend order: each stream then its lighter "one of several", the unattributed, who timed the rest. */
function timelineColors(data: TimelineData, allStreams: readonly string[]): { domain: string[]; range: string[]; keys: Map<string, string> } {
  const seen = new Map(data.bars.map((b) => [hueKey(b.hue), b.hue]));
  const hues: [BarHue, string][] = [];
  const colors = streamColors([...allStreams, ...(data.streams ?? [])]);
  for (const stream of data.streams ?? []) {
    const [exact, oneOf] = colors.get(stream)!;
    hues.push([{ kind: 'stream', stream, exact: true }, exact], [{ kind: 'stream', stream, exact: false }, oneOf]);
  }
  hues.push([{ kind: 'across-streams' }, UNATTRIBUTED_COLORS['across-streams']], [{ kind: 'no-request' }, UNATTRIBUTED_COLORS['no-request']]);
  const attributed = data.streams !== null;
  hues.push([{ kind: 'source', source: 'observed' }, attributed ? NOT_TARGET_COLOR : SOURCE_COLORS.observed], [{ kind: 'source', source: 'self-reported' }, SOURCE_COLORS['self-reported']]);
  const shown = hues.filter(([hue]) => seen.has(hueKey(hue)));
  // Without attribution the two sources keep the names they always had.
  const label = (hue: BarHue) => (!attributed && hue.kind === 'source' ? hue.source : hueLabel(hue));
  return { domain: shown.map(([hue]) => label(hue)), range: shown.map(([, color]) => color), keys: new Map(shown.map(([hue]) => [hueKey(hue), label(hue)])) };
}

/**
 * The Gantt chart: one row per holder, two lanes (observed, self-reported), the windows criteria judge in
 * shaded, the longest hold outlined and labelled with its duration. Colour says who timed a hold, or,
 * where the run attributed the target's holds, the stream each observed hold was attributed to.
 * `allStreams`: the profile's streams, so that each has the colour the latency chart gives it.
 */
export function timelineSpec(data: TimelineData, axis: TimeAxis, allStreams: readonly string[] = []): TopLevelSpec {
  const sources = (['observed', 'self-reported'] as const).filter((s) => data.bars.some((b) => b.source === s));
  const colors = timelineColors(data, allStreams);
  // Holds far shorter than a pixel are drawn a pixel wide, so each one shows.
  const pixelS = (axis.domainS[1] - axis.domainS[0]) / TIME_CHART_WIDTH;
  const bars = data.bars.map((b) => ({ row: b.row, source: b.source, hue: colors.keys.get(hueKey(b.hue)), start: seconds(b.startMs), end: Math.max(seconds(b.endMs), seconds(b.startMs) + pixelS) }));
  const y = { field: 'row', type: 'nominal', sort: data.rows, axis: { title: null, labelLimit: ROW_LABEL_LIMIT, labelFontSize: 11, minExtent: TIME_Y_AXIS_PX, maxExtent: TIME_Y_AXIS_PX } } as const;
  const yOffset = { field: 'source', type: 'nominal', sort: sources, scale: { domain: sources } } as const;
  const color = { field: 'hue', type: 'nominal', scale: { domain: colors.domain, range: colors.range } } as const;
  const legendTitle = data.streams === null ? 'write lock held, timed by' : 'write lock held, observed hold by stream';
  const layers: unknown[] = [
    ...windowLayers(axis),
    {
      data: { values: bars },
      mark: { type: 'bar' },
      encoding: {
        y,
        yOffset,
        x: timeX(axis),
        x2: { field: 'end' },
        color: { ...color, legend: { orient: 'top', title: legendTitle, titleLimit: 400, direction: 'horizontal', columns: 4, labelLimit: 300 } },
      },
    },
  ];
  if (data.longest) {
    const { longest } = data;
    const durationMs = longest.endMs - longest.startMs;
    const label = `longest hold ${formatMs(durationMs)} (${longest.source})`;
    const [d0, d1] = axis.domainS;
    // Beside the bar, on the side with room; over a halo, so the bars it crosses never hide it.
    const leftOfBar = (seconds(longest.endMs) - d0) / (d1 - d0) > 0.7;
    const mark = { row: longest.row, source: longest.source, start: seconds(longest.startMs), end: seconds(longest.endMs), label };
    const text = {
      type: 'text',
      fontWeight: 'bold',
      fontSize: 11,
      align: leftOfBar ? 'right' : 'left',
      dx: leftOfBar ? -5 : 5,
    } as const;
    const at = { y, yOffset, x: { ...timeX(axis), field: 'at' }, text: { field: 'label' } };
    const labelled = { values: [{ ...mark, at: leftOfBar ? mark.start : mark.end }] };
    layers.push(
      { data: { values: [mark] }, mark: { type: 'bar', fill: null, stroke: MARK_COLOR, strokeWidth: 2 }, encoding: { y, yOffset, x: timeX(axis), x2: { field: 'end' } } },
      { data: labelled, mark: { ...text, color: LABEL_HALO_COLOR, stroke: LABEL_HALO_COLOR, strokeWidth: LABEL_HALO_PX, strokeJoin: 'round' }, encoding: at },
      { data: labelled, mark: { ...text, color: LABEL_COLOR }, encoding: at },
    );
  }
  return {
    width: TIME_CHART_WIDTH,
    height: Math.max(1, data.rows.length) * (sources.length * LANE_HEIGHT + 8),
    layer: layers,
  } as TopLevelSpec;
}

/** Every request as a point, sent time against latency on a log scale, coloured by stream as the timeline colours it; failures as crosses. */
export function latencySpec(data: LatencyPoints, axis: TimeAxis): TopLevelSpec {
  const colors = streamColors(data.points.map((p) => p.stream));
  const values = data.points.map((p) => ({ stream: p.stream, start: seconds(p.sentMs), latencyMs: Math.max(p.latencyMs, 0.01), outcome: p.failed ? 'failed' : 'answered', requests: p.requests }));
  return {
    width: TIME_CHART_WIDTH,
    height: 260,
    layer: [
      ...windowLayers(axis),
      {
        data: { values },
        mark: { type: 'point', filled: true, size: 14, opacity: 0.6 },
        encoding: {
          x: timeX(axis),
          y: {
            field: 'latencyMs',
            type: 'quantitative',
            scale: { type: 'log' },
            title: 'latency (ms, log scale)',
            axis: { minExtent: TIME_Y_AXIS_PX - Y_TITLE_PX, maxExtent: TIME_Y_AXIS_PX - Y_TITLE_PX },
          },
          color: { field: 'stream', type: 'nominal', scale: { domain: [...colors.keys()], range: [...colors.values()].map(([exact]) => exact) }, legend: { orient: 'top', title: 'stream' } },
          shape: { field: 'outcome', type: 'nominal', scale: { domain: ['answered', 'failed'], range: ['circle', 'cross'] }, legend: { orient: 'top', title: null } },
        },
      },
    ],
  } as TopLevelSpec;
}

/** A threshold drawn on a stream's percentile chart: the criterion that judges that stream's latency. */
export interface LatencyThreshold {
  label: string;
  ms: number;
}

/** One stream's percentile curve over the whole run and over the requests sent in the window its latency is judged in. */
export interface StreamDistribution {
  stream: string;
  whole: readonly number[];
  /** The latencies of the requests sent inside that window (`label`: `imports window`); null when none judges it in one. */
  inWindow: { label: string; latencies: readonly number[] } | null;
  thresholds: LatencyThreshold[];
}

/** `1 / (1 - q)`: the log axis that spreads the tail (p90, p99, p99.9 equally apart). */
function tailX(percentile: number): number {
  return 1 / (1 - percentile / 100);
}

/** One percentile chart per stream, side by side: the curve, p50/p95/p99 marked, the criterion's threshold drawn. */
export function distributionSpec(streams: readonly StreamDistribution[]): TopLevelSpec {
  const y = { field: 'latencyMs', type: 'quantitative', scale: { type: 'log' }, title: 'latency (ms, log scale)' } as const;
  const charts = streams.map((s) => {
    // Out to the power of ten past the highest percentile the samples resolve (1 / (1 - q) = n).
    const top = Math.max(10, 10 ** Math.ceil(Math.log10(Math.max(2, s.whole.length))));
    const x = {
      field: 'x',
      type: 'quantitative',
      scale: { type: 'log', domain: [1, top] },
      title: 'percentile',
      axis: { values: [1, 2, 10, 100, 1000, 10_000, 100_000, 1_000_000].filter((v) => v <= top), labelExpr: "datum.value == 1 ? 'p0' : 'p' + format(100 - 100 / datum.value, '.4~f')" },
    } as const;
    const series = [
      { name: `whole run (${s.whole.length})`, sorted: s.whole },
      ...(s.inWindow && s.inWindow.latencies.length > 0 ? [{ name: `${s.inWindow.label} (${s.inWindow.latencies.length})`, sorted: s.inWindow.latencies }] : []),
    ];
    const curve = series.flatMap((c) => percentileCurve(c.sorted).map((p) => ({ series: c.name, x: tailX(p.percentile), latencyMs: Math.max(p.latencyMs, 0.01) })));
    const marks = series.flatMap((c) =>
      MARKED_PERCENTILES.filter((p) => tailX(p) <= c.sorted.length).map((p) => {
        const latency = percentile(c.sorted, p)!;
        return { series: c.name, x: tailX(p), latencyMs: Math.max(latency, 0.01), label: `p${p} ${formatMs(latency)}` };
      }),
    );
    const seriesScale = { domain: series.map((c) => c.name), range: ['#1f77b4', '#9467bd'] };
    return {
      title: { text: s.stream, anchor: 'start', fontSize: 13 },
      width: 280,
      height: 200,
      layer: [
        {
          data: { values: curve },
          mark: { type: 'line', interpolate: 'step-after' },
          encoding: { x, y, color: { field: 'series', type: 'nominal', scale: seriesScale, legend: { orient: 'bottom', title: null, direction: 'vertical', labelLimit: 260 } }, strokeDash: { field: 'series', type: 'nominal', scale: { domain: seriesScale.domain } } },
        },
        { data: { values: marks }, mark: { type: 'point', filled: true, size: 30 }, encoding: { x, y, color: { field: 'series', type: 'nominal', scale: seriesScale } } },
        { data: { values: marks.filter((m) => m.series === series[0]!.name) }, mark: { type: 'text', align: 'left', baseline: 'top', dx: 4, dy: 3, fontSize: 10 }, encoding: { x, y, text: { field: 'label' } } },
        ...(s.thresholds.length === 0
          ? []
          : [
              { data: { values: s.thresholds }, mark: { type: 'rule', color: MARK_COLOR, strokeDash: [5, 3] }, encoding: { y: { field: 'ms', type: 'quantitative' } } },
              { data: { values: s.thresholds }, mark: { type: 'text', align: 'left', baseline: 'bottom', x: 2, dy: -2, color: MARK_COLOR, fontSize: 10 }, encoding: { y: { field: 'ms', type: 'quantitative' }, text: { field: 'label' } } },
            ]),
      ],
      resolve: { scale: { color: 'shared' } },
    };
  });
  return { hconcat: charts, resolve: { scale: { color: 'independent', strokeDash: 'independent' } } } as TopLevelSpec;
}

/** A metric's name as a chart title says it, or the key itself for one the reports do not name. */
function metricName(metric: string): string {
  return isSweepMetric(metric) ? METRIC_NAMES[metric] : metric;
}

/** How a metric reads on an axis: `import wall (ms)`, `success (%)`, `busy errors (count)`. */
function metricAxisTitle(metric: string): string {
  return isSweepMetric(metric) ? metricTitle(metric) : metric;
}

/** Ratios are drawn as percentages. */
function metricScale(metric: string): number {
  return isSweepMetric(metric) && metricUnitLabel(metric) === '%' ? 100 : 1;
}

/**
 * A metric's y axis: counts in whole numbers from 0 (at least 0 to 1, so all-zero counts do not draw a
 * scale of `0.000000`), other figures on a scale fitted to the values, or from 0 for bars.
 */
function metricY(metric: string, field: string, values: readonly { hi: number }[], fromZero = false) {
  if (isSweepMetric(metric) && isCountMetric(metric)) {
    const top = Math.max(1, ...values.map((v) => v.hi));
    return { field, type: 'quantitative', title: metricAxisTitle(metric), scale: { domain: [0, top], nice: true }, axis: { format: 'd', tickMinStep: 1 } } as const;
  }
  return { field, type: 'quantitative', title: metricAxisTitle(metric), scale: { zero: fromZero } } as const;
}

/** The varied settings of a sweep: those whose value differs between points. */
export function variedSettings(points: readonly SweepPoint[]): string[] {
  const keys = [...new Set(points.flatMap((p) => Object.keys(p.settings)))];
  return keys.filter((k) => new Set(points.map((p) => String(p.settings[k]))).size > 1);
}

function settingsLabel(settings: Record<string, unknown>, keys: readonly string[]): string {
  return keys.map((k) => `${k}=${String(settings[k])}`).join(' ');
}

/** Numeric thresholds of the criteria that judge `metric`, from any point. */
function thresholdsOf(criteria: readonly CriterionResult[], metric: string): { label: string; value: number }[] {
  return criteria
    .filter((c) => c.metric === metric && typeof c.threshold === 'number')
    .map((c) => ({ label: `${c.id} ${c.comparison} ${formatValue(c.threshold, c.unit)}`, value: (c.threshold as number) * metricScale(metric) }));
}

/**
 * A sweep: each metric's median against the varied value, the interval of the median as an error bar, the
 * criterion's threshold drawn, the recommended value marked. With two varied settings the second
 * colours the lines.
 */
export function sweepSpec(points: readonly SweepPoint[], recommendation: Recommendation | null): TopLevelSpec {
  const varied = variedSettings(points);
  const xKey = varied[0] ?? Object.keys(points[0]?.settings ?? {})[0] ?? 'point';
  const seriesKeys = varied.slice(1);
  const numericX = points.every((p) => typeof p.settings[xKey] === 'number');
  const order = [...points].sort((a, b) => (numericX ? (a.settings[xKey] as number) - (b.settings[xKey] as number) : 0)).map((p) => String(p.settings[xKey]));
  const recommended = (p: SweepPoint) =>
    recommendation?.settings != null && Object.entries(recommendation.settings).every(([k, v]) => String(p.settings[k]) === String(v));
  const metrics = [...new Set(points.flatMap((p) => Object.keys(p.metrics)))];
  const x = { field: 'value', type: 'ordinal', sort: [...new Set(order)], title: xKey, axis: { labelAngle: 0 } } as const;
  const charts = metrics.map((metric) => {
    const scale = metricScale(metric);
    const values = points.flatMap((p) => {
      const m = p.metrics[metric];
      if (!m || m.median === null) return [];
      return [{
        value: String(p.settings[xKey]),
        series: seriesKeys.length > 0 ? settingsLabel(p.settings, seriesKeys) : metric,
        median: m.median * scale,
        lo: (m.ci95?.[0] ?? m.median) * scale,
        hi: (m.ci95?.[1] ?? m.median) * scale,
        recommended: recommended(p) ? 'recommended' : 'other',
      }];
    });
    const thresholds = thresholdsOf(points.flatMap((p) => p.criteria), metric).filter((t, i, all) => all.findIndex((o) => o.label === t.label) === i);
    const y = metricY(metric, 'median', values);
    const color = { field: 'series', type: 'nominal', legend: seriesKeys.length > 0 ? { orient: 'bottom', title: seriesKeys.join(' ') } : null } as const;
    return {
      title: { text: metricName(metric), anchor: 'start', fontSize: 13 },
      width: 280,
      height: 180,
      layer: [
        { data: { values }, mark: { type: 'rule' }, encoding: { x, y: metricY(metric, 'lo', values), y2: { field: 'hi' }, color } },
        { data: { values }, mark: { type: 'line', point: { filled: true, size: 40 } }, encoding: { x, y, color } },
        {
          data: { values: values.filter((v) => v.recommended === 'recommended') },
          mark: { type: 'point', shape: 'diamond', size: 220, stroke: MARK_COLOR, strokeWidth: 2, filled: false },
          encoding: { x, y },
        },
        ...(thresholds.length === 0
          ? []
          : [
              { data: { values: thresholds }, mark: { type: 'rule', color: MARK_COLOR, strokeDash: [5, 3] }, encoding: { y: { field: 'value', type: 'quantitative' } } },
              { data: { values: thresholds }, mark: { type: 'text', align: 'left', baseline: 'bottom', x: 2, dy: -2, color: MARK_COLOR, fontSize: 10 }, encoding: { y: { field: 'value', type: 'quantitative' }, text: { field: 'label' } } },
            ]),
      ],
    };
  });
  return { concat: charts, columns: 3, resolve: { scale: { color: 'independent', y: 'independent' } } } as TopLevelSpec;
}

function spreadOf(value: number | MetricSpread | null): { median: number; lo: number; hi: number } | null {
  if (value === null) return null;
  if (typeof value === 'number') return { median: value, lo: value, hi: value };
  if (value.median === null) return null;
  return { median: value.median, lo: value.ci95?.[0] ?? value.median, hi: value.ci95?.[1] ?? value.median };
}

/** A baseline comparison: per metric (and profile), old and new side by side, with their intervals where known. */
export function baselineSpec(metrics: readonly BaselineMetric[]): TopLevelSpec {
  const groups = [...new Set(metrics.map((m) => m.metric))];
  const charts = groups.map((metric) => {
    const scale = metricScale(metric);
    const values = metrics
      .filter((m) => m.metric === metric)
      .flatMap((m) =>
        (['old', 'new'] as const).flatMap((run) => {
          const spread = spreadOf(m[run]);
          if (!spread) return [];
          const subject = m.profile ?? metric;
          return [{ subject, run, median: spread.median * scale, lo: spread.lo * scale, hi: spread.hi * scale, verdict: m.verdict ?? '' }];
        }),
      );
    const x = { field: 'subject', type: 'nominal', title: null, axis: { labelAngle: 0 } } as const;
    const color = { field: 'run', type: 'nominal', scale: { domain: ['old', 'new'], range: ['#9e9e9e', '#1f77b4'] }, legend: { orient: 'bottom', title: null } } as const;
    const verdicts = [...new Set(metrics.filter((m) => m.metric === metric).map((m) => m.verdict).filter((v) => v !== undefined))];
    return {
      title: { text: metricName(metric), subtitle: verdicts.join(', ') || ' ', anchor: 'start', fontSize: 13 },
      width: { step: 36 },
      height: 160,
      layer: [
        { data: { values }, mark: { type: 'bar' }, encoding: { x, xOffset: { field: 'run', sort: ['old', 'new'] }, y: metricY(metric, 'median', values, true), color } },
        { data: { values }, mark: { type: 'rule', color: 'black' }, encoding: { x, xOffset: { field: 'run', sort: ['old', 'new'] }, y: { field: 'lo', type: 'quantitative' }, y2: { field: 'hi' } } },
      ],
    };
  });
  return { concat: charts, columns: 4, resolve: { scale: { y: 'independent' } } } as TopLevelSpec;
}

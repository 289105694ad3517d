/**
 * report.html: one self-contained page (inline SVG charts and CSS, no script, no network) with the
 * workload's criteria and streams, per profile its lock timeline, latency over time and latency
 * distribution and its configuration; for a sweep the criteria and streams per point, each stream's p99
 * against the varied value, and per point the charts of the repeat that stands for it; for a baseline comparison the
 * figures beside the earlier run's. Every chart scales down to the page's column (its SVG viewBox),
 * so all of it is in view from a 1,000 px window up.
 */
import { startedMs } from '../../model/request-times.ts';
import type { CriterionResult, ProfileResult } from '../../model/results.ts';
import { formatDuration, formatMeasured, formatThreshold, gateVerdict, isSweepMetric, METRIC_NAMES, metricText, profileHeading, runVerdict, verdict } from '../format.ts';
import { profileNoteText, runNotes } from '../notes.ts';
import { judgesWindowedLatency, WINDOWED_LATENCY_LEGEND, windowedLatencyTable } from '../windowed-latency.ts';
import {
  baselineSpec,
  distributionSpec,
  latencySpec,
  sweepSpec,
  timelineSpec,
  variedSettings,
  type StreamDistribution,
  type TimeAxis,
} from './charts.ts';
import { driverOf, type BaselineComparison, type ReportHtmlInput, type ReportResults, type SweepPoint } from './input.ts';
import type { Timeline } from '../../model/timeline.ts';
import { latenciesByStream, latencyPoints } from './latency.ts';
import { criteriaMarks, type CriteriaMarks } from './criteria-marks.ts';
import { predictionSection } from './prediction.ts';
import { sendLagSection } from './send-lag.ts';
import { renderSvg } from './svg.ts';
import { timelineData } from './timeline.ts';
import { median } from 'simple-statistics';
import { describedRun, profileSettingsTable, runFacts, settingMeaningsTable, streamDefinitionsTable } from '../run-description.ts';
import { runSubject, streamP99sAt, streamsTable, sweepStreamsTable, workloadCriteriaRows, workloadCriteriaTable, workloadName, workloadSweepCriteriaTable, type SweepTrialStreams } from '../streams.ts';

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function table(header: readonly string[], rows: readonly (readonly string[])[], cellClass?: (row: number, column: number) => string | null): string {
  const head = `<tr>${header.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr>`;
  const body = rows
    .map((r, i) => `<tr>${r.map((c, j) => {
      const cls = cellClass?.(i, j);
      return `<td${cls ? ` class="${cls}"` : ''}>${escapeHtml(c)}</td>`;
    }).join('')}</tr>`)
    .join('\n');
  return `<table>\n<thead>${head}</thead>\n<tbody>\n${body}\n</tbody>\n</table>`;
}

const verdictClass = (pass: boolean | undefined) => (pass === undefined ? null : pass ? 'pass' : 'fail');

/** A judged criterion's cell class; none for one absent or not judged. */
const judgedClass = (c: { pass: boolean; notJudged?: unknown } | undefined) => (c === undefined || c.notJudged !== undefined ? null : verdictClass(c.pass));

/** A section's id: letters, digits and dashes only, so a link to it works. */
function anchor(id: string): string {
  return `profile-${id.replace(/[^A-Za-z0-9-]+/g, '-')}`;
}

/** Every chart of the page, numbered so their SVG ids stay unique. */
class Charts {
  private count = 0;
  async figure(kind: string, spec: Parameters<typeof renderSvg>[0], caption: string, owner?: string): Promise<string> {
    this.count += 1;
    const svg = await renderSvg(spec, `c${this.count}`);
    const of = owner === undefined ? '' : ` data-profile="${escapeHtml(owner)}"`;
    return `<figure class="chart" data-chart="${kind}"${of}>\n${svg}\n<figcaption>${caption}</figcaption>\n</figure>`;
  }
}

/** The time axis of a profile: from the first request or hold to the last, the windows its criteria judged in. */
function timeAxis(marks: CriteriaMarks, timeline: Timeline): { originMs: number; axis: TimeAxis } | null {
  const starts: number[] = [];
  const ends: number[] = [];
  const add = (start: number, end: number) => {
    starts.push(start);
    ends.push(end);
  };
  for (const s of timeline.samples ?? []) add(startedMs(s), startedMs(s));
  const spans = timeline.spans;
  if (spans) {
    for (const s of [...spans.target, ...spans.workflowWriters, ...(spans.observed?.writeSpans ?? [])]) add(s.startMs, s.endMs);
    if (spans.observed) add(spans.observed.windowStartMs, spans.observed.windowEndMs);
  }
  if (starts.length === 0) return null;
  const originMs = starts.reduce((a, b) => Math.min(a, b));
  const endMs = ends.reduce((a, b) => Math.max(a, b));
  const s = (ms: number) => (ms - originMs) / 1000;
  return {
    originMs,
    axis: {
      domainS: [0, Math.max(s(endMs), 0.001)],
      windows: marks.windows.map((w) => ({ label: w.label, startS: s(w.startMs), endS: s(w.endMs) })),
    },
  };
}

/** What the shaded bands are, and which criteria judge inside each; empty without a band. */
function bandsSentence(marks: CriteriaMarks): string {
  if (marks.windows.length === 0) return '';
  const each = marks.windows.map((w) => {
    const ids = marks.judgedIn.get(w.label) ?? [];
    return `the ${escapeHtml(w.label)}${ids.length > 0 ? ` (${escapeHtml(ids.join(', '))} judged inside it)` : ''}`;
  });
  return ` The shaded band${marks.windows.length > 1 ? 's are' : ' is'} ${each.join('; ')}.`;
}

async function profileCharts(profile: ProfileResult, id: string, timeline: Timeline | undefined, charts: Charts): Promise<string[]> {
  if (!timeline || (!timeline.spans && !timeline.samples)) return ['<p class="missing">No lock spans or request samples were recorded for this profile.</p>'];
  const marks = criteriaMarks(profile);
  const time = timeAxis(marks, timeline);
  // Spans and samples exist but hold nothing to draw (a trial that stopped before its load).
  if (!time) return ['<p class="missing">The lock spans and request samples of this profile are empty.</p>'];
  const parts: string[] = [];
  const bands = bandsSentence(marks);
  // A workload has its own streams: the captions say only what its charts show.
  if (timeline.spans) {
    const data = timelineData(timeline.spans, time.originMs);
    const merged = data.bars.length < data.holds ? ` Holds shorter than 1 ms that follow each other closely are merged: ${data.holds.toLocaleString('en-US')} holds drawn as ${data.bars.length.toLocaleString('en-US')} bars.` : '';
    const selfReported = timeline.spans.target.length + timeline.spans.workflowWriters.length > 0;
    const observer = !timeline.spans.observed
      ? 'The observer did not watch this profile: only the holders\' own spans are shown.'
      : data.streams === null
        ? 'Observed: the external lock observer saw that process holding the write lock (placed in the row of the hold it overlaps). Self-reported: the holder timed its own transaction.'
        : 'Each hold the external lock observer saw the target take is coloured by the stream of the requests in flight while it was held: the full colour when one request was, the lighter shade when it was one of several requests of that stream, grey when requests of several streams were in flight or none.' +
          (selfReported ? ' Observed holds sit in the row of the self-reported hold they overlap, if any; self-reported holds (the holder timed its own transaction) are orange.' : '');
    // Only what this profile had: side writers, and holders that timed their own holds.
    const sideWriters = timeline.spans.workflowWriters.length > 0 ? ', the side writers split by SQL stream and thread' : '';
    parts.push(
      await charts.figure(
        'timeline',
        timelineSpec(data, time.axis, (timeline.samples ?? []).map((r) => r.stream)),
        `<b>Lock timeline.</b> Who held the SQLite write lock when: one row per holder process (by command and pid)${sideWriters}. ${observer}${bands} The outlined bar is the longest hold.${merged}`,
        id,
      ),
    );
  } else parts.push('<p class="missing">No lock spans were recorded for this profile.</p>');
  if (timeline.samples && timeline.samples.length > 0) {
    const points = latencyPoints(timeline.samples, time.originMs);
    const binned = points.binned ? ` ${points.requests.toLocaleString('en-US')} requests: the slowest 1 % of each stream and every failure drawn one by one, the rest binned (${points.points.length.toLocaleString('en-US')} points).` : '';
    parts.push(
      await charts.figure(
        'latency',
        latencySpec(points, time.axis),
        `<b>Latency over time.</b> Every request at the time it was sent, against its latency (first byte sent to last byte read), by stream; crosses failed.${bands}${binned}`,
        id,
      ),
    );
    const samples = timeline.samples;
    const insideWindow = (stream: string) => {
      const window = marks.windowOf(stream);
      if (window === null) return null;
      const inside = samples.filter((r) => r.stream === stream && startedMs(r) >= window.startMs && startedMs(r) <= window.endMs);
      return { label: window.label, latencies: latenciesByStream(inside).get(stream) ?? [] };
    };
    const streams: StreamDistribution[] = [...latenciesByStream(samples)].map(([stream, whole]) => ({ stream, whole, inWindow: insideWindow(stream), thresholds: marks.thresholdsOf(stream) }));
    const dashed = streams.some((s) => s.thresholds.length > 0) ? "; a criterion's threshold dashed" : '';
    const judgedInside = streams.some((s) => s.inWindow !== null) ? " The second curve is the requests sent inside the window the stream's latency is judged in." : '';
    parts.push(
      await charts.figure(
        'distribution',
        distributionSpec(streams),
        `<b>Latency distribution</b> per stream: the latency at each percentile (k6's definition, as the criteria use it), the tail spread out on a log axis; p50, p95 and p99 marked${dashed}.${judgedInside}`,
        id,
      ),
    );
  } else parts.push('<p class="missing">No request samples were recorded for this profile.</p>');
  return parts;
}

function configTable(profile: ProfileResult): string {
  const flags = Object.entries(profile.config.flags).map(([k, v]) => [k, v]);
  const resolved = Object.entries(profile.config.target ?? {}).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]);
  return [
    '<div class="columns">',
    `<div><h4>flags</h4>${table(['flag', 'value'], flags)}</div>`,
    `<div><h4>configuration the target reported</h4>${resolved.length > 0 ? table(['setting', 'value'], resolved) : '<p class="missing">not reported</p>'}</div>`,
    '</div>',
  ].join('\n');
}

function criteriaTable(criteria: ProfileResult['criteria']): string {
  return table(
    ['criterion', 'threshold', 'measured', 'verdict'],
    criteria.map((c) => [c.id, formatThreshold(c), `${formatMeasured(c)}${c.basis ? ` (${c.basis})` : ''}`, c.notJudged ? 'not judged' : verdict(c.pass)]),
    (row, column) => (column === 3 && !criteria[row]!.notJudged ? verdictClass(criteria[row]!.pass) : null),
  );
}

/** One profile's workload criteria, each verdict coloured. */
function workloadCriteriaTableOf(profile: ProfileResult): string {
  const [header, rows] = workloadCriteriaRows(profile);
  const criteria = profile.workload?.criteria ?? [];
  return table(header, rows, (row, column) => (column === 3 ? judgedClass(criteria[row]) : null));
}

async function profileSection(profile: ProfileResult, id: string, timelines: readonly Timeline[], charts: Charts): Promise<string> {
  const timeline = timelines.find((t) => t.id === id);
  const status = profile.status === 'completed' ? '' : ` (${profile.status}${profile.error ? `: ${profile.error}` : ''})`;
  const judged = profile.status === 'completed';
  const outcome = !judged ? 'not judged' : profile.gated ? verdict(profile.pass) : profile.pass ? 'meets the criteria' : 'misses criteria';
  return [
    `<section id="${anchor(id)}" class="profile">`,
    `<h2>${escapeHtml(id === profile.name ? profileHeading(profile) : `${id} (${profile.name})`)}: <span class="${judged ? verdictClass(profile.pass) : ''}">${escapeHtml(outcome)}</span>${escapeHtml(status)}</h2>`,
    ...(await profileCharts(profile, id, timeline, charts)),
    '<details open><summary>criteria</summary>',
    workloadCriteriaTableOf(profile),
    '</details>',
    '<details open><summary>configuration</summary>',
    configTable(profile),
    '</details>',
    ...(profile.notes.length > 0 ? ['<ul class="notes">', ...profile.notes.map((n) => `<li>${escapeHtml(profileNoteText(n))}</li>`), '</ul>'] : []),
    '</section>',
  ].join('\n');
}

/** A row whose figures (`2,131 ms / 9,196 ms (310)`) may break only around their slash; the label wraps as it will. */
function breakOnlyAtSlash(row: readonly string[]): string[] {
  return row.map((cell, column) => (column === 0 ? cell : cell.replace(/ (?!\/)(?<!\/ )/g, '\u00a0')));
}

/** A run's workload's criteria side by side, and its streams, in its own words. */
function criteriaSection(results: ReportResults): string {
  const criteria = workloadCriteriaTable(results);
  const streams = streamsTable(results);
  const windowed = windowedLatencyTable(results);
  return [
    '<section id="criteria">',
    '<h2>Criteria</h2>',
    table(criteria.header, criteria.rows, (row, column) => {
      const id = criteria.rows[row]![0]!;
      const profile = results.profiles[column - 2];
      if (profile) return profile.status === 'completed' ? judgedClass(profile.workload?.criteria.find((c) => c.id === id)) : null;
      return column === criteria.header.length - 1 && criteria.rows[row]![column] !== '-' ? verdictClass(criteria.rows[row]![column] === 'pass') : null;
    }),
    // The judged latency beside the whole run's, so a diluted figure cannot pass unseen; a figure breaks
    // only between its p50 and its p99, so four profiles fit a 1,000 px window.
    ...(judgesWindowedLatency(results)
      ? ['<h3>Latency judged inside a window</h3>', `<p>${escapeHtml(WINDOWED_LATENCY_LEGEND)}</p>`, table(windowed.header, windowed.rows.map(breakOnlyAtSlash), (_, column) => (column > 0 ? null : 'label'))]
      : []),
    '<h3>Streams</h3>',
    table(streams.header, streams.rows),
    '</section>',
  ].join('\n');
}

function settingsText(settings: Record<string, unknown>): string {
  return Object.entries(settings).map(([k, v]) => `${k}=${String(v)}`).join(' ');
}

/** A sweep's trials, each with its result and point. */
type SweepTrial = NonNullable<ReportResults['trials']>[number];

function trialsOf(results: ReportResults, point: SweepPoint): SweepTrial[] {
  return point.trialIds.flatMap((id) => (results.trials ?? []).filter((t) => (t.id ?? t.name) === id));
}

const capitalized = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/**
 * The criterion a point's repeats are told apart by: the first of its workload's (in the workload's order)
 * with a median, so every completed repeat measured it. results.json keeps no `rank`, so the first of those
 * stands for the point, whatever the workload.
 */
function representativeCriterion(point: SweepPoint): (CriterionResult & { measured: number }) | undefined {
  return point.criteria.find((c): c is CriterionResult & { measured: number } => typeof c.measured === 'number');
}

/**
 * The trial whose charts stand for a point: the completed repeat whose figure of the point's
 * {@link representativeCriterion} is nearest the point's median (the first in run order among equals), else
 * the first completed, else the first trial; and the criterion it was picked by, if any.
 */
export function shownTrial(point: SweepPoint, trials: readonly SweepTrial[]): { trial: SweepTrial | undefined; by: string | null } {
  const completed = trials.filter((t) => t.status === 'completed');
  const by = representativeCriterion(point);
  if (by === undefined || completed.length === 0) return { trial: completed[0] ?? trials[0], by: null };
  const figure = (t: SweepTrial) => t.workload?.criteria.find((c) => c.id === by.id)?.measured ?? null;
  const distance = (t: SweepTrial) => {
    const value = figure(t);
    return value === null ? Infinity : Math.abs(value - by.measured);
  };
  return { trial: completed.reduce((best, t) => (distance(t) < distance(best) ? t : best)), by: by.id };
}

/**
 * A sweep's criteria section: the table of criteria by point (one column per point from `firstPointColumn`,
 * each cell coloured by that point's verdict on the row's criterion), or what is missing, then `after`.
 */
function pointCriteriaSection(
  t: { header: string[]; rows: string[][]; points: readonly SweepPoint[]; firstPointColumn: number },
  missing: string,
  ...after: string[]
): string {
  return [
    '<section id="criteria">',
    '<h2>Criteria</h2>',
    t.rows.length === 0
      ? `<p class="missing">${missing}</p>`
      : table(t.header, t.rows, (row, column) => {
          const point = t.points[column - t.firstPointColumn];
          return point ? verdictClass(point.criteria.find((c) => c.id === t.rows[row]![0])?.pass) : null;
        }),
    ...after,
    '</section>',
  ].join('\n');
}

/** A sweep's trials as the workload's sweep tables read them. */
function sweepTrialStreams(results: ReportResults): SweepTrialStreams[] {
  return (results.trials ?? []).map((t) => ({ pointId: t.pointId ?? '', result: t }));
}

const tableParts = ({ header, rows }: { header: string[]; rows: string[][] }): [string[], string[][]] => [header, rows];

/** A workload's criteria per point, side by side: the medians over the repeats, a pass in every repeat. */
function sweepCriteriaSection(results: ReportResults, points: readonly SweepPoint[]): string {
  const { header, rows } = workloadSweepCriteriaTable(points, sweepTrialStreams(results));
  return pointCriteriaSection(
    { header, rows, points, firstPointColumn: 2 },
    'The workload has no criteria, or no point was measured: no criterion was judged.',
    "<p>The workload's own criteria. Each figure is the median over the point's completed repeats; a criterion passes at a point when it passed in every repeat.</p>",
  );
}

/** Each point with, as its figures, every stream's p99 over the repeats (`orders p99 (ms)`): what the sweep chart draws for a workload. */
function streamP99Points(points: readonly SweepPoint[], trials: readonly SweepTrialStreams[]): SweepPoint[] {
  return points.map((point) => {
    const metrics: SweepPoint['metrics'] = {};
    for (const [stream, p99s] of streamP99sAt(point.id, trials)) {
      metrics[`${stream} p99 (ms)`] = { median: median(p99s), min: Math.min(...p99s), max: Math.max(...p99s), ci95: null, confidence: null, samples: p99s.length };
    }
    return { ...point, metrics };
  });
}

/** A workload's sweep: the point its `rank` recommends (or which points met every criterion, none ranked), each stream's p99 against the varied value, and per point its streams. */
async function sweepSection(results: ReportResults, points: readonly SweepPoint[], charts: Charts): Promise<string> {
  const trials = sweepTrialStreams(results);
  const streams = sweepStreamsTable(points, trials);
  // Ranked by the workload's `rank`, a point is recommended; without one, the reason names the points meeting every criterion.
  const recommended = results.recommendation?.settings;
  return [
    '<section id="sweep">',
    `<h2>Sweep: ${escapeHtml(variedSettings(points).join(' x ') || 'settings')}</h2>`,
    recommended
      ? `<p class="recommendation">Recommended: <b>${escapeHtml(settingsText(recommended))}</b>. ${escapeHtml(results.recommendation?.reason ?? '')}</p>`
      : `<p class="recommendation">${escapeHtml(capitalized(results.recommendation?.reason ?? ''))}.</p>`,
    await charts.figure('sweep', sweepSpec(streamP99Points(points, trials), results.recommendation ?? null), '<b>Each stream\'s p99 against the varied value:</b> the median over the repeats of each repeat\'s p99.'),
    '<h3>Streams</h3>',
    table(streams.header, streams.rows),
    '<p class="notes">Requests and lock errors (fast / timed out) summed over the repeats; p50 and p99 the median of the repeats; criteria: those that failed in some repeat.</p>',
    '</section>',
  ].join('\n');
}

/** One point of a sweep: its verdict, the charts of the trial that stands for it, its criteria and that trial's configuration. */
async function pointSection(results: ReportResults, point: SweepPoint, timelines: readonly Timeline[], charts: Charts): Promise<string> {
  const trials = trialsOf(results, point);
  const { trial: shown, by } = shownTrial(point, trials);
  const id = shown ? (shown.id ?? shown.name) : point.id;
  const others = trials.map((t) => t.id ?? t.name).filter((t) => t !== id);
  // As shownTrial picks it: by the first of the workload's criteria the point has a median of, else the first completed.
  const chosen = by !== null ? `the repeat whose ${by} is nearest the point's median` : shown?.status === 'completed' ? 'its first completed repeat' : 'its first trial (none completed)';
  const which = shown
    ? `Charts of <b>${escapeHtml(id)}</b>${others.length > 0 ? `, ${escapeHtml(chosen)}; the other repeats' spans and samples (${escapeHtml(others.join(', '))}) are in the report folder` : ''}.`
    : 'No trial of this point ran.';
  const failed = point.failedTrials.map((t) => `<li>${escapeHtml(`${t.trialId}: ${t.status}${t.error ? ` (${t.error})` : ''}`)}</li>`);
  return [
    `<section id="${anchor(point.id)}" class="point">`,
    `<h2>${escapeHtml(settingsText(point.settings))}: <span class="${verdictClass(point.pass)}">${point.pass ? 'meets every criterion' : 'misses criteria'}</span> (${point.repeats} of ${point.trialIds.length} repeats)</h2>`,
    `<p>${which}</p>`,
    ...(shown ? await profileCharts(shown, id, timelines.find((t) => t.id === id), charts) : []),
    "<details open><summary>the workload's criteria: the medians over the repeats, a pass in every repeat</summary>",
    point.criteria.length > 0 ? criteriaTable(point.criteria) : '<p class="missing">No criterion was judged: no repeat completed.</p>',
    '</details>',
    '<details open><summary>streams, over the repeats</summary>',
    table(...tableParts(sweepStreamsTable([point], sweepTrialStreams(results)))),
    '</details>',
    ...(shown ? [`<details><summary>configuration of ${escapeHtml(id)}</summary>`, configTable(shown), '</details>'] : []),
    ...(failed.length > 0 ? ['<ul class="notes">', ...failed, '</ul>'] : []),
    '</section>',
  ].join('\n');
}

async function baselineSection(baseline: BaselineComparison, charts: Charts): Promise<string> {
  const figure = (metric: string, v: number | { median: number | null } | null) => {
    const value = v === null || typeof v === 'number' ? v : v.median;
    if (value === null) return '-';
    return isSweepMetric(metric) ? metricText(value, metric) : String(Math.round(value * 100) / 100);
  };
  const rows = baseline.metrics.map((m) => [
    isSweepMetric(m.metric) ? METRIC_NAMES[m.metric] : m.metric,
    m.profile ?? '',
    figure(m.metric, m.old),
    figure(m.metric, m.new),
    m.changePct === undefined || m.changePct === null ? '-' : `${m.changePct >= 0 ? '+' : ''}${m.changePct.toFixed(1)} %`,
    m.verdict ?? '-',
  ]);
  return [
    '<section id="baseline">',
    `<h2>Against the baseline${baseline.source ? ` ${escapeHtml(baseline.source)}` : ''}</h2>`,
    await charts.figure('baseline', baselineSpec(baseline.metrics), '<b>Old and new side by side</b> per metric, with the interval of the median where the runs had repeats.'),
    table(['metric', 'profile', 'old', 'new', 'change', 'verdict'], rows, (row, column) =>
      column === 5 ? (baseline.metrics[row]!.verdict === 'worse' ? 'fail' : baseline.metrics[row]!.verdict === 'better' ? 'pass' : null) : null,
    ),
    '</section>',
  ].join('\n');
}

function driverAndHost(results: ReportResults): string {
  const driver = driverOf(results);
  const host = results.host;
  return `<div><h4>driver and host</h4>${table(['', ''], [
    ['driver', driver ? `${driver.name} ${driver.version ?? '(version unknown)'}` : 'not recorded'],
    ['CPUs', `${host.cpus} (${host.cpuModel})`],
    ['memory', `${(host.totalMemoryBytes / 2 ** 30).toFixed(1)} GiB`],
    ['Node', host.node],
    ['platform', host.platform],
    ['started', results.startedAt],
    ['took', formatDuration(results.durationMs)],
  ])}</div>`;
}

/**
 * What ran: the workload and the target, each stream as it ran, and the settings each profile (or trial)
 * ran the target with. The scenario's options did nothing beyond the workload, so they are not listed.
 */
function runSection(results: ReportResults): string {
  const input = describedRun(results);
  const streams = streamDefinitionsTable(input);
  const profiles = profileSettingsTable(input);
  const meanings = settingMeaningsTable(input);
  // Paths, commands and sentences may break anywhere, so that no table is wider than the window; names and executors stay whole.
  const sends = streams.header.indexOf('sends');
  return [
    '<section id="run">',
    '<h2>Run</h2>',
    '<div class="columns">',
    driverAndHost(results),
    `<div class="grow"><h4>workload and target</h4>${table(['', ''], runFacts(input), (_, column) => (column === 1 ? 'any' : 'keep'))}</div>`,
    '</div>',
    '<h4>streams</h4>',
    table(streams.header, streams.rows, (_, column) => (column === sends ? 'any' : column <= 2 || column === 4 ? 'keep' : null)),
    `<h4>${isSweep(results) ? 'trials' : 'profiles'}: the settings each ran the target with</h4>`,
    // A sweep's trial ids are long and unbroken; a profile's name is short.
    table(profiles.header, profiles.rows, (_, column) => (column === 0 ? (isSweep(results) ? 'any' : 'keep') : null)),
    ...(meanings.rows.length > 0 ? [table(meanings.header, meanings.rows, (_, column) => (column === 0 ? 'keep' : null))] : []),
    '</section>',
  ].join('\n');
}

const STYLE = `
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; margin: 24px auto; max-width: 1280px; padding: 0 16px; color: #222; }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 18px; margin: 28px 0 8px; border-bottom: 1px solid #ddd; padding-bottom: 4px; } h4 { margin: 8px 0 4px; font-size: 13px; }
table { border-collapse: collapse; margin: 6px 0 12px; font-size: 13px; } th, td { border: 1px solid #ddd; padding: 3px 8px; text-align: left; vertical-align: top; } th { background: #f5f5f5; }
.pass { color: #1b7f3b; font-weight: 600; } .fail { color: #b3261e; font-weight: 600; } td.fail { background: #fdecea; } td.pass { background: #eaf6ec; }
figure.chart { margin: 12px 0 20px; overflow-x: auto; } figure.chart svg { display: block; max-width: 100%; height: auto; } figcaption { font-size: 12.5px; color: #555; max-width: 960px; margin-top: 4px; }
.columns { display: flex; flex-wrap: wrap; gap: 24px; } .columns > div { min-width: 0; } .columns td { overflow-wrap: anywhere; } .missing { color: #777; font-style: italic; } nav a { margin-right: 12px; } summary { cursor: pointer; font-weight: 600; margin: 6px 0; }
.notes { font-size: 13px; color: #444; } .recommendation { font-size: 15px; }
`;

/**
 * The Run section breaks paths and commands anywhere, keeps names whole and gives the workload's facts the
 * room left; a table still wider than the window (a sweep's criteria over many points,
 * each headed by its settings) scrolls inside itself instead of the whole page.
 */
const WORKLOAD_PAGE_STYLE = `.columns > div.grow { flex: 1 1 360px; } td.any { overflow-wrap: anywhere; } td.keep { white-space: nowrap; } td.label { min-width: 18em; }
section table { display: block; max-width: 100%; overflow-x: auto; }
`;

const isSweep = (results: ReportResults) => (results.points?.length ?? 0) > 0;

/**
 * The page's title: the scenario (a workload run: the workload's name, as the terminal says it) and its
 * verdict; for a sweep what it varied and what it found.
 */
export function pageTitle(results: ReportResults): string {
  const workload = workloadName([...results.profiles, ...(results.trials ?? [])]);
  // As the terminal's headline: the default run's seed is named as its scenario.
  const what = workload === null ? results.scenario : runSubject(results);
  if (!isSweep(results)) return `lockbench ${what}: ${runVerdict(results)}`;
  const axes = results.plan?.axes.map((a) => `${a.key} = ${a.values.join(', ')}`).join(' x ') ?? variedSettings(results.points!).join(' x ');
  const on = `lockbench sweep${workload === null ? '' : ` of workload ${workload}`} on ${results.plan?.base ?? results.profiles[0]?.name ?? 'its base profile'}${axes ? ` (${axes})` : ''}`;
  if (!results.complete) return `${on}: INCOMPLETE`;
  if (results.gate && results.gate.gate !== 'none') return `${on}: gate ${results.pass ? 'PASS' : 'FAIL'}`;
  // A workload's sweep without a `rank` recommends nothing: it says how many points met every criterion.
  if (workload !== null && !results.recommendation?.settings) return `${on}: ${results.points!.filter((p) => p.pass).length} of ${results.points!.length} point(s) meet every criterion`;
  const recommended = results.recommendation?.settings;
  return `${on}: ${recommended ? `recommended ${settingsText(recommended)}` : 'no point meets every criterion'}`;
}

/** The line under the title: the gate, when and how long, the driver and the host. */
function headline(results: ReportResults): string {
  const gated = results.profiles.filter((p) => p.gated).map((p) => p.name);
  const driver = driverOf(results);
  const gate = isSweep(results)
    ? results.gate
      ? `Gate (${escapeHtml(results.gate.gate)}): <span class="${verdictClass(results.gate.pass)}">${results.gate.pass ? 'PASS' : `FAIL: ${escapeHtml(results.gate.failures.join('; '))}`}</span>. `
      : ''
    : `Gate (${escapeHtml(gated.length > 0 ? gated.join(', ') : 'no gated profile')}): <span class="${results.complete ? verdictClass(results.pass) : 'fail'}">${escapeHtml(gateVerdict(results))}</span>. `;
  const repeats = results.plan ? ` ${results.plan.repeat} repeat(s) per point, interleaved, seed ${results.plan.seed}.` : '';
  return (
    `<p>${gate}Started ${escapeHtml(results.startedAt)}, took ${escapeHtml(formatDuration(results.durationMs))}; driver ${escapeHtml(driver ? `${driver.name} ${driver.version ?? ''}`.trim() : 'not recorded')}; ` +
    `${results.host.cpus} CPUs (${escapeHtml(results.host.cpuModel)}), Node ${escapeHtml(results.host.node)}.${repeats}</p>`
  );
}

/** report.html for a run: one self-contained page. */
export async function renderReportHtml(input: ReportHtmlInput): Promise<string> {
  const { results } = input;
  const charts = new Charts();
  const title = pageTitle(results);
  const points = results.points ?? [];
  // Each profile's own notes are listed in its section.
  const profileNotes = new Set(results.profiles.flatMap((p) => p.notes.map((n) => `${p.name}: ${profileNoteText(n)}`)));
  const notes = runNotes(results).filter((n) => !profileNotes.has(n));
  const sections: string[] = [points.length === 0 ? criteriaSection(results) : sweepCriteriaSection(results, points)];
  if (points.length > 0) sections.push(await sweepSection(results, points, charts));
  if (results.prediction) sections.push(await predictionSection(results.prediction, escapeHtml));
  if (results.baseline && results.baseline.metrics.length > 0) sections.push(await baselineSection(results.baseline, charts));
  const sendLag = sendLagSection(results, table, escapeHtml);
  if (sendLag !== null) sections.push(sendLag);
  for (const profile of results.profiles) sections.push(await profileSection(profile, profile.name, input.timelines, charts));
  for (const point of points) sections.push(await pointSection(results, point, input.timelines, charts));
  sections.push(runSection(results));
  if (notes.length > 0) sections.push(`<section id="notes"><h2>Notes</h2><ul class="notes">${notes.map((n) => `<li>${escapeHtml(n)}</li>`).join('')}</ul></section>`);
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>${STYLE}${WORKLOAD_PAGE_STYLE}</style>`,
    '</head>',
    '<body>',
    `<header><h1>${escapeHtml(title)}</h1>`,
    headline(results),
    `<nav>${[
      '<a href="#criteria">criteria</a>',
      ...(points.length > 0 ? ['<a href="#sweep">sweep</a>'] : []),
      ...(results.baseline?.metrics.length ? ['<a href="#baseline">baseline</a>'] : []),
      ...results.profiles.map((p) => `<a href="#${anchor(p.name)}">${escapeHtml(p.name)}</a>`),
      ...points.map((p) => `<a href="#${anchor(p.id)}">${escapeHtml(settingsText(p.settings))}</a>`),
      '<a href="#run">run</a>',
    ].join('')}</nav>`,
    '</header>',
    ...sections,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

/**
 * The latency a criterion judges inside another stream's window, beside the same stream over the whole
 * run, so that a figure the window diluted or sharpened cannot pass unseen. Generic over any run whose
 * criteria record their window (WorkloadCriterionResult.windowed): the streams and criteria are named as
 * the data names them.
 */
import type { ProfileResult, RunProfiles } from '../model/results.ts';
import type { WindowedLatency, WorkloadCriterionResult } from '../model/workload.ts';
import { figuresTable, formatMs, NOT_JUDGED, withSamples, type FigureRow } from './format.ts';

/** The heading of the table's first column. */
export const WINDOWED_LATENCY_TITLE = 'latency judged inside a window, beside the whole run';

/** What the table shows, in a sentence for the reports that put one above it. */
export const WINDOWED_LATENCY_LEGEND =
  "A window is its stream's first request sent to its last answer; a criterion with one judges only the requests that started inside it. " +
  'The same stream over the whole run is shown beside it.';

type Windowed = WorkloadCriterionResult & { windowed: WindowedLatency };

const isWindowed = (c: WorkloadCriterionResult): c is Windowed => c.windowed !== undefined;

/** The criteria of every profile that judge latency inside a window, by id in first-seen order (the first profile's of each). */
function windowedCriteria(results: RunProfiles): Windowed[] {
  const byId = new Map<string, Windowed>();
  for (const c of results.profiles.flatMap((p) => p.workload?.criteria ?? []).filter(isWindowed)) if (!byId.has(c.id)) byId.set(c.id, c);
  return [...byId.values()];
}

/** Whether some profile has a latency criterion judged inside a window: then the table is shown. */
export function judgesWindowedLatency(results: RunProfiles): boolean {
  return windowedCriteria(results).length > 0;
}

/** `p50 / p99`; a criterion on the p50 itself reads `p50`. */
function percentilesLabel(w: WindowedLatency): string {
  return w.percentile === 50 ? 'p50' : `p50 / p${w.percentile}`;
}

/** `12.0 ms / 900 ms (101)`: the p50 and the judged percentile, and the samples they rest on. */
function figuresCell(w: WindowedLatency, p50Ms: number | null, measured: number | null, counted: number | null): string {
  return w.percentile === 50 ? withSamples(measured, counted) : `${formatMs(p50Ms)} / ${withSamples(measured, counted)}`;
}

/** Why the in-window side has no figure, as a cell reads it. */
function missingInWindow(c: Windowed): string {
  if (c.windowed.window === null) return `not measured: ${c.windowed.windowStream} has no samples`;
  return c.basis?.of === 0 ? 'not measured: no samples' : `not measured: nothing started in the window (0 of ${c.basis?.of ?? '?'})`;
}

/** A profile's criterion as both rows read it: its cell, or why it has none. */
function cellOf(profile: ProfileResult, id: string, side: (c: Windowed) => string): string {
  const c = profile.workload?.criteria.find((x) => x.id === id);
  if (!c) return profile.status === 'not-run' ? NOT_JUDGED['not-run'] : '-';
  // Figures over part of a run are not measured, on either side: as the criteria table says.
  if (c.notJudged !== undefined) return NOT_JUDGED[c.notJudged];
  return isWindowed(c) ? side(c) : '-';
}

/**
 * Per windowed criterion two rows, one column per profile: the stream's p50 / pN inside the window stream's
 * window (the judged figure) and the same over the whole run, each with its samples in parentheses.
 */
export function windowedLatencyRows(results: RunProfiles): FigureRow[] {
  return windowedCriteria(results).flatMap(({ id, windowed: w }): FigureRow[] => [
    [
      `${id}: ${w.stream} ${percentilesLabel(w)} in the ${w.windowStream} window (n), judged`,
      (p) => cellOf(p, id, (c) => (c.measured === null ? missingInWindow(c) : figuresCell(c.windowed, c.windowed.p50Ms, c.measured, c.basis?.counted ?? null))),
    ],
    [
      `${w.stream} ${percentilesLabel(w)} whole run (n)`,
      (p) => cellOf(p, id, (c) => figuresCell(c.windowed, c.windowed.wholeRun.p50Ms, c.windowed.wholeRun.measured, c.windowed.wholeRun.counted)),
    ],
  ]);
}

/** The table as cells: {@link WINDOWED_LATENCY_TITLE}, then one column per profile. */
export function windowedLatencyTable(results: RunProfiles): { header: string[]; rows: string[][] } {
  return figuresTable(results, windowedLatencyRows(results), WINDOWED_LATENCY_TITLE);
}

/** `p50 4,720 ms, p99 15,122 ms`. */
function figuresText(percentile: number, p50Ms: number | null, measured: number | null): string {
  return percentile === 50 ? `p50 ${formatMs(measured)}` : `p50 ${formatMs(p50Ms)}, p${percentile} ${formatMs(measured)}`;
}

/**
 * Whether an interpolated percentile of `n` samples lies between the slowest two: its rank, p/100 x (n - 1),
 * is past the second slowest. Then it says little about the tail.
 */
export function betweenSlowestTwo(percentile: number, n: number): boolean {
  return n >= 2 && percentile < 100 && (percentile / 100) * (n - 1) > n - 2;
}

/**
 * One windowed criterion of a profile in words: how many of the stream's requests it judges, of how many,
 * the window they started in, its figures and the whole run's. Null for a criterion not judged.
 */
function windowedNote(c: Windowed, what: string): string | null {
  if (c.notJudged !== undefined) return null;
  const w = c.windowed;
  const wholeRun = `whole run: ${figuresText(w.percentile, w.wholeRun.p50Ms, w.wholeRun.measured)}`;
  if (w.wholeRun.counted === 0) return `${c.id} not measured: ${w.stream} has no samples`;
  if (w.window === null) return `${c.id} not measured: ${w.windowStream} has no samples, so its window is unknown; ${wholeRun} (${w.wholeRun.counted.toLocaleString('en-US')} ${what})`;
  const window = `the ${w.windowStream} window (${formatMs(w.window.endMs - w.window.startMs)}, its first request sent to its last answer)`;
  const counted = c.basis?.counted ?? 0;
  const of = (c.basis?.of ?? w.wholeRun.counted).toLocaleString('en-US');
  if (c.measured === null) return `${c.id} not measured: none of the ${of} ${w.stream} ${what} started inside ${window}; ${wholeRun}`;
  const few = betweenSlowestTwo(w.percentile, counted) ? ` (${counted} samples: the p${w.percentile} lies between the slowest two)` : '';
  return (
    `${c.id} judges the ${counted.toLocaleString('en-US')} of ${of} ${w.stream} ${what} that started inside ${window}: ` +
    `${figuresText(w.percentile, w.p50Ms, c.measured)}${few}; ${wholeRun}`
  );
}

/** A profile's windowed criteria in words, one note each (without the profile's name). */
export function windowedLatencyNotes(profile: Pick<ProfileResult, 'workload'>): string[] {
  const streams = profile.workload?.streams ?? [];
  return (profile.workload?.criteria ?? []).filter(isWindowed).flatMap((c) => {
    // An SQL stream's samples are writes; a request stream's, requests.
    const what = streams.find((s) => s.stream === c.windowed.stream)?.kind === 'sql' ? 'writes' : 'requests';
    return windowedNote(c, what) ?? [];
  });
}

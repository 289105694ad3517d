/**
 * The lock timeline's data: who held the write lock when, one row per holder process; a process that
 * times its own holds (lockbench's target, the workflow writers) split further by what it reported (each
 * import, the catalog updates, each writer thread). The observer's spans sit beside the holders' own,
 * each of the target's coloured by the stream it was attributed to at the run. Pure: spans in, rows and
 * bars out.
 */
import type { LabelledSpan } from '../../model/observation.ts';
import type { SpansFile } from '../../model/timeline.ts';
import { holderName } from '../holder-name.ts';
import type { RecordedLockSpan } from '../../model/results.ts';
import type { TimedSpan } from '../../shared/lock-span.ts';

/** Which side timed a bar: the external observer, or the holder itself. */
export type SpanSource = 'observed' | 'self-reported';

/**
 * What a bar's colour says. An observed hold of the target attributed at the run: its stream, exactly
 * (one request in flight) or as one of several requests of that stream; several streams; no request.
 * Any other bar: who timed it (an observed hold of the workflow writers or another process, or one the
 * holder timed itself).
 */
export type BarHue =
  | { kind: 'stream'; stream: string; exact: boolean }
  | { kind: 'across-streams' }
  | { kind: 'no-request' }
  | { kind: 'source'; source: SpanSource };

/** One bar of the Gantt chart. Times are ms since the timeline's origin. */
export interface TimelineBar {
  row: string;
  source: SpanSource;
  hue: BarHue;
  startMs: number;
  endMs: number;
  /** Holds this bar stands for: more than 1 when short adjacent holds were merged. */
  holds: number;
}

export interface TimelineData {
  /** Row labels, top to bottom. */
  rows: string[];
  bars: TimelineBar[];
  /** The longest single hold, observed when the observer watched (the figure lock-hold judges). */
  longest: TimelineBar | null;
  /** Holds before merging, and bars after. */
  holds: number;
  /** The streams the target's observed holds were attributed to, in name order; null when the spans carry no attribution. */
  streams: string[] | null;
}

/** Bars drawn before short holds are merged, so a long run's chart stays small and fast. */
export const MAX_TIMELINE_BARS = 3000;
/** Holds at least this long are always drawn on their own, in milliseconds. */
export const MIN_UNMERGED_HOLD_MS = 1;

/** Import spans are the import's own transactions; batched imports write several under one request id. */
const IMPORT_KINDS = new Set(['import', 'import-batch', 'import-job']);

/** A workflow writer's own span; spans recorded before they named their owner tell it by kind. */
function isWriterSpan(span: RecordedLockSpan): boolean {
  return span.owner === 'workflow-writer' || span.kind.startsWith('workflow-');
}

/** The row of a side writer's span: a workload's SQL stream by its name, else the writers' process; then its thread. */
function writerRow(span: RecordedLockSpan, pid: number): string {
  const who = span.stream === undefined ? `writers ${pid}` : span.stream;
  // Without thread ids the process (or stream) is the row: a longer label would be cut short on the chart.
  return span.thread === undefined ? who : `${who}: thread ${span.thread}`;
}

/** A self-reported span's row: the import it belongs to, the catalog updates, the writer thread. */
function selfRow(span: RecordedLockSpan, pid: number, importIndex: Map<RecordedLockSpan, number>): string {
  if (isWriterSpan(span)) return writerRow(span, pid);
  const who = `target ${pid}`;
  if (IMPORT_KINDS.has(span.kind)) {
    if (span.requestId !== null && span.requestId !== undefined) return `${who}: import ${span.requestId}`;
    // Spans recorded before they carried a request id: a monolithic import is one transaction.
    return span.kind === 'import' ? `${who}: import ${importIndex.get(span)}` : `${who}: import batches`;
  }
  if (span.kind === 'catalog-update') return `${who}: catalog updates`;
  return `${who}: ${span.kind}`;
}

interface Placed {
  row: string;
  /** Where the row sits: the order of {@link rowRank}. */
  rank: number;
  source: SpanSource;
  hue: BarHue;
  startMs: number;
  endMs: number;
  pid: number;
}

const SELF_REPORTED: BarHue = { kind: 'source', source: 'self-reported' };
const OBSERVED: BarHue = { kind: 'source', source: 'observed' };

/** An observed hold's colour: the stream its attribution names, or who held it when it has none. */
function observedHue(span: LabelledSpan): BarHue {
  const match = span.attribution;
  if (match === undefined) return OBSERVED;
  if (match.kind === 'exact' || match.kind === 'one-of') return { kind: 'stream', stream: match.stream, exact: match.kind === 'exact' };
  return match.kind === 'ambiguous' ? { kind: 'across-streams' } : { kind: 'no-request' };
}

/** A bar's colour as one key: bars are merged only with bars of the same colour. */
export function hueKey(hue: BarHue): string {
  if (hue.kind === 'stream') return `${hue.stream}${hue.exact ? '' : ' (one of several)'}`;
  if (hue.kind === 'source') return hue.source;
  return hue.kind;
}

/** A process as its own row names it: the target's by its command ("gunicorn worker 14163"), the others by role too. */
function processRow(span: LabelledSpan): string {
  if (span.holder === 'other') return `other ${holderName(span)}`;
  if (span.holder === 'workflow-writers') return `writers ${holderName(span)}`;
  return span.command === undefined ? `target ${span.pid}` : holderName(span);
}

function overlapMs(a: TimedSpan, b: TimedSpan): number {
  return Math.min(a.endMs, b.endMs) - Math.max(a.startMs, b.startMs);
}

/**
 * The row an observed span belongs in: the row of the self-reported span of the same pid it overlaps
 * most (within one sample gap), else the row of its process: "not self-reported" beside the rows of a
 * process that reports its holds, the process alone for one that does not (a foreign target's workers).
 */
function observedRow(span: LabelledSpan, own: readonly Placed[], longestOwnMs: number, gapMs: number): { row: string; rank: number } {
  // `own` is sorted by start: look only at spans that start before this one ends and could still overlap it.
  let index = firstStartingAfter(own, span.endMs + gapMs) - 1;
  let best: Placed | undefined;
  let bestOverlap = -gapMs;
  for (; index >= 0 && own[index]!.startMs + longestOwnMs >= span.startMs - gapMs; index--) {
    const overlap = overlapMs(span, own[index]!);
    if (overlap > bestOverlap) {
      best = own[index];
      bestOverlap = overlap;
    }
  }
  if (best) return { row: best.row, rank: best.rank };
  const rank = span.holder === 'target' ? 3 : span.holder === 'workflow-writers' ? 5 : 6;
  if (span.holder === 'other') return { row: processRow(span), rank };
  if (own.length === 0) return { row: processRow(span), rank };
  const role = span.holder === 'workflow-writers' ? 'writers' : 'target';
  return { row: `${role} ${holderName(span)}: not self-reported`, rank };
}

/** Index of the first span starting after `ms` in spans sorted by start. */
function firstStartingAfter(sorted: readonly Placed[], ms: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]!.startMs <= ms) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Adjacent holds shorter than {@link MIN_UNMERGED_HOLD_MS} in one lane, joined when the gap between them is under `gapMs`. */
function mergeShort(bars: TimelineBar[], gapMs: number): TimelineBar[] {
  const merged: TimelineBar[] = [];
  const open = new Map<string, TimelineBar>();
  for (const bar of bars) {
    const lane = `${bar.row}\u0000${bar.source}\u0000${hueKey(bar.hue)}`;
    const last = open.get(lane);
    const short = bar.endMs - bar.startMs < MIN_UNMERGED_HOLD_MS;
    if (short && last && bar.startMs - last.endMs < gapMs) {
      last.endMs = Math.max(last.endMs, bar.endMs);
      last.holds += bar.holds;
      continue;
    }
    const copy = { ...bar };
    merged.push(copy);
    if (short) open.set(lane, copy);
    else open.delete(lane);
  }
  return merged;
}

/** Where the side writers' own rows sit in {@link rowRank}'s order. */
const WRITER_RANK = 4;

/**
 * Row order: the target first (imports, catalog updates, other work it reported, then holds of its
 * processes only the observer saw, see {@link observedRow}), then the workflow writers (threads, then
 * holds only the observer saw), then any other process.
 */
function rowRank(row: string): number {
  if (row.includes(': import')) return 0;
  if (row.endsWith(': catalog updates')) return 1;
  if (row.startsWith('writers')) return WRITER_RANK;
  return 2;
}

/**
 * The timeline of one profile or trial. `originMs` is the epoch ms that becomes 0 on the time axis,
 * shared with the latency chart so the two line up.
 */
export function timelineData(spans: SpansFile, originMs: number, options: { maxBars?: number } = {}): TimelineData {
  const pids = spans.observed?.pids;
  const selfSpans = [...spans.target, ...spans.workflowWriters];
  const imports = spans.target.filter((s) => s.kind === 'import').sort((a, b) => a.startMs - b.startMs);
  const importIndex = new Map(imports.map((s, i) => [s, i + 1]));
  const placed: Placed[] = selfSpans
    .map((s) => {
      const pid = s.pid ?? (isWriterSpan(s) ? pids?.workflowWriters : pids?.target) ?? 0;
      const row = selfRow(s, pid, importIndex);
      // A workload's SQL stream names its rows: they rank as the writers' by whose span it is, not by label.
      return { row, rank: isWriterSpan(s) ? WRITER_RANK : rowRank(row), source: 'self-reported' as const, hue: SELF_REPORTED, startMs: s.startMs, endMs: s.endMs, pid };
    })
    .sort((a, b) => a.startMs - b.startMs);
  if (spans.observed) {
    const gapMs = spans.observed.intervalUs / 1000;
    const byPid = new Map<number, Placed[]>();
    const longestByPid = new Map<number, number>();
    for (const p of placed) {
      const own = byPid.get(p.pid);
      if (own) own.push(p);
      else byPid.set(p.pid, [p]);
      longestByPid.set(p.pid, Math.max(longestByPid.get(p.pid) ?? 0, p.endMs - p.startMs));
    }
    for (const span of spans.observed.writeSpans) {
      const { row, rank } = observedRow(span, byPid.get(span.pid) ?? [], longestByPid.get(span.pid) ?? 0, gapMs);
      placed.push({ row, rank, source: 'observed', hue: observedHue(span), startMs: span.startMs, endMs: span.endMs, pid: span.pid });
    }
  }
  placed.sort((a, b) => a.startMs - b.startMs);
  const first = new Map<string, Placed>();
  for (const p of placed) if (!first.has(p.row)) first.set(p.row, p);
  const rows = [...first.keys()].sort((a, b) => first.get(a)!.rank - first.get(b)!.rank || first.get(a)!.startMs - first.get(b)!.startMs);
  const attributed = spans.observed?.writeSpans.some((s) => s.attribution !== undefined) ?? false;
  const streams = attributed ? [...new Set(placed.flatMap((p) => (p.hue.kind === 'stream' ? [p.hue.stream] : [])))].sort() : null;

  let bars: TimelineBar[] = placed.map((p) => ({ row: p.row, source: p.source, hue: p.hue, startMs: p.startMs - originMs, endMs: p.endMs - originMs, holds: 1 }));
  const longest = pickLongest(bars);
  const maxBars = options.maxBars ?? MAX_TIMELINE_BARS;
  if (bars.length > maxBars && bars.length > 0) {
    // Merge across gaps too small to see: a thousandth of the chart's span, doubled until it fits.
    const spanMs = bars.reduce((max, b) => Math.max(max, b.endMs), -Infinity) - bars.reduce((min, b) => Math.min(min, b.startMs), Infinity);
    for (let gapMs = spanMs / 1000; bars.length > maxBars && gapMs <= spanMs; gapMs *= 2) bars = mergeShort(bars, gapMs);
  }
  return { rows, bars, longest, holds: placed.length, streams };
}

function pickLongest(bars: readonly TimelineBar[]): TimelineBar | null {
  const observed = bars.filter((b) => b.source === 'observed');
  const pool = observed.length > 0 ? observed : bars;
  let longest: TimelineBar | null = null;
  for (const b of pool) if (!longest || b.endMs - b.startMs > longest.endMs - longest.startMs) longest = b;
  return longest;
}

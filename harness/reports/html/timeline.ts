/**
 * The lock timeline's data: who held the write lock when, one row per holder (each import, the catalog
 * updates, each workflow writer thread, any other process), with the observer's spans beside the
 * holders' own. Pure: spans in, rows and bars out.
 */
import type { LabelledSpan, ObservedSpansFile } from '../../run/observed-locks.ts';
import { holderName } from '../holder-name.ts';
import type { RecordedLockSpan } from '../../results.ts';

/**
 * What a run writes as `spans-<profile or trial>.json`: the target's and the workflow writers' own
 * spans, and the observer's write-lock spans labelled by holder (null when it did not watch). Read
 * locks and checkpoints may be there too; the timeline draws the write lock only.
 */
export interface SpansFile {
  target: RecordedLockSpan[];
  workflowWriters: RecordedLockSpan[];
  observed: (Pick<ObservedSpansFile, 'pids' | 'intervalUs' | 'windowStartMs' | 'windowEndMs'> & { writeSpans: LabelledSpan[] }) | null;
}

/** Which side timed a bar: the external observer, or the holder itself. */
export type SpanSource = 'observed' | 'self-reported';

/** One bar of the Gantt chart. Times are ms since the timeline's origin. */
export interface TimelineBar {
  row: string;
  source: SpanSource;
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

/** A self-reported span's row: the import it belongs to, the catalog updates, the writer thread. */
function selfRow(span: RecordedLockSpan, pid: number, importIndex: Map<RecordedLockSpan, number>): string {
  if (isWriterSpan(span)) {
    return span.thread === undefined ? `writers ${pid}: workflow writes` : `writers ${pid}: thread ${span.thread}`;
  }
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
  source: SpanSource;
  startMs: number;
  endMs: number;
  pid: number;
}

function overlapMs(a: { startMs: number; endMs: number }, b: { startMs: number; endMs: number }): number {
  return Math.min(a.endMs, b.endMs) - Math.max(a.startMs, b.startMs);
}

/**
 * The row an observed span belongs in: the row of the self-reported span of the same pid it overlaps
 * most (within one sample gap), else a row of its own for that process.
 */
function observedRow(span: LabelledSpan, own: readonly Placed[], longestOwnMs: number, gapMs: number): string {
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
  if (best) return best.row;
  const role = span.holder === 'workflow-writers' ? 'writers' : span.holder;
  return span.holder === 'other' ? `other ${holderName(span)}` : `${role} ${holderName(span)}: not self-reported`;
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
    const lane = `${bar.row}\u0000${bar.source}`;
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

/** Row order: imports, catalog updates, other target work, writer threads, then what only the observer saw. */
function rowRank(row: string): number {
  if (row.includes(': import')) return 0;
  if (row.endsWith(': catalog updates')) return 1;
  if (row.startsWith('target')) return row.endsWith('not self-reported') ? 4 : 2;
  if (row.startsWith('writers')) return row.endsWith('not self-reported') ? 4 : 3;
  return 5;
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
      return { row: selfRow(s, pid, importIndex), source: 'self-reported' as const, startMs: s.startMs, endMs: s.endMs, pid };
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
      const row = observedRow(span, byPid.get(span.pid) ?? [], longestByPid.get(span.pid) ?? 0, gapMs);
      placed.push({ row, source: 'observed', startMs: span.startMs, endMs: span.endMs, pid: span.pid });
    }
  }
  placed.sort((a, b) => a.startMs - b.startMs);
  const firstStart = new Map<string, number>();
  for (const p of placed) if (!firstStart.has(p.row)) firstStart.set(p.row, p.startMs);
  const rows = [...firstStart.keys()].sort((a, b) => rowRank(a) - rowRank(b) || firstStart.get(a)! - firstStart.get(b)!);

  let bars: TimelineBar[] = placed.map((p) => ({ row: p.row, source: p.source, startMs: p.startMs - originMs, endMs: p.endMs - originMs, holds: 1 }));
  const longest = pickLongest(bars);
  const maxBars = options.maxBars ?? MAX_TIMELINE_BARS;
  if (bars.length > maxBars && bars.length > 0) {
    // Merge across gaps too small to see: a thousandth of the chart's span, doubled until it fits.
    const spanMs = bars.reduce((max, b) => Math.max(max, b.endMs), -Infinity) - bars.reduce((min, b) => Math.min(min, b.startMs), Infinity);
    for (let gapMs = spanMs / 1000; bars.length > maxBars && gapMs <= spanMs; gapMs *= 2) bars = mergeShort(bars, gapMs);
  }
  return { rows, bars, longest, holds: placed.length };
}

function pickLongest(bars: readonly TimelineBar[]): TimelineBar | null {
  const observed = bars.filter((b) => b.source === 'observed');
  const pool = observed.length > 0 ? observed : bars;
  let longest: TimelineBar | null = null;
  for (const b of pool) if (!longest || b.endMs - b.startMs > longest.endMs - longest.startMs) longest = b;
  return longest;
}

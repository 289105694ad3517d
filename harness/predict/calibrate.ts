/**
 * The model's costs from a real run: what each kind of transaction held beyond its work model, the
 * hand-over between an importer's batches, the time outside the lock. Pure: the trials come in as
 * data (./calibration-file.ts reads them from a report folder). A cost the run cannot give keeps its
 * default, and the basis says so.
 */
import { median } from 'simple-statistics';
import type { SelfReportedLockSpan } from '../shared/lock-span.ts';
import type { RequestSample, WorkflowWriterSummary } from '../model/results.ts';
import { DEFAULT_COSTS, type ModelCosts } from './costs.ts';
import { batchSizes, type ModelTarget } from './model.ts';

type Span = Pick<SelfReportedLockSpan, 'startMs' | 'endMs' | 'kind' | 'requestId' | 'waitMs'> & {
  /** The target's DB thread that ran it (the target's spans carry it). */
  threadId?: number;
};

/** One trial of a real run, as calibration reads it. */
export interface CalibrationTrial {
  id: string;
  target: ModelTarget;
  artifacts: number;
  /** The holders' own lock spans (the spans file); null when it was not written. */
  spans: { target: readonly Span[]; workflowWriters: readonly Span[] } | null;
  /** The driver's samples; null when not read. */
  samples: readonly RequestSample[] | null;
  /** Last import answered, epoch ms (client clock); null when unknown. */
  importWindowEndMs: number | null;
  importWallMs: number | null;
  /** The same wall on the target's clock (import_jobs). */
  importJobsWallMs: number | null;
  writers: Pick<WorkflowWriterSummary, 'latency' | 'lockHold' | 'lockWait'> | null;
}

/** Each cost and what it rests on: a count of measured values, or why the default stands. */
export interface Calibration {
  costs: ModelCosts;
  basis: Record<keyof ModelCosts, string>;
}

const holdOf = (s: Span) => s.endMs - s.startMs;
const IMPORT_KINDS = new Set(['import', 'import-batch']);

/** Each import's transactions in order, with the batch size each wrote. */
function importTransactions(trial: CalibrationTrial): { span: Span; size: number; index: number }[][] {
  const byImport = new Map<string, Span[]>();
  for (const span of trial.spans?.target ?? []) {
    if (!IMPORT_KINDS.has(span.kind ?? '') || !span.requestId) continue;
    byImport.set(span.requestId, [...(byImport.get(span.requestId) ?? []), span]);
  }
  const sizes = batchSizes(trial.target, trial.artifacts);
  // A failed batch holds nothing and leaves no span: an import with fewer spans cannot be matched to sizes.
  return [...byImport.values()]
    .filter((spans) => spans.length === sizes.length)
    .map((spans) => spans.sort((a, b) => a.startMs - b.startMs).map((span, index) => ({ span, size: sizes[index]!, index })));
}

/** Least squares by the normal equations; null when the columns do not determine the coefficients. */
function leastSquares(rows: readonly number[][], y: readonly number[]): number[] | null {
  const k = rows[0]?.length ?? 0;
  const a = Array.from({ length: k }, (_, i) => [...Array.from({ length: k }, (_, j) => rows.reduce((s, r) => s + r[i]! * r[j]!, 0)), rows.reduce((s, r, n) => s + r[i]! * y[n]!, 0)]);
  for (let c = 0; c < k; c++) {
    const pivot = a.slice(c).reduce((best, row, i) => (Math.abs(row[c]!) > Math.abs(a[best]![c]!) ? c + i : best), c);
    [a[c], a[pivot]] = [a[pivot]!, a[c]!];
    const scale = Math.max(1, ...a.map((row) => Math.abs(row[c]!)));
    if (Math.abs(a[c]![c]!) < 1e-9 * scale) return null;
    for (let r = 0; r < k; r++) {
      if (r === c) continue;
      const f = a[r]![c]! / a[c]![c]!;
      for (let j = c; j <= k; j++) a[r]![j]! -= f * a[c]![j]!;
    }
  }
  return a.map((row, i) => row[k]! / row[i]!);
}

/**
 * Least squares with no negative coefficient (a cost is never negative): a column whose coefficient
 * comes out below zero is dropped (its cost is 0) and the rest fitted again.
 */
function nonNegativeFit(rows: readonly number[][], y: readonly number[]): number[] | null {
  let kept = rows[0]!.map((_, i) => i);
  for (;;) {
    const fit = leastSquares(rows.map((r) => kept.map((i) => r[i]!)), y);
    if (fit === null) return null;
    const worst = fit.reduce((w, v, i) => (v < fit[w]! ? i : w), 0);
    if (fit[worst]! >= 0 || kept.length === 1) return rows[0]!.map((_, i) => (kept.includes(i) ? Math.max(0, fit[kept.indexOf(i)]!) : 0));
    kept = kept.filter((_, i) => i !== worst);
  }
}

/** Two writes of one DB thread this close together ran back to back (an idle thread waits far longer for its next request), in ms. */
export const BACK_TO_BACK_MS = 50;
/** A write that waited less than this for the lock found it free, in ms. */
const FOUND_FREE_MS = 1;

/** Gaps between one DB thread's writes that ran back to back, the later finding the lock free: the thread's own time per write. */
function backToBackGaps(trial: CalibrationTrial): number[] {
  const byThread = new Map<number, Span[]>();
  for (const span of trial.spans?.target ?? []) {
    if (span.threadId === undefined) continue;
    byThread.set(span.threadId, [...(byThread.get(span.threadId) ?? []), span]);
  }
  const gaps: number[] = [];
  for (const spans of byThread.values()) {
    spans.sort((a, b) => a.startMs - b.startMs);
    for (let k = 1; k < spans.length; k++) {
      const gap = spans[k]!.startMs - spans[k - 1]!.endMs;
      if (gap >= 0 && gap < BACK_TO_BACK_MS && (spans[k]!.waitMs ?? Number.POSITIVE_INFINITY) < FOUND_FREE_MS) gaps.push(gap);
    }
  }
  return gaps;
}

const plural = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;

export function calibrateCosts(trials: readonly CalibrationTrial[], defaults: ModelCosts = DEFAULT_COSTS): Calibration {
  const costs = { ...defaults };
  const basis = Object.fromEntries(Object.keys(defaults).map((k) => [k, 'default (the run does not give it)'])) as Calibration['basis'];
  const set = (key: keyof ModelCosts, value: number, why: string) => {
    costs[key] = Math.max(0, value);
    basis[key] = why;
  };

  // Import holds: base + size x (statements + waits x overshoot) beyond the work model's own milliseconds.
  const rows: number[][] = [];
  const extras: number[] = [];
  for (const trial of trials) {
    const inside = trial.target.importMode === 'staged' ? 0 : trial.target.prepareMs;
    const waits = (inside > 0 ? 1 : 0) + (trial.target.writeMs > 0 ? 1 : 0);
    for (const tx of importTransactions(trial).flat()) {
      rows.push([1, tx.size, tx.size * waits]);
      extras.push(holdOf(tx.span) - tx.size * (inside + trial.target.writeMs));
    }
  }
  const fit = rows.length >= 3 ? nonNegativeFit(rows, extras) : null;
  if (fit) {
    const why = `least squares over ${plural(rows.length, 'import transaction')} of the run`;
    set('batchBaseMs', fit[0]!, why);
    set('entryMs', fit[1]!, why);
    set('waitOvershootMs', fit[2]!, why);
  } else if (rows.length > 0) {
    // Every transaction waits as often per entry: the overshoot cannot be told from the statements, and
    // keeps its default; the rest is fitted as base + size x entry, or per entry where sizes do not vary.
    const remainder = extras.map((e, i) => e - rows[i]![2]! * costs.waitOvershootMs);
    const line = rows.length >= 2 ? nonNegativeFit(rows.map((r) => [r[0]!, r[1]!]), remainder) : null;
    if (line) {
      const why = `least squares over ${plural(rows.length, 'import transaction')} of the run, with the default overshoot`;
      set('batchBaseMs', line[0]!, why);
      set('entryMs', line[1]!, why);
    } else {
      set('entryMs', median(remainder.map((e, i) => e / rows[i]![1]!)), `median over ${plural(rows.length, 'import transaction')} of one size: the base folded into it`);
      set('batchBaseMs', 0, 'folded into entryMs: the run has import transactions of one size only');
    }
  }

  const catalog = trials.flatMap((t) => (t.spans?.target ?? []).filter((s) => s.kind === 'catalog-update').map(holdOf));
  if (catalog.length > 0) set('catalogHoldMs', median(catalog), `median of ${plural(catalog.length, 'catalog update hold')}`);
  const writes = trials.flatMap((t) => (t.spans?.workflowWriters ?? []).map(holdOf));
  if (writes.length > 0) set('workflowHoldMs', median(writes), `median of ${plural(writes.length, 'workflow write hold')}`);

  // Outside the lock: catalog updates sent after the last import answered (the uncontended tail).
  const tail = trials.flatMap((t) =>
    t.importWindowEndMs === null ? [] : (t.samples ?? []).filter((s) => s.stream === 'catalog' && s.sentMs !== null && s.sentMs > t.importWindowEndMs! && s.status === 200).map((s) => s.endMs - s.sentMs!),
  );
  if (tail.length > 0) set('catalogOverheadMs', median(tail) - costs.catalogHoldMs, `median service time of ${plural(tail.length, 'catalog update')} after the imports, less the catalog hold`);
  // Hand-over, seen where a FIFO write queue hands the lock on: one target transaction's COMMIT to the
  // next one's lock, when the next was already queued, i.e. sooner than a fresh catalog update's own
  // time outside the lock (a fresh request could not have been served in between).
  const gaps: number[] = [];
  for (const trial of trials.filter((t) => t.target.scheduler === 'fifo')) {
    const spans = [...(trial.spans?.target ?? [])].sort((a, b) => a.startMs - b.startMs);
    for (let k = 1; k < spans.length; k++) {
      const gap = spans[k]!.startMs - spans[k - 1]!.endMs;
      if (gap >= 0 && gap < costs.catalogOverheadMs) gaps.push(gap);
    }
  }
  if (gaps.length > 0) {
    set('handoffMs', gaps.reduce((a, b) => a + b, 0) / gaps.length, `mean of ${plural(gaps.length, 'gap')} between FIFO-queued transactions shorter than the catalog overhead`);
  }

  // A connection per request: a DB thread's back-to-back writes lie further apart than with pooled
  // connections; the difference is opening the connection, its pragmas and first statements, and closing it.
  const gapsOf = (policy: ModelTarget['connections']) => trials.filter((t) => t.target.connections === policy).flatMap(backToBackGaps);
  const perRequest = gapsOf('per-request');
  const pooled = gapsOf('pooled');
  if (perRequest.length > 0 && pooled.length > 0) {
    set(
      'connectionOpenMs',
      median(perRequest) - median(pooled),
      `median gap between a DB thread's back-to-back writes with a connection per request (${perRequest.length}) less with pooled connections (${pooled.length})`,
    );
  }

  // Staged preparation: batch k+1 starts one batch of preparation steps after batch k.
  const steps: number[] = [];
  for (const trial of trials.filter((t) => t.target.importMode === 'staged' && t.target.prepareMs > 0)) {
    for (const txs of importTransactions(trial)) {
      for (let k = 1; k < txs.length; k++) steps.push((txs[k]!.span.startMs - txs[k - 1]!.span.startMs) / txs[k]!.size - trial.target.prepareMs);
    }
  }
  if (steps.length > 0) set('prepareOvershootMs', median(steps), `median over ${plural(steps.length, 'staged batch interval')}`);

  const writerOverheads = trials.flatMap((t) => (t.writers?.latency.p50Ms != null && t.writers.lockHold.p50Ms != null && t.writers.lockWait.p50Ms != null ? [t.writers.latency.p50Ms - t.writers.lockHold.p50Ms - t.writers.lockWait.p50Ms] : []));
  if (writerOverheads.length > 0) set('workflowOverheadMs', Math.min(...writerOverheads), `least over ${plural(writerOverheads.length, 'trial')} of the writers' p50 latency less their p50 wait and hold`);
  const importOverheads = trials.flatMap((t) => (t.importWallMs !== null && t.importJobsWallMs !== null ? [t.importWallMs - t.importJobsWallMs] : []));
  if (importOverheads.length > 0) set('importOverheadMs', median(importOverheads), `median over ${plural(importOverheads.length, 'trial')} of the client's import wall less import_jobs'`);
  return { costs, basis };
}

import { nearestRankPercentile } from '../stats/percentile.ts';
import type { LockSpan } from '../locks/span.ts';
import type { HolderSummary, ObserveSummary, ObservedSpans, ReadLockSpan } from './types.ts';

/** Anything with a start and an end in epoch ms. */
export type TimedSpan = Pick<LockSpan, 'startMs' | 'endMs'>;

export function spanMs(span: TimedSpan): number {
  return span.endMs - span.startMs;
}

function longest<T extends LockSpan>(spans: readonly T[]): T | null {
  let best: T | null = null;
  for (const span of spans) if (!best || spanMs(span) > spanMs(best)) best = span;
  return best;
}

/** Count, nearest-rank p50/p99, max, mean and total of write-lock holds. */
export function holdFigures(spans: readonly TimedSpan[]) {
  const holds = spans.map(spanMs).sort((a, b) => a - b);
  const heldMs = holds.reduce((sum, ms) => sum + ms, 0);
  return {
    spanCount: holds.length,
    holdP50Ms: nearestRankPercentile(holds, 50),
    holdP99Ms: nearestRankPercentile(holds, 99),
    holdMaxMs: holds.length === 0 ? null : (holds[holds.length - 1] ?? null),
    holdMeanMs: holds.length === 0 ? null : heldMs / holds.length,
    heldMs,
  };
}

/** Write-lock figures per holder pid, most held first. */
export function holderSummaries(spans: readonly LockSpan[]): HolderSummary[] {
  const byPid = new Map<number, HolderSummary>();
  for (const span of spans) {
    const holder = byPid.get(span.pid) ?? { pid: span.pid, spanCount: 0, heldMs: 0, holdMaxMs: 0 };
    holder.spanCount += 1;
    holder.heldMs += spanMs(span);
    holder.holdMaxMs = Math.max(holder.holdMaxMs, spanMs(span));
    byPid.set(span.pid, holder);
  }
  return [...byPid.values()].sort((a, b) => b.heldMs - a.heldMs);
}

/** The summary of an observation that lasted `windowMs`. */
export function summarizeSpans(spans: ObservedSpans, windowMs: number): ObserveSummary {
  const figures = holdFigures(spans.writeSpans);
  const longestRead: ReadLockSpan | null = longest(spans.readLocks);
  const longestCheckpoint = longest(spans.checkpointSpans);
  return {
    ...figures,
    dutyCycle: windowMs > 0 ? Math.min(1, figures.heldMs / windowMs) : 0,
    longestHold: longest(spans.writeSpans),
    checkpointCount: spans.checkpointSpans.length,
    checkpointMaxMs: longestCheckpoint ? spanMs(longestCheckpoint) : null,
    longestReadMs: longestRead ? spanMs(longestRead) : null,
    longestRead,
    holders: holderSummaries(spans.writeSpans),
  };
}

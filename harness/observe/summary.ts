import { nearestRankPercentile } from '../stats/percentile.ts';
import type { LockSpan } from '../locks/span.ts';
import type { HolderSummary, JournalModeSpan, ObserveSummary, ObservedSpans, ReadLockSpan } from './types.ts';

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

/** Time of `hold` that commit spans of its own pid cover (rollback-journal mode: PENDING or EXCLUSIVE held). */
export function committingWithin(hold: LockSpan, commitSpans: readonly LockSpan[]): number {
  let total = 0;
  for (const commit of commitSpans) {
    if (commit.pid !== hold.pid) continue;
    total += Math.max(0, Math.min(hold.endMs, commit.endMs) - Math.max(hold.startMs, commit.startMs));
  }
  return total;
}

/** Write-lock figures per holder pid, most held first. */
export function holderSummaries(spans: readonly LockSpan[], commitSpans: readonly LockSpan[] = []): HolderSummary[] {
  const byPid = new Map<number, HolderSummary>();
  for (const span of spans) {
    const holder = byPid.get(span.pid) ?? { pid: span.pid, spanCount: 0, heldMs: 0, holdMaxMs: 0, committingMs: 0 };
    holder.spanCount += 1;
    holder.heldMs += spanMs(span);
    holder.holdMaxMs = Math.max(holder.holdMaxMs, spanMs(span));
    byPid.set(span.pid, holder);
  }
  for (const commit of commitSpans) {
    const holder = byPid.get(commit.pid);
    if (holder) holder.committingMs += spanMs(commit);
  }
  return [...byPid.values()].sort((a, b) => b.heldMs - a.heldMs);
}

/** The journal mode of a whole observation: the one mode its header said, `changed`, or `unknown`. */
export function journalModeOf(modes: readonly JournalModeSpan[]): ObserveSummary['journalMode'] {
  const known = new Set(modes.map((m) => m.mode).filter((m) => m !== 'unknown'));
  if (known.size > 1) return 'changed';
  return [...known][0] ?? 'unknown';
}

/** The summary of an observation that lasted `windowMs`. */
export function summarizeSpans(spans: ObservedSpans & { journalModes?: readonly JournalModeSpan[] }, windowMs: number): ObserveSummary {
  const figures = holdFigures(spans.writeSpans);
  const longestRead: ReadLockSpan | null = longest(spans.readLocks);
  const longestCheckpoint = longest(spans.checkpointSpans);
  const longestHold = longest(spans.writeSpans);
  const commitSpans = spans.commitSpans ?? [];
  return {
    ...figures,
    dutyCycle: windowMs > 0 ? Math.min(1, figures.heldMs / windowMs) : 0,
    longestHold,
    longestHoldCommittingMs: longestHold ? committingWithin(longestHold, commitSpans) : 0,
    committingMs: commitSpans.reduce((sum, span) => sum + spanMs(span), 0),
    journalMode: journalModeOf(spans.journalModes ?? []),
    checkpointCount: spans.checkpointSpans.length,
    checkpointMaxMs: longestCheckpoint ? spanMs(longestCheckpoint) : null,
    longestReadMs: longestRead ? spanMs(longestRead) : null,
    longestRead,
    holders: holderSummaries(spans.writeSpans, commitSpans),
  };
}

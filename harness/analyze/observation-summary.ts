import { nearestRankPercentile } from '../shared/percentile.ts';
import { spanMs, type LockSpan, type TimedSpan } from '../shared/lock-span.ts';
import { inProcessTree, processesByPid } from '../model/process-tree.ts';
import type {
  AppHolds,
  HoldBucket,
  HolderSummary,
  JournalModeSpan,
  ListedHold,
  Observation,
  ObserveReport,
  ObserveResult,
  ObserveSummary,
  ObservedLockSpan,
  ObservedSpans,
  ReadLockSpan,
} from '../model/lock-observation.ts';

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

/**
 * The observation with its summary, as observe.json holds it: the summary sits after the sampling
 * figures and before the spans, where the observer has always written it.
 */
export function summarizeObservation(observation: Observation): ObserveResult {
  const { writeSpans, commitSpans, checkpointSpans, recoverSpans, readLocks, ...sampling } = observation;
  return {
    ...sampling,
    summary: summarizeSpans(observation, observation.durationMs),
    writeSpans,
    ...(commitSpans === undefined ? {} : { commitSpans }),
    checkpointSpans,
    recoverSpans,
    readLocks,
  };
}

/** Every span is listed when there are at most this many; otherwise the longest {@link LONGEST_LISTED}. */
export const LIST_ALL_SPANS_UP_TO = 100;
export const LONGEST_LISTED = 20;
/** Upper bounds of the hold histogram buckets, in ms (the last bucket is open). */
export const HOLD_BUCKETS_MS = [1, 5, 10, 50, 100, 500, 1000];

function holdHistogram(spans: readonly LockSpan[]): HoldBucket[] {
  const counts = new Array<number>(HOLD_BUCKETS_MS.length + 1).fill(0);
  for (const span of spans) {
    const bucket = HOLD_BUCKETS_MS.findIndex((bound) => spanMs(span) < bound);
    counts[bucket === -1 ? HOLD_BUCKETS_MS.length : bucket]! += 1;
  }
  return counts.map((count, i) => ({ belowMs: HOLD_BUCKETS_MS[i] ?? null, count }));
}

function listedHolds(spans: readonly ObservedLockSpan[], commitSpans: readonly ObservedLockSpan[]): ListedHold[] {
  const listed = spans.length <= LIST_ALL_SPANS_UP_TO ? spans : [...spans].sort((a, b) => spanMs(b) - spanMs(a)).slice(0, LONGEST_LISTED);
  return listed.map((span) => ({ span, holdMs: spanMs(span), committingMs: committingWithin(span, commitSpans) }));
}

function appHolds(result: ObserveResult, appPid: number): AppHolds {
  const processes = processesByPid(result.processes);
  const commitSpans = result.commitSpans ?? [];
  const app = result.writeSpans.filter((w) => inProcessTree(w.pid, appPid, processes));
  return {
    pid: appPid,
    holdCount: app.length,
    processCount: new Set(app.map((w) => w.pid)).size,
    heldMs: app.reduce((sum, w) => sum + spanMs(w), 0),
    committingMs: app.reduce((sum, w) => sum + committingWithin(w, commitSpans), 0),
  };
}

/** What the end-of-run summary of `npm run observe` shows; `appPid` is the application's (`--pid`). */
export function observeReport(result: ObserveResult, appPid?: number): ObserveReport {
  return {
    result,
    listedHolds: listedHolds(result.writeSpans, result.commitSpans ?? []),
    allHoldsListed: result.writeSpans.length <= LIST_ALL_SPANS_UP_TO,
    holdHistogram: holdHistogram(result.writeSpans),
    app: appPid === undefined ? null : appHolds(result, appPid),
  };
}

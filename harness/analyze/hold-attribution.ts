/**
 * Which requests held the write lock: each observed hold of the target set against the requests in flight
 * while it was held. Seen from outside, a request is only known to be at the target, not in which of its
 * processes: the candidates are every request sent before the lock was taken and answered after it was
 * released. One candidate attributes the hold exactly; several of one stream attribute it to that stream
 * ("one of N"); several streams, or none (a hold of the target's own start-up, or of work no request
 * waits for), leave it unattributed. Pure: tested on recorded spans and samples.
 */
import type { ObservedLockSpan } from '../model/lock-observation.ts';
import type { HoldAttribution, RequestSample, StreamLockFigures } from '../model/results.ts';
import type { HoldMatch } from '../model/observation.ts';

/**
 * The requests that were certainly in flight for the whole of `hold`: sent by the time it was seen taken
 * (`startMs`) and answered no earlier than the last sample that saw it held (`releasedAfterMs`).
 */
export function candidatesOf(hold: ObservedLockSpan, requests: readonly RequestSample[]): RequestSample[] {
  return requests.filter((r) => r.sentMs !== null && r.sentMs <= hold.startMs && r.endMs >= hold.releasedAfterMs);
}

export function matchHold(hold: ObservedLockSpan, requests: readonly RequestSample[]): HoldMatch {
  const candidates = candidatesOf(hold, requests);
  if (candidates.length === 0) return { kind: 'none' };
  if (candidates.length === 1) return { kind: 'exact', stream: candidates[0]!.stream };
  const streams = new Set(candidates.map((c) => c.stream));
  return streams.size === 1 ? { kind: 'one-of', stream: candidates[0]!.stream, candidates: candidates.length } : { kind: 'ambiguous', candidates: candidates.length };
}

/** The target's holds attributed to streams, with the counts of each kind of match and the share attributed. */
export function attributeHolds(holds: readonly ObservedLockSpan[], requests: readonly RequestSample[]): HoldAttribution {
  // A plain scan per hold: a trial has a few thousand requests and holds, so no interval index is needed.
  const counts = { exact: 0, oneOf: 0, ambiguous: 0, none: 0 };
  const byStream = new Map<string, StreamLockFigures>();
  let attributedMs = 0;
  let totalMs = 0;
  for (const hold of holds) {
    const holdMs = hold.endMs - hold.startMs;
    totalMs += holdMs;
    const match = matchHold(hold, requests);
    if (match.kind === 'exact') counts.exact += 1;
    else if (match.kind === 'one-of') counts.oneOf += 1;
    else if (match.kind === 'ambiguous') counts.ambiguous += 1;
    else counts.none += 1;
    if (match.kind !== 'exact' && match.kind !== 'one-of') continue;
    attributedMs += holdMs;
    const figures = byStream.get(match.stream) ?? { stream: match.stream, holds: 0, exact: 0, heldMs: 0, holdMaxMs: 0 };
    figures.holds += 1;
    if (match.kind === 'exact') figures.exact += 1;
    figures.heldMs += holdMs;
    figures.holdMaxMs = Math.max(figures.holdMaxMs, holdMs);
    byStream.set(match.stream, figures);
  }
  return {
    holds: holds.length,
    ...counts,
    attributedShare: holds.length === 0 ? null : (counts.exact + counts.oneOf) / holds.length,
    attributedTimeShare: totalMs === 0 ? null : attributedMs / totalMs,
    byStream: [...byStream.values()].sort((a, b) => b.heldMs - a.heldMs),
  };
}

/**
 * When a workload's SQL streams stop issuing writes, on the load's timeline: at the end of their own
 * `duration` from their start, or, with `endsAfter`, once the stream they name has ended plus the tail,
 * whichever comes first (as the built-in driver ends a request stream). A request stream's end is the
 * driver's to tell (its last iteration answered); an SQL stream's end is its own schedule's end.
 */

/** One SQL stream's place on the load's timeline. */
export interface SqlStreamTimeline {
  stream: string;
  /** Its first write is due this long after the load's t0, in ms. */
  startDelayMs: number;
  /** Its writes are due for this long from its start, in ms; null: until it is stopped. */
  durationMs: number | null;
  /** The stream it ends after and the tail, in ms; null: it ends by its duration only. */
  endsAfter: { stream: string; tailMs: number } | null;
}

/**
 * Each SQL stream's end (epoch ms), given the load's t0 and the request streams ended so far (epoch ms, by
 * name); null for a stream with no end yet (no duration, and the stream it ends after has not ended).
 */
export function sqlStreamEnds(streams: readonly SqlStreamTimeline[], startedAtMs: number, ended: ReadonlyMap<string, number>): Map<string, number | null> {
  const byName = new Map(streams.map((s) => [s.stream, s]));
  const ends = new Map<string, number | null>();
  const endOf = (s: SqlStreamTimeline, seen: readonly string[]): number | null => {
    const known = ends.get(s.stream);
    if (known !== undefined) return known;
    const own = s.durationMs === null ? null : startedAtMs + s.startDelayMs + s.durationMs;
    const named = s.endsAfter;
    // The loader refuses streams that end after each other in a circle; a circle here ends by durations only.
    const other = named === null || seen.includes(named.stream) ? undefined : byName.get(named.stream);
    const otherEnd = named === null ? null : other ? endOf(other, [...seen, s.stream]) : (ended.get(named.stream) ?? null);
    const after = otherEnd === null || named === null ? null : otherEnd + named.tailMs;
    const end = own === null ? after : after === null ? own : Math.min(own, after);
    ends.set(s.stream, end);
    return end;
  };
  for (const s of streams) endOf(s, []);
  return ends;
}

import { describe, expect, it } from 'vitest';
import { sqlStreamEnds, type SqlStreamTimeline } from './sql-stream-ends.ts';

const T0 = 1_000_000;
const stream = (name: string, fields: Partial<SqlStreamTimeline> = {}): SqlStreamTimeline => ({ stream: name, startDelayMs: 0, durationMs: 60_000, endsAfter: null, ...fields });

describe("the SQL streams' ends", () => {
  it('are their own duration from their start while the stream they end after goes on', () => {
    const ends = sqlStreamEnds([stream('audit', { startDelayMs: 500, durationMs: 2_000, endsAfter: { stream: 'orders', tailMs: 1_000 } })], T0, new Map());
    expect(ends.get('audit')).toBe(T0 + 2_500);
  });

  it('are the end of the request stream they name plus the tail, once it ended, unless their own comes first', () => {
    const streams = [stream('audit', { endsAfter: { stream: 'orders', tailMs: 1_000 } }), stream('short', { durationMs: 1_500, endsAfter: { stream: 'orders', tailMs: 1_000 } })];
    const ends = sqlStreamEnds(streams, T0, new Map([['orders', T0 + 3_200], ['reads', T0 + 100]]));
    expect(ends.get('audit')).toBe(T0 + 4_200);
    expect(ends.get('short')).toBe(T0 + 1_500);
  });

  it("follow an SQL stream's own schedule end, through a chain, in any order of the file", () => {
    const streams = [
      stream('last', { endsAfter: { stream: 'middle', tailMs: 100 } }),
      stream('middle', { startDelayMs: 1_000, durationMs: 5_000, endsAfter: { stream: 'first', tailMs: 200 } }),
      stream('first', { durationMs: 2_000 }),
    ];
    const ends = sqlStreamEnds(streams, T0, new Map());
    expect(ends.get('first')).toBe(T0 + 2_000);
    expect(ends.get('middle')).toBe(T0 + 2_200);
    expect(ends.get('last')).toBe(T0 + 2_300);
  });

  it('have none while a stream without a duration waits for the one it names', () => {
    const streams = [stream('holder', { durationMs: null, endsAfter: { stream: 'orders', tailMs: 0 } })];
    expect(sqlStreamEnds(streams, T0, new Map()).get('holder')).toBeNull();
    expect(sqlStreamEnds(streams, T0, new Map([['orders', T0 + 10]])).get('holder')).toBe(T0 + 10);
  });
});

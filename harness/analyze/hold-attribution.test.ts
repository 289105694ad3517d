import { describe, expect, it } from 'vitest';
import type { RequestSample } from '../model/results.ts';
import { polledSpan, T0 } from '../run/observe/testing/spans.ts';
import { attributeHolds, matchHold } from './hold-attribution.ts';

/** A request of `stream` sent `sentMs` and answered `endMs` after T0. */
function request(stream: string, sentMs: number, endMs: number): RequestSample {
  return { stream, scheduledMs: T0 + sentMs, sentMs: T0 + sentMs, endMs: T0 + endMs, status: 200, error: null };
}

const TARGET = 100;

describe('holds attributed to the requests in flight', () => {
  const requests = [
    request('imports', 0, 1000), // alone over [100, 900]
    request('catalog', 1100, 1300), // two catalog updates over [1150, 1250]
    request('catalog', 1120, 1400),
    request('imports', 2000, 2600), // an import and a catalog update over [2100, 2200]
    request('catalog', 2050, 2300),
  ];

  it('is exact with one candidate, "one of N" of a stream with several of one stream, unattributed across streams or with none', () => {
    expect(matchHold(polledSpan(100, 900, TARGET), requests)).toEqual({ kind: 'exact', stream: 'imports' });
    expect(matchHold(polledSpan(1150, 1250, TARGET), requests)).toEqual({ kind: 'one-of', stream: 'catalog', candidates: 2 });
    expect(matchHold(polledSpan(2100, 2200, TARGET), requests)).toEqual({ kind: 'ambiguous', candidates: 2 });
    expect(matchHold(polledSpan(1700, 1800, TARGET), requests)).toEqual({ kind: 'none' });
  });

  it('counts a request only when it was in flight for the whole hold: sent before it was taken, answered after it was released', () => {
    // Answered before the hold ended: it did not hold the lock to its release.
    expect(matchHold(polledSpan(900, 1050, TARGET), requests)).toEqual({ kind: 'none' });
    // Sent after the hold began.
    expect(matchHold(polledSpan(1110, 1200, TARGET), requests)).toEqual({ kind: 'exact', stream: 'catalog' });
  });

  it('sums the attributed holds by stream, most held first, with the share attributed by count and by time', () => {
    const holds = [polledSpan(100, 900, TARGET), polledSpan(1150, 1250, TARGET), polledSpan(2100, 2200, TARGET), polledSpan(1700, 1800, TARGET)];
    const attribution = attributeHolds(holds, requests);
    expect(attribution).toEqual({
      holds: 4,
      exact: 1,
      oneOf: 1,
      ambiguous: 1,
      none: 1,
      attributedShare: 0.5,
      attributedTimeShare: 900 / 1100,
      byStream: [
        { stream: 'imports', holds: 1, exact: 1, heldMs: 800, holdMaxMs: 800 },
        { stream: 'catalog', holds: 1, exact: 0, heldMs: 100, holdMaxMs: 100 },
      ],
    });
    expect(attributeHolds([], requests)).toMatchObject({ holds: 0, attributedShare: null, attributedTimeShare: null, byStream: [] });
  });
});

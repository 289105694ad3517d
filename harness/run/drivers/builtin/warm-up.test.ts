import { describe, expect, it } from 'vitest';
import { benchScenario } from '../../../../scenarios/lib/scenario.ts';
import { DEFAULT_CATALOG_ENTRIES } from '../../../../scenarios/lib/defaults.ts';
import { SCENARIO_DEFINITIONS } from '../../../plan/scenarios.ts';
import { resolveRunOptions } from '../../../plan/options.ts';
import { MAX_WARM_UP_REQUESTS } from './http.ts';
import { reservedConnections, warmUpRequests } from './worker.ts';

describe('warmUpRequests', () => {
  it('sends 0.4 s worth of the arrival rate, between 20 and the most', () => {
    expect(warmUpRequests(benchScenario({ rate: 50, durationMs: 1_000, maxVUs: 100 }))).toBe(20);
    expect(warmUpRequests(benchScenario({ rate: 300, durationMs: 1_000, maxVUs: 100 }))).toBe(120);
    expect(warmUpRequests(benchScenario({ rate: 2_000, durationMs: 1_000, maxVUs: 500 }))).toBe(MAX_WARM_UP_REQUESTS);
  });

  it('sends the most before a back-to-back stream, and the least before the concurrent scenario', () => {
    expect(warmUpRequests(benchScenario({ rate: 1, durationMs: 1_000, maxVUs: 1, backToBack: true }))).toBe(MAX_WARM_UP_REQUESTS);
    const concurrent = SCENARIO_DEFINITIONS.concurrent.describe(resolveRunOptions({}), DEFAULT_CATALOG_ENTRIES);
    // Catalog updates at 20/s and reads at 5/s: 10 requests' worth, so the floor; the import VUs do not count.
    expect(warmUpRequests(concurrent)).toBe(20);
  });
});

describe('reservedConnections', () => {
  it('keeps one connection per import VU open before t0, and one per rate stream at the concurrent scenario\'s rates', () => {
    const concurrent = SCENARIO_DEFINITIONS.concurrent.describe(resolveRunOptions({}), DEFAULT_CATALOG_ENTRIES);
    // Five import VUs; catalog updates at 20/s and reads at 5/s need one each.
    expect(reservedConnections(concurrent)).toBe(5 + 1 + 1);
  });

  it('keeps what a rate stream sends in 10 ms, at most its maxVUs', () => {
    expect(reservedConnections(benchScenario({ rate: 2_000, durationMs: 1_000, maxVUs: 100 }))).toBe(20);
    expect(reservedConnections(benchScenario({ rate: 2_000, durationMs: 1_000, maxVUs: 4 }))).toBe(4);
  });

  it('opens none for a stream that starts after t0', () => {
    const concurrent = SCENARIO_DEFINITIONS.concurrent.describe(resolveRunOptions({}), DEFAULT_CATALOG_ENTRIES);
    const [imports, ...rest] = concurrent.streams;
    expect(reservedConnections({ ...concurrent, streams: [{ ...imports!, startTimeMs: 1_000 }, ...rest] })).toBe(1 + 1);
  });
});

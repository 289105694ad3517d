/**
 * At t0 the arrivals on a timeline are handed to the transport before the VUs' first iterations: their
 * latency is milliseconds, an import's seconds, and each send at t0 delays the ones after it.
 */
import { describe, expect, it } from 'vitest';
import type { ScenarioDescription, StreamDescription } from '../../../../scenarios/lib/scenario.ts';
import { runDescription, type Transport } from './engine.ts';
import { timerClock } from './testing.ts';

const SETTINGS: ScenarioDescription['settings'] = { artifacts: 10, compositeEvery: 0, children: 0, imports: 3, catalogEntries: 10, readLimit: 1 };

const rate = (name: string, request: StreamDescription['request']): StreamDescription => ({
  name,
  executor: { type: 'constant-arrival-rate', rate: 1, preAllocatedVUs: 1, maxVUs: 1, gracefulStopMs: 5_000 },
  request,
  timeoutMs: 5_000,
  tags: {},
  end: { type: 'duration', durationMs: 1 },
});

describe('the first sends', () => {
  it('hands the rate streams\' first arrivals to the transport before the VUs\' first iterations', async () => {
    const order: string[] = [];
    const transport: Transport = {
      send(call) {
        order.push(call.route);
        const sentMs = timerClock.now();
        return Promise.resolve({ status: 200, body: '{}', sentMs, endMs: sentMs, error: null });
      },
    };
    const streams: StreamDescription[] = [
      { name: 'imports', executor: { type: 'per-vu-iterations', vus: 3, iterations: 1, maxDurationMs: 60_000 }, request: 'import', timeoutMs: 5_000, tags: {} },
      rate('catalog', 'catalogUpdate'),
      rate('reads', 'artifactRead'),
    ];
    await runDescription({ name: 'concurrent', streams, settings: SETTINGS }, { transport, clock: timerClock, signal: new AbortController().signal });
    expect(order).toHaveLength(5);
    expect(order.slice(0, 2).map((r) => r.split(' ')[0])).toEqual(['PATCH', 'GET']);
    expect(order.slice(2).every((r) => r.startsWith('POST'))).toBe(true);
  });
});

/**
 * At t0 every stream's first sends are handed to the transport in one pass of the event loop, nothing
 * built between them: the arrivals on a timeline first (their latency is milliseconds, an import's
 * seconds, and each send at t0 delays the ones after it), then the first iteration of every VU, all
 * built before t0. A turn of the loop between them let whatever had come in meanwhile (wake-ups,
 * answers) go first: on a busy machine, tens of ms.
 */
import { describe, expect, it } from 'vitest';
import type { ScenarioDescription, StreamDescription } from '../../../../scenarios/lib/scenario.ts';
import { parseWorkload } from '../../../plan/workload/load.ts';
import { workloadScenario, workloadStreamIterations } from '../../workload/run.ts';
import type { WorkloadIterations } from '../../workload/iteration.ts';
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

/** Records each call handed over (its route, its path) in `events` and answers 200 a turn of the loop later. */
function recordingTransport(events: string[]): Transport {
  return {
    send(call) {
      events.push(`send ${call.route} ${call.path}`);
      const sentMs = timerClock.now();
      return new Promise((resolve) => setImmediate(() => resolve({ status: 200, body: '{}', sentMs, endMs: timerClock.now(), error: null })));
    },
  };
}

/** A shop's streams of every executor that sends at t0; each request names its stream and iteration. */
const shop = parseWorkload(
  {
    name: 'shop',
    answers: { success: { status: [200] } },
    streams: {
      restocks: {
        executor: 'per-vu-iterations',
        vus: 3,
        iterations: 2,
        request: { method: 'POST', path: '/restocks/{n}', headers: { 'Content-Type': 'application/json' }, body: { items: '{items}' } },
        values: { items: { list: { count: 100, as: 'i', item: { sku: 'sku-{i}', quantity: '{i}' } } } },
      },
      browsing: { executor: 'constant-vus', vus: 2, duration: '20ms', request: { method: 'GET', path: '/products/{n}' } },
      orders: { executor: 'constant-arrival-rate', rate: 1, duration: '1ms', request: { method: 'POST', path: '/orders/{n}', body: { quantity: 1 } } },
    },
  },
  'shop',
  '.',
).workload;

/** The workload's iterations, each rendering recorded in `events` as it happens. */
function recordedRenders(events: string[]): Record<string, WorkloadIterations> {
  return Object.fromEntries(
    Object.entries(workloadStreamIterations(shop)).map(([name, own]) => [
      name,
      { ...own, iteration: (n: number) => (events.push(`render ${name} ${n}`), own.iteration(n)) } satisfies WorkloadIterations,
    ]),
  );
}

describe('the first sends', () => {
  it("hands the rate streams' first arrivals to the transport before the VUs' first iterations", async () => {
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

  it('hands every send due at t0 over before the event loop turns: nothing that comes in meanwhile goes first', async () => {
    const events: string[] = [];
    const streams: StreamDescription[] = [
      { name: 'imports', executor: { type: 'per-vu-iterations', vus: 3, iterations: 1, maxDurationMs: 60_000 }, request: 'import', timeoutMs: 5_000, tags: {} },
      rate('catalog', 'catalogUpdate'),
      rate('reads', 'artifactRead'),
    ];
    await runDescription(
      { name: 'concurrent', streams, settings: SETTINGS },
      {
        transport: recordingTransport(events),
        clock: timerClock,
        signal: new AbortController().signal,
        // What the loop would run first on its next turn: an answer read, a wake-up.
        onStart: () => setImmediate(() => events.push('the loop turned')),
      },
    );
    expect(events.indexOf('the loop turned')).toBe(5);
  });

  it("renders no request between t0 and the last send due at t0: every VU's first body is rendered before t0", async () => {
    const events: string[] = [];
    await runDescription(workloadScenario(shop, 'concurrent'), {
      transport: recordingTransport(events),
      clock: timerClock,
      signal: new AbortController().signal,
      workload: recordedRenders(events),
      onStart: () => events.push('t0'),
    });
    const t0 = events.indexOf('t0');
    // One arrival, then the first iteration of each of the 3 + 2 VUs, with their own numbers.
    expect(events.slice(t0 + 1, t0 + 7)).toEqual(['send POST /orders/{n} /orders/0', ...[0, 2, 4].map((n) => `send POST /restocks/{n} /restocks/${n}`), 'send GET /products/{n} /products/0', 'send GET /products/{n} /products/1']);
    expect(events.slice(0, t0).sort()).toEqual(['render browsing 0', 'render browsing 1', 'render orders 0', 'render restocks 0', 'render restocks 2', 'render restocks 4']);
    // Each VU's second restock is rendered after the sends at t0, and before it is sent.
    for (const n of [1, 3, 5]) {
      const rendered = events.indexOf(`render restocks ${n}`);
      expect(rendered).toBeGreaterThan(t0 + 6);
      expect(rendered).toBeLessThan(events.indexOf(`send POST /restocks/{n} /restocks/${n}`));
    }
  });
});

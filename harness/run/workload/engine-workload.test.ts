/**
 * The built-in driver's engine running a workload's streams: requests rendered from its templates, and
 * every answer classified by its rules as it is read (status and body, lock errors fast or timed out,
 * acknowledged counts). A transport that answers at once stands in for the app.
 */
import { describe, expect, it } from 'vitest';
import type { HttpCall } from '../../../scenarios/lib/requests.ts';
import { runDescription, type Transport, type TransportResult } from '../drivers/builtin/engine.ts';
import { timerClock } from '../drivers/builtin/testing.ts';
import { parseWorkload } from '../../plan/workload/load.ts';
import { workloadScenario, workloadStreamIterations } from './run.ts';

const workload = parseWorkload(
  {
    name: 'shop',
    lockErrors: { busyTimeout: '5s' },
    answers: { success: { status: [201] }, lockError: { status: [500], body: 'database is locked' } },
    streams: {
      orders: {
        executor: 'per-vu-iterations',
        vus: 1,
        iterations: 4,
        request: { method: 'POST', path: '/orders/{n}', headers: { 'Content-Type': 'application/json' }, body: { quantity: '{quantity}' } },
        values: { quantity: { sequence: { start: 10 } } },
        acknowledged: 'stored',
      },
    },
  },
  'shop',
  '.',
).workload;

/** Answers each call at once by its path: /orders/1 a lock error, /orders/2 another 500, the rest 201 acknowledging 1 row. */
function shop(): Transport & { sent: HttpCall[] } {
  const sent: HttpCall[] = [];
  return {
    sent,
    send(call): Promise<TransportResult> {
      sent.push(call);
      const now = timerClock.now();
      const answer = (status: number, body: string) => Promise.resolve({ status, body, sentMs: now, endMs: now + 1, error: null });
      if (call.path === '/orders/1') return answer(500, '{"detail":"database is locked"}');
      if (call.path === '/orders/2') return answer(500, '{"detail":"boom"}');
      return answer(201, '{"stored":1}');
    },
  };
}

describe("the engine on a workload's streams", () => {
  it("sends what the templates render and classifies each answer by the workload's rules as it is read", async () => {
    const transport = shop();
    const result = await runDescription(workloadScenario(workload, 'concurrent'), {
      transport,
      clock: timerClock,
      signal: new AbortController().signal,
      workload: workloadStreamIterations(workload),
    });
    expect(transport.sent.map((c) => [c.method, c.path, c.body])).toEqual([
      ['POST', '/orders/0', '{"quantity":10}'],
      ['POST', '/orders/1', '{"quantity":11}'],
      ['POST', '/orders/2', '{"quantity":12}'],
      ['POST', '/orders/3', '{"quantity":13}'],
    ]);
    expect(result.classified.map((s) => [s.stream, s.status, s.outcome, s.lockFailure, s.acknowledged])).toEqual([
      ['orders', 201, 'success', null, 1],
      ['orders', 500, 'lock-error', 'fast', null],
      ['orders', 500, 'error', null, null],
      ['orders', 201, 'success', null, 1],
    ]);
    // The timing samples are kept as for any stream.
    expect(result.samples).toHaveLength(4);
  });
});

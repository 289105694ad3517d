import { describe, expect, it } from 'vitest';
import { workloadIterations } from './iteration.ts';
import { parseWorkload } from '../../plan/workload/load.ts';
import type { HttpAction, WorkloadStream } from '../../model/workload-plan.ts';
import { DOC_DIR, shop } from '../../plan/workload/testing/bad-workloads.ts';

const { workload } = parseWorkload(shop(), 'shop', DOC_DIR);
const stream = (name: string) => workload.streams.find((s) => s.name === name) as WorkloadStream & { action: HttpAction };
const answer = (status: number, body: string, ms: number) => ({ status, body, startEpochMs: 1000, endEpochMs: 1000 + ms });

describe('a workload stream as the drivers\' iterations', () => {
  it('sends the rendered request, one route name for the stream', () => {
    const call = workloadIterations(workload, stream('restocks')).iteration(0).first;
    expect(call).toMatchObject({ method: 'POST', path: '/restock', headers: { 'Content-Type': 'application/json' }, route: 'POST /restock' });
    expect(JSON.parse(call.body!).items).toHaveLength(100);
  });

  it('counts success toward request success by the stream\'s rules, body included', () => {
    const orders = workloadIterations(workload, stream('orders')).iteration(3);
    expect(orders.outcome([answer(201, '{}', 5)])).toEqual({ successes: [true] });
    expect(orders.outcome([answer(500, 'database is locked', 5)])).toEqual({ successes: [false] });
    expect(orders.outcome([])).toEqual({ successes: [false] });
  });

  it('records each answer classified, with its lock failure and acknowledged count', () => {
    const restocks = workloadIterations(workload, stream('restocks'));
    expect(restocks.sample(answer(201, '{"restocked":100}', 40), { scheduledMs: 990, sentMs: 1000 })).toEqual({
      stream: 'restocks', scheduledMs: 990, sentMs: 1000, endMs: 1040, status: 201, outcome: 'success', lockFailure: null, acknowledged: 100,
    });
    expect(restocks.sample(answer(503, 'SQLITE_BUSY', 5_100), { scheduledMs: null, sentMs: 1000 })).toMatchObject({ outcome: 'lock-error', lockFailure: 'timed-out', acknowledged: null });
  });
});

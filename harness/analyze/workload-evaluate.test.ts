import { describe, expect, it } from 'vitest';
import type { WorkloadSample } from '../model/workload-samples.ts';
import { dutyCycle, evaluateWorkloadCriteria, streamWindow, type CriteriaInput } from './workload-evaluate.ts';
import { parseWorkload } from '../plan/workload/load.ts';
import { DOC_DIR, shop } from '../plan/workload/testing/bad-workloads.ts';

const T0 = 1_700_000_000_000;
const { workload } = parseWorkload(shop(), 'shop', DOC_DIR);

function sample(stream: string, sentAt: number, latency: number, extra: Partial<WorkloadSample> = {}): WorkloadSample {
  return { stream, scheduledMs: T0 + sentAt, sentMs: T0 + sentAt, endMs: T0 + sentAt + latency, status: 201, outcome: 'success', lockFailure: null, acknowledged: null, ...extra };
}

/**
 * Restocks run from 1 s to 3 s. Orders: 100 outside that window answer in 10 ms; 100 inside in 200 ms but
 * for two slow ones (900 ms) and one fast lock error. Product reads: 400 over 2 s.
 */
function samples(): WorkloadSample[] {
  const out: WorkloadSample[] = [
    sample('restocks', 1000, 400, { acknowledged: 100 }),
    sample('restocks', 2600, 400, { acknowledged: 100 }),
  ];
  for (let i = 0; i < 100; i++) out.push(sample('orders', 4000 + i * 10, 10));
  for (let i = 0; i < 100; i++) out.push(sample('orders', 1000 + i * 19, i < 2 ? 900 : 200));
  out.push(sample('orders', 1500, 15, { status: 500, outcome: 'lock-error', lockFailure: 'fast' }));
  for (let i = 0; i < 400; i++) out.push(sample('product-reads', i * 5, 2, { status: 200 }));
  return out;
}

function input(overrides: Partial<CriteriaInput> = {}): CriteriaInput {
  return {
    workload,
    samples: samples(),
    lockSpans: [
      { startMs: T0 + 1000, endMs: T0 + 1400, pid: 11 },
      { startMs: T0 + 1200, endMs: T0 + 1500, pid: 12 },
      { startMs: T0 + 2600, endMs: T0 + 3000, pid: 11 },
    ],
    run: { startMs: T0, endMs: T0 + 5000 },
    noLoss: { 'restocks-stored': { found: 200, integrityOk: true } },
    ...overrides,
  };
}

const byId = (results: ReturnType<typeof evaluateWorkloadCriteria>) => Object.fromEntries(results.map((r) => [r.id, r]));

describe('workload criteria', () => {
  const results = byId(evaluateWorkloadCriteria(input()));

  it('judges a percentile only over what started inside another stream\'s window', () => {
    expect(results['orders-p99']).toMatchObject({ measured: expect.closeTo(900, 6), unit: 'ms', pass: false, basis: { counted: 101, of: 201 } });
  });

  it('records the window it judged and the same stream over the whole run beside the in-window figure', () => {
    // Whole run: 100 at 10 ms, one at 15, 98 at 200, two at 900; inside the window: all but the 100 at 10 ms.
    expect(results['orders-p99']!.windowed).toEqual({
      stream: 'orders',
      percentile: 99,
      windowStream: 'restocks',
      window: { startMs: T0 + 1000, endMs: T0 + 3000 },
      p50Ms: 200,
      wholeRun: { measured: 200, p50Ms: 15, counted: 201 },
    });
  });

  it('records no window on a criterion that names none', () => {
    const unwindowed = Object.values(results).filter((r) => r.id !== 'orders-p99');
    expect(unwindowed.length).toBeGreaterThan(0);
    for (const r of unwindowed) expect(r.windowed, r.id).toBeUndefined();
  });

  it('keeps the whole run\'s figures when the window stream sent nothing', () => {
    const noRestocks = byId(evaluateWorkloadCriteria(input({ samples: samples().filter((s) => s.stream !== 'restocks') })));
    expect(noRestocks['orders-p99']!.windowed).toEqual({
      stream: 'orders',
      percentile: 99,
      windowStream: 'restocks',
      window: null,
      p50Ms: null,
      wholeRun: { measured: 200, p50Ms: 15, counted: 201 },
    });
  });

  it('names the stream each criterion judges, and none for a criterion over every stream or the lock', () => {
    expect(results['orders-p99']!.stream).toBe('orders');
    expect(results['reads-keep-up']!.stream).toBe('product-reads');
    expect(results['restocks-stored']!.stream).toBe('restocks');
    expect(results['few-timeouts']!.stream).toBeUndefined();
    expect(results['lock-hold']!.stream).toBeUndefined();
  });

  it('counts fast lock errors of one stream', () => {
    expect(results['no-fast-lock-errors']).toMatchObject({ measured: 1, unit: 'count', pass: false });
  });

  it('counts the requests that got no answer apart from error answers, over the request streams only', () => {
    const file = shop() as { criteria: unknown[]; rank?: string[] };
    // The shop's rank names criteria this case replaces.
    delete file.rank;
    file.criteria = [
      { id: 'all-answered', type: 'outcomes', outcomes: ['no-answer'], measure: 'count', comparison: '==', threshold: 0 },
      { id: 'errors', type: 'outcomes', outcomes: ['error'], measure: 'count', comparison: '==', threshold: 0 },
    ];
    const noAnswer = parseWorkload(file, 'shop', DOC_DIR).workload;
    const judged = byId(
      evaluateWorkloadCriteria(
        input({
          workload: noAnswer,
          samples: [
            sample('orders', 0, 10_000, { status: 0, outcome: 'error' }),
            sample('orders', 10, 5, { status: 500, outcome: 'error' }),
            sample('orders', 20, 5, { status: 500, outcome: 'lock-error', lockFailure: 'fast' }),
            // A failed SQL write has no status either, but it is no request: it is not counted.
            sample('report', 30, 5, { status: 0, outcome: 'error' }),
          ],
        }),
      ),
    );
    expect(judged['all-answered']).toMatchObject({ measured: 1, pass: false, basis: { counted: 3, of: 3 } });
    expect(judged.errors).toMatchObject({ measured: 2, pass: false });
  });

  it('takes a rate over every request stream when no stream is named', () => {
    // No timed-out lock errors among 603 requests (the SQL stream has no samples here).
    expect(results['few-timeouts']).toMatchObject({ measured: 0, unit: 'ratio', pass: true, basis: { counted: 603, of: 603 } });
  });

  it('measures throughput over the stream\'s own window', () => {
    // 400 answers from 0 to 1,997 ms.
    expect(results['reads-keep-up']!.measured).toBeCloseTo(400 / 1.997, 6);
    expect(results['reads-keep-up']).toMatchObject({ unit: 'per-second', pass: true });
  });

  it('takes the longest lock hold and the share of the run the lock was held, overlaps once', () => {
    expect(results['lock-hold']).toMatchObject({ measured: 400, pass: true });
    expect(results['lock-busy']).toMatchObject({ measured: (500 + 400) / 5000, unit: 'ratio', pass: true });
  });

  it('compares what the SQL counted with what the stream acknowledged', () => {
    expect(results['restocks-stored']).toMatchObject({ comparison: '==', threshold: 200, measured: 200, unit: 'rows', pass: true });
    const lost = byId(evaluateWorkloadCriteria(input({ noLoss: { 'restocks-stored': { found: 199, integrityOk: true } } })));
    expect(lost['restocks-stored']).toMatchObject({ measured: 199, pass: false });
    expect(lost['restocks-stored']!.code).toBeUndefined();
  });

  it('fails a no-loss check it could not count, or whose integrity check failed, with a code', () => {
    expect(byId(evaluateWorkloadCriteria(input({ noLoss: {} })))['restocks-stored']).toMatchObject({ measured: null, pass: false, code: 'not-counted' });
    const broken = byId(evaluateWorkloadCriteria(input({ noLoss: { 'restocks-stored': { found: 200, integrityOk: false } } })));
    expect(broken['restocks-stored']).toMatchObject({ pass: false, code: 'integrity-failed' });
  });

  it("takes a request stream's acknowledged total as counted beside samples that do not carry it, and fails one not counted", () => {
    const recorded = samples().map((s) => ({ ...s, acknowledged: null }));
    const counted = byId(evaluateWorkloadCriteria(input({ samples: recorded, acknowledged: { restocks: 200 } })));
    expect(counted['restocks-stored']).toMatchObject({ threshold: 200, measured: 200, pass: true });
    // Without the total, nothing acknowledged is no figure: never a pass on 0 rows against 0.
    const unknown = byId(evaluateWorkloadCriteria(input({ samples: recorded, acknowledged: {}, noLoss: { 'restocks-stored': { found: 0, integrityOk: true } } })));
    expect(unknown['restocks-stored']).toMatchObject({ threshold: null, measured: 0, pass: false, code: 'not-acknowledged' });
  });

  it('fails, with a code and no figure, a criterion whose window stream sent nothing', () => {
    const noRestocks = byId(evaluateWorkloadCriteria(input({ samples: samples().filter((s) => s.stream !== 'restocks') })));
    expect(noRestocks['orders-p99']).toMatchObject({ measured: null, pass: false, code: 'window-unknown' });
  });
});

describe('windows and the duty cycle', () => {
  it('a stream\'s window runs from its first request sent to its last answer', () => {
    expect(streamWindow(samples(), 'restocks')).toEqual({ startMs: T0 + 1000, endMs: T0 + 3000 });
    expect(streamWindow(samples(), 'report')).toBeNull();
  });

  it('clips holds to the window and counts overlapping ones once', () => {
    const spans = [
      { startMs: 0, endMs: 30, pid: 1 },
      { startMs: 20, endMs: 40, pid: 2 },
      { startMs: 90, endMs: 150, pid: 1 },
    ];
    expect(dutyCycle(spans, { startMs: 10, endMs: 110 })).toBeCloseTo((30 + 20) / 100, 9);
    expect(dutyCycle([], { startMs: 0, endMs: 100 })).toBe(0);
  });
});

/**
 * The engine's ramping-arrival-rate and constant-vus streams and a stream's start time, on a transport
 * that answers after a set delay, on the real clock. Asserted is what the timeline and the executors make
 * certain (which arrivals, their scheduled times, what waits for what), never how late a timer fired.
 */
import { describe, expect, it } from 'vitest';
import type { RampingArrivalRateExecutor, ScenarioDescription, StreamDescription } from '../../../../scenarios/lib/scenario.ts';
import { arrivalOffsets } from '../../arrivals.ts';
import { runDescription, type Transport, type TransportResult } from './engine.ts';
import { timerClock } from './testing.ts';

const SETTINGS: ScenarioDescription['settings'] = { artifacts: 0, compositeEvery: 0, children: 0, imports: 0, catalogEntries: 10, readLimit: 1 };

/** Answers 200 after `delayMs`, and keeps the most requests it had in flight at once. */
function countingTransport(delayMs: number): Transport & { maxInFlight: () => number } {
  let inFlight = 0;
  let most = 0;
  return {
    maxInFlight: () => most,
    send() {
      inFlight++;
      most = Math.max(most, inFlight);
      const sentMs = timerClock.now();
      return new Promise<TransportResult>((resolve) =>
        setTimeout(() => {
          inFlight--;
          resolve({ status: 200, body: '{}', sentMs, endMs: timerClock.now(), error: null });
        }, delayMs),
      );
    },
  };
}

const stream = (name: string, executor: StreamDescription['executor'], extra: Partial<StreamDescription> = {}): StreamDescription => ({
  name,
  executor,
  request: 'catalogUpdate',
  timeoutMs: 5_000,
  tags: {},
  ...extra,
});

const run = (streams: StreamDescription[], transport: Transport) =>
  runDescription({ name: 'concurrent', streams, settings: SETTINGS }, { transport, clock: timerClock, signal: new AbortController().signal });

describe('ramping-arrival-rate', () => {
  it('schedules its arrivals as its stages say: the rate ramps linearly between targets', async () => {
    const executor: RampingArrivalRateExecutor = {
      type: 'ramping-arrival-rate',
      startRate: 0,
      stages: [
        { target: 40, durationMs: 500 },
        { target: 40, durationMs: 250 },
        { target: 0, durationMs: 500 },
      ],
      preAllocatedVUs: 50,
      maxVUs: 50,
      gracefulStopMs: 5_000,
    };
    const result = await run([stream('ramp', executor, { end: { type: 'duration', durationMs: 1250 } })], countingTransport(2));
    const expected = [...arrivalOffsets(executor)];
    // 10 on the way up, 10 level, 10 on the way down.
    expect(expected).toHaveLength(30);
    expect(result.streams.ramp).toMatchObject({ iterations: 30, dropped: 0, completed: 30 });
    // Each arrival keeps the time its stage gave it, however late it was sent.
    const scheduled = result.samples.map((s) => s.scheduledMs! - result.startedAtMs).sort((a, b) => a - b);
    // (to a µs: epoch milliseconds as doubles keep about 0.2 µs)
    scheduled.forEach((t, i) => expect(t).toBeCloseTo(expected[i]!, 3));
  });

  it('drops an arrival that finds maxVUs busy, as constant-arrival-rate does', async () => {
    const executor: RampingArrivalRateExecutor = { type: 'ramping-arrival-rate', startRate: 20, stages: [{ target: 20, durationMs: 500 }], preAllocatedVUs: 1, maxVUs: 1, gracefulStopMs: 5_000 };
    const transport = countingTransport(230);
    const result = await run([stream('ramp', executor, { end: { type: 'duration', durationMs: 500 } })], transport);
    const counts = result.streams.ramp!;
    expect(counts.iterations + counts.dropped).toBe(10);
    expect(counts.dropped).toBeGreaterThan(0);
    expect(transport.maxInFlight()).toBe(1);
  });
});

describe('constant-vus', () => {
  it('keeps its VUs busy back to back for its duration, never more than vus in flight', async () => {
    const transport = countingTransport(40);
    const durationMs = 400;
    const result = await run([stream('vus', { type: 'constant-vus', vus: 3, durationMs })], transport);
    const samples = [...result.samples].sort((a, b) => a.sentMs! - b.sentMs!);
    expect(transport.maxInFlight()).toBe(3);
    expect(samples.length).toBeGreaterThan(3);
    expect(result.streams.vus).toMatchObject({ dropped: 0, iterations: samples.length, completed: samples.length });
    // Closed model: the k-th send (from 0) waits until k - 2 of the sends before it have been answered.
    const ends = samples.map((s) => s.endMs).sort((a, b) => a - b);
    samples.forEach((s, k) => {
      if (k >= 3) expect(s.sentMs!).toBeGreaterThanOrEqual(ends[k - 3]!);
    });
    // No iteration starts after the duration; the ones running then were awaited.
    for (const s of samples) expect(s.scheduledMs!).toBeLessThan(result.startedAtMs + durationMs);
    expect(samples.every((s) => s.status === 200)).toBe(true);
  });
});

describe('startTime', () => {
  it('starts a stream that long after the run starts, its duration counted from its own start', async () => {
    const rate = { type: 'constant-arrival-rate', rate: 20, preAllocatedVUs: 5, maxVUs: 5, gracefulStopMs: 5_000 } as const;
    const result = await run(
      [
        stream('early', rate, { end: { type: 'duration', durationMs: 200 } }),
        stream('late', rate, { end: { type: 'duration', durationMs: 200 }, startTimeMs: 300 }),
        stream('late-vus', { type: 'constant-vus', vus: 1, durationMs: 100 }, { startTimeMs: 300 }),
        stream('late-once', { type: 'per-vu-iterations', vus: 1, iterations: 1, maxDurationMs: 5_000 }, { startTimeMs: 300 }),
      ],
      countingTransport(2),
    );
    const scheduled = (name: string) => result.samples.filter((s) => s.stream === name).map((s) => s.scheduledMs! - result.startedAtMs);
    expect(scheduled('early')).toEqual([0, 50, 100, 150]);
    // The same timeline, 300 ms later.
    expect(scheduled('late')).toEqual([300, 350, 400, 450]);
    expect(Math.min(...scheduled('late-vus'))).toBeGreaterThanOrEqual(300);
    expect(Math.max(...scheduled('late-vus'))).toBeLessThan(400);
    expect(scheduled('late-once')).toEqual([300]);
  });
});

/**
 * The built-in driver's executors on a transport that answers after a set delay, on the real clock.
 * What is asserted is what the timeline and the executors make certain (how many arrivals, in which
 * order, what waits for what), never how late a timer fired: a busy 2-core machine delays timers.
 */
import { describe, expect, it } from 'vitest';
import type { HttpCall } from '../../../../scenarios/lib/requests.ts';
import type { ScenarioDescription, StreamDescription } from '../../../../scenarios/lib/scenario.ts';
import { runDescription, type Transport, type TransportResult } from './engine.ts';
import { timerClock } from './testing.ts';

/** A delay no test waits out: setTimeout's largest, about 24.8 days. */
const NEVER_MS = 2 ** 31 - 1;

const SETTINGS: ScenarioDescription['settings'] = { artifacts: 2, compositeEvery: 0, children: 0, imports: 2, catalogEntries: 10, readLimit: 1 };

/** Answers 200 after `delayMs(call)`; cancellable like the real one. */
function delayedTransport(delayMs: (call: HttpCall) => number): Transport & { sent: HttpCall[] } {
  const sent: HttpCall[] = [];
  return {
    sent,
    send(call, _timeoutMs, cancel) {
      sent.push(call);
      const sentMs = timerClock.now();
      return new Promise<TransportResult>((resolve) => {
        const timer = setTimeout(() => resolve({ status: 200, body: '{}', sentMs, endMs: timerClock.now(), error: null }), delayMs(call));
        cancel.addEventListener('abort', () => {
          clearTimeout(timer);
          resolve({ status: 0, body: null, sentMs, endMs: timerClock.now(), error: 'aborted' });
        });
      });
    },
  };
}

function rateStream(rate: number, maxVUs: number, end: StreamDescription['end']): StreamDescription {
  return {
    name: 'catalog',
    executor: { type: 'constant-arrival-rate', rate, preAllocatedVUs: maxVUs, maxVUs, gracefulStopMs: 5_000 },
    request: 'catalogUpdate',
    timeoutMs: 5_000,
    tags: {},
    end,
  };
}

const run = (streams: StreamDescription[], transport: Transport, signal = new AbortController().signal) =>
  runDescription({ name: 'concurrent', streams, settings: SETTINGS }, { transport, clock: timerClock, signal });

describe('constant-arrival-rate', () => {
  it('starts arrivals on one timeline at the asked rate, each scheduled at t0 + i / rate', async () => {
    const result = await run([rateStream(100, 100, { type: 'duration', durationMs: 1_000 })], delayedTransport(() => 2));
    const scheduled = result.samples.map((s) => s.scheduledMs! - result.startedAtMs);
    // Arrivals are counted on the timeline, however late each was sent: 1 s at 100/s is 100 of them.
    expect(result.streams.catalog!.iterations + result.streams.catalog!.dropped).toBe(100);
    expect(result.streams.catalog!.dropped).toBe(0);
    // No drift: the i-th arrival is scheduled exactly i x 10 ms after t0, whenever it was sent.
    scheduled.sort((a, b) => a - b).forEach((t, i) => expect(t).toBeCloseTo(i * 10, 6));
  });

  it('counts an arrival that finds every VU busy as a dropped iteration, as k6 does', async () => {
    const result = await run([rateStream(20, 1, { type: 'duration', durationMs: 1_000 })], delayedTransport(() => 230));
    const counts = result.streams.catalog!;
    expect(counts.iterations + counts.dropped).toBe(20);
    expect(counts.dropped).toBeGreaterThan(0);
    expect(counts.iterations).toBeGreaterThan(0);
    expect(result.samples).toHaveLength(counts.iterations);
    // One VU: each request went out only after the one before it was answered.
    const sorted = [...result.samples].sort((a, b) => a.sentMs! - b.sentMs!);
    for (const [i, sample] of sorted.entries()) if (i > 0) expect(sample.sentMs!).toBeGreaterThanOrEqual(sorted[i - 1]!.endMs);
  });

  it('lets answers in before each late arrival, so a backlog is sent rather than dropped while VUs are free', async () => {
    // The clock jumps 200 ms ahead once the run has started: 100 arrivals at 500/s are due at once.
    // Each answer comes on the next turn of the event loop; one VU serves them all one by one.
    let skewMs = 0;
    const clock = { now: () => timerClock.now() + skewMs, sleepUntil: timerClock.sleepUntil };
    const answerNextTurn: Transport = {
      send: () => {
        skewMs = 200;
        const sentMs = clock.now();
        return new Promise((resolve) => setImmediate(() => resolve({ status: 200, body: '{}', sentMs, endMs: clock.now(), error: null })));
      },
    };
    const result = await runDescription(
      { name: 'concurrent', streams: [rateStream(500, 1, { type: 'duration', durationMs: 199 })], settings: SETTINGS },
      { transport: answerNextTurn, clock, signal: new AbortController().signal },
    );
    expect(result.streams.catalog).toMatchObject({ iterations: 100, dropped: 0 });
  });

  it('awaits requests still in flight when the stream ends instead of cancelling them', async () => {
    const result = await run([rateStream(10, 10, { type: 'duration', durationMs: 250 })], delayedTransport(() => 600));
    expect(result.samples.length).toBeGreaterThanOrEqual(2);
    expect(result.samples.every((s) => s.status === 200 && s.error === null)).toBe(true);
    // The run ended only after the last answer came in.
    expect(result.endedAtMs).toBeGreaterThanOrEqual(Math.max(...result.samples.map((s) => s.endMs)));
  });

  it('cancels what is in flight when the run is aborted, and records it as aborted', async () => {
    const abort = new AbortController();
    // Answers that never come: the run can only end by cancelling them.
    const transport = delayedTransport(() => NEVER_MS);
    const sentOne = new Promise<void>((resolve) => {
      const send = transport.send.bind(transport);
      transport.send = (...args) => {
        resolve();
        return send(...args);
      };
    });
    void sentOne.then(() => abort.abort());
    const result = await run([rateStream(10, 10, { type: 'duration', durationMs: 10_000 })], transport, abort.signal);
    expect(result.aborted).toBe(true);
    expect(result.samples.length).toBeGreaterThan(0);
    expect(result.samples.every((s) => s.error === 'aborted')).toBe(true);
  });
});

/** Two imports, one per VU. */
const imports: StreamDescription = {
  name: 'imports',
  executor: { type: 'per-vu-iterations', vus: 2, iterations: 1, maxDurationMs: 10_000 },
  request: 'import',
  timeoutMs: 10_000,
  tags: {},
};

describe('a rate stream that follows the imports', () => {
  it('ends when the imports have answered, plus the tail', async () => {
    const tailMs = 300;
    const transport = delayedTransport((call) => (call.route.startsWith('POST') ? 600 : 1));
    const result = await run([imports, rateStream(50, 50, { type: 'after-stream', stream: 'imports', tailMs, maxDurationMs: 10_000 })], transport);
    const importsEnd = Math.max(...result.samples.filter((s) => s.stream === 'imports').map((s) => s.endMs));
    const lastCatalog = Math.max(...result.samples.filter((s) => s.stream === 'catalog').map((s) => s.scheduledMs!));
    expect(result.outcomes.filter((o) => o.stream === 'imports')).toHaveLength(2);
    // Updates went on through the tail: the stream can only have ended once the tail after the last
    // import answer had passed, so the last arrival is due less than one interval (20 ms) before that.
    expect(lastCatalog).toBeGreaterThanOrEqual(importsEnd + tailMs - 1000 / 50);
    // And it did end then, long before its own limit (10 s at 50/s would be 500 arrivals).
    const counts = result.streams.catalog!;
    expect(counts.iterations + counts.dropped).toBeLessThan(500);
  });
});

describe('the end of each stream, told as it happens', () => {
  it('is told once per stream, after its last answer, the stream it ends before told first', async () => {
    const transport = delayedTransport((call) => (call.route.startsWith('POST') ? 200 : 1));
    const told: { stream: string; endedAtMs: number }[] = [];
    const result = await runDescription(
      { name: 'concurrent', streams: [imports, rateStream(50, 50, { type: 'after-stream', stream: 'imports', tailMs: 100, maxDurationMs: 10_000 })], settings: SETTINGS },
      { transport, clock: timerClock, signal: new AbortController().signal, onStreamEnd: (stream, endedAtMs) => told.push({ stream, endedAtMs }) },
    );
    expect(told.map((t) => t.stream)).toEqual(['imports', 'catalog']);
    for (const { stream, endedAtMs } of told) {
      const lastAnswer = Math.max(...result.samples.filter((s) => s.stream === stream).map((s) => s.endMs));
      expect(endedAtMs, stream).toBeGreaterThanOrEqual(lastAnswer);
      expect(endedAtMs, stream).toBeLessThanOrEqual(result.endedAtMs);
    }
  });
});

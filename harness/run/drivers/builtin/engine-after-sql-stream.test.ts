/**
 * A request stream that ends after an SQL stream (`endsAfter`): the engine stops it at the SQL stream's
 * schedule end plus the tail, whether that end is fixed by durations or follows a request stream's. On a
 * virtual clock that moves only when every sleeper waits, so the ends are exact and nothing is timed.
 */
import { describe, expect, it } from 'vitest';
import type { ScenarioDescription, StreamDescription } from '../../../../scenarios/lib/scenario.ts';
import type { SqlStreamTimeline } from '../../sql-stream-ends.ts';
import { runDescription, type Clock, type Transport } from './engine.ts';

const T0 = 1_000_000;
const SETTINGS: ScenarioDescription['settings'] = { artifacts: 2, compositeEvery: 0, children: 0, imports: 1, catalogEntries: 10, readLimit: 1 };

/** A clock whose time jumps to the earliest moment a sleeper waits for, once the event loop has nothing else to do. */
function virtualClock(): Clock {
  let now = T0;
  const sleepers: { at: number; wake: () => void }[] = [];
  let ticking = false;
  const tick = () => {
    ticking = false;
    if (sleepers.length === 0) return;
    now = Math.max(now, Math.min(...sleepers.map((s) => s.at)));
    for (const s of sleepers.filter((s) => s.at <= now)) {
      sleepers.splice(sleepers.indexOf(s), 1);
      s.wake();
    }
    // Let what woke run (and sleep again) before time moves on.
    ticking = true;
    setImmediate(() => setImmediate(tick));
  };
  return {
    now: () => now,
    sleepUntil(epochMs, signal) {
      return new Promise((resolve) => {
        if (signal.aborted || epochMs <= now) return resolve();
        sleepers.push({ at: epochMs, wake: resolve });
        if (!ticking) {
          ticking = true;
          setImmediate(() => setImmediate(tick));
        }
      });
    },
  };
}

/** Answers 200 after `delayMs(route)` on `clock`. */
function transportOn(clock: Clock, delayMs: (route: string) => number): Transport {
  const never = new AbortController().signal;
  return {
    async send(call) {
      const sentMs = clock.now();
      await clock.sleepUntil(sentMs + delayMs(call.route), never);
      return { status: 200, body: '{}', sentMs, endMs: clock.now(), error: null };
    },
  };
}

/** A stream of catalog updates, or of imports for per-vu-iterations (the transport answers those by route). */
const stream = (name: string, executor: StreamDescription['executor'], end?: StreamDescription['end']): StreamDescription => ({
  name,
  executor,
  request: executor.type === 'per-vu-iterations' ? 'import' : 'catalogUpdate',
  timeoutMs: 5_000,
  tags: {},
  ...(end ? { end } : {}),
});

const rate = (name: string, perSecond: number, end: StreamDescription['end']): StreamDescription =>
  stream(name, { type: 'constant-arrival-rate', rate: perSecond, preAllocatedVUs: 10, maxVUs: 10, gracefulStopMs: 5_000 }, end);

const afterAudit = (tailMs: number): StreamDescription['end'] => ({ type: 'after-stream', stream: 'audit', tailMs, maxDurationMs: 10_000 });

async function run(streams: StreamDescription[], sqlStreams: SqlStreamTimeline[], delayMs: (route: string) => number = () => 1) {
  const clock = virtualClock();
  const told = new Map<string, number>();
  const result = await runDescription(
    { name: 'concurrent', streams, settings: SETTINGS },
    { transport: transportOn(clock, delayMs), clock, signal: new AbortController().signal, sqlStreams, onStreamEnd: (stream, at) => told.set(stream, at) },
  );
  const scheduled = (stream: string) => result.samples.filter((s) => s.stream === stream && s.scheduledMs !== null).map((s) => s.scheduledMs! - result.startedAtMs);
  return { result, told, scheduled };
}

describe('a request stream that ends after an SQL stream', () => {
  it("stops at the SQL stream's own end (its start plus duration) plus the tail, while a longer stream goes on", async () => {
    // The audit writes from 200 ms for 1 s: it ends at 1200 ms, so reads end at 1700 ms.
    const audit: SqlStreamTimeline = { stream: 'audit', startDelayMs: 200, durationMs: 1_000, endsAfter: null };
    const { result, scheduled } = await run([rate('reads', 10, afterAudit(500)), rate('long', 10, { type: 'duration', durationMs: 3_000 })], [audit]);
    // Due at 0, 100, ..., 1600 ms: 17 arrivals, none at or after 1700 ms.
    expect(scheduled('reads')).toEqual(Array.from({ length: 17 }, (_, i) => i * 100));
    expect(result.streams.reads).toMatchObject({ iterations: 17, dropped: 0, completed: 17 });
    expect(result.streams.long).toMatchObject({ iterations: 30, completed: 30 });
  });

  it('stops a constant-vus stream there too, its iteration running at the end finishing', async () => {
    const audit: SqlStreamTimeline = { stream: 'audit', startDelayMs: 0, durationMs: 1_000, endsAfter: null };
    const vus = stream('browse', { type: 'constant-vus', vus: 1, durationMs: 10_000 }, afterAudit(250));
    // Each iteration takes 300 ms: started at 0, 300, 600, 900 and 1200 ms (before 1250 ms), the last answered at 1500 ms.
    const { result, told, scheduled } = await run([vus], [audit], () => 300);
    expect(scheduled('browse')).toEqual([0, 300, 600, 900, 1200]);
    expect(told.get('browse')! - result.startedAtMs).toBe(1500);
  });

  it('follows the chain when the SQL stream itself ends after a request stream', async () => {
    // imports answer after 300 ms; the audit ends 200 ms after them; reads 500 ms after the audit.
    const imports = stream('imports', { type: 'per-vu-iterations', vus: 1, iterations: 1, maxDurationMs: 10_000 });
    const audit: SqlStreamTimeline = { stream: 'audit', startDelayMs: 0, durationMs: 60_000, endsAfter: { stream: 'imports', tailMs: 200 } };
    const { result, told, scheduled } = await run([imports, rate('reads', 10, afterAudit(500))], [audit], (route) => (route.startsWith('POST') ? 300 : 1));
    const readsEnd = told.get('imports')! - result.startedAtMs + 200 + 500;
    expect(readsEnd).toBe(1000);
    expect(scheduled('reads')).toEqual(Array.from({ length: 10 }, (_, i) => i * 100));
  });

  it('runs its longest when the engine is told no SQL stream of that name', async () => {
    const { scheduled } = await run([rate('reads', 10, { type: 'after-stream', stream: 'audit', tailMs: 0, maxDurationMs: 1_000 })], []);
    expect(scheduled('reads')).toHaveLength(10);
  });
});

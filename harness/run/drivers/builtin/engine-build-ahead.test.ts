/**
 * The engine builds every iteration (its request body) before the iteration is due, so that building
 * never delays a send. On a virtual clock: each reading moves it on a little, a sleep jumps it ahead.
 */
import { describe, expect, it, vi } from 'vitest';
import type { ScenarioDescription, StreamDescription } from '../../../../scenarios/lib/scenario.ts';
import type { Clock, Transport } from './engine.ts';

const virtual = vi.hoisted(() => {
  let time = 1_000_000;
  const builds: { kind: string; n: number; atMs: number }[] = [];
  // Sleepers wake one a turn of the event loop, the earliest first, the clock moved to its time: no
  // stream is carried past a moment it waits for by another stream's sleep.
  const sleepers: { atMs: number; wake: () => void }[] = [];
  let running = false;
  const turn = () => {
    if (!running) return;
    sleepers.sort((a, b) => a.atMs - b.atMs);
    const next = sleepers.shift();
    if (next) {
      time = Math.max(time, next.atMs);
      next.wake();
    }
    setImmediate(turn);
  };
  const clock = {
    now: () => (time += 0.001),
    sleepUntil: (epochMs: number) => new Promise<void>((wake) => sleepers.push({ atMs: epochMs, wake })),
    start() {
      running = true;
      setImmediate(turn);
    },
    stop() {
      running = false;
    },
  };
  return { clock, builds };
});

vi.mock('../../../../scenarios/lib/requests.ts', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../../../scenarios/lib/requests.ts')>();
  return {
    ...original,
    iterationFor: (...args: Parameters<typeof original.iterationFor>) => {
      virtual.builds.push({ kind: args[0], n: args[2], atMs: virtual.clock.now() });
      return original.iterationFor(...args);
    },
  };
});

const { runDescription } = await import('./engine.ts');

const SETTINGS: ScenarioDescription['settings'] = { artifacts: 100, compositeEvery: 5, children: 3, imports: 2, catalogEntries: 10, readLimit: 1 };

/** Answers 200 on the next turn of the event loop. */
const transport: Transport = {
  send() {
    const sentMs = virtual.clock.now();
    return new Promise((resolve) => setImmediate(() => resolve({ status: 200, body: '{}', sentMs, endMs: virtual.clock.now(), error: null })));
  },
};

const rate = (name: string, request: StreamDescription['request'], perSecond: number): StreamDescription => ({
  name,
  executor: { type: 'constant-arrival-rate', rate: perSecond, preAllocatedVUs: 5, maxVUs: 5, gracefulStopMs: 5_000 },
  request,
  timeoutMs: 5_000,
  tags: {},
  end: { type: 'duration', durationMs: 1_000 },
});

const STREAMS: StreamDescription[] = [
  { name: 'imports', executor: { type: 'per-vu-iterations', vus: 2, iterations: 2, maxDurationMs: 60_000 }, request: 'import', timeoutMs: 5_000, tags: {} },
  rate('catalog', 'catalogUpdate', 20),
  rate('reads', 'artifactRead', 5),
];

describe('building ahead', () => {
  it('builds every iteration before its scheduled time: the first ones before t0, each later one before it is due', async () => {
    const clock: Clock = virtual.clock;
    virtual.clock.start();
    const result = await runDescription({ name: 'concurrent', streams: STREAMS, settings: SETTINGS }, { transport, clock, signal: new AbortController().signal }).finally(() => virtual.clock.stop());
    expect(result.samples.length).toBe(4 + 20 + 5);
    const firstImports = virtual.builds.filter((b) => b.kind === 'import' && b.n % 2 === 0);
    expect(firstImports).toHaveLength(2);
    for (const b of firstImports) expect(b.atMs).toBeLessThan(result.startedAtMs);
    for (const stream of STREAMS) {
      const scheduled = result.samples.filter((s) => s.stream === stream.name).map((s) => s.scheduledMs!).sort((a, b) => a - b);
      // Iteration n of a rate stream is arrival n; an import VU's iterations are numbered v x iterations + i.
      const built = virtual.builds.filter((b) => b.kind === stream.request).sort((a, b) => a.atMs - b.atMs);
      expect(built.length).toBeGreaterThanOrEqual(scheduled.length);
      scheduled.forEach((scheduledMs, i) => expect(built[i]!.atMs).toBeLessThan(scheduledMs));
    }
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Agenda } from './events.ts';
import { FifoSlots } from './lock.ts';
import { simulate, type ModelLoad, type ModelTarget } from './model.ts';
import { HAND_COSTS, QUIET_LOAD } from './testing.ts';

const target: fc.Arbitrary<ModelTarget> = fc.record({
  importMode: fc.constantFrom('monolithic', 'batched', 'staged'),
  batchSize: fc.integer({ min: 1, max: 12 }),
  scheduler: fc.constantFrom('sqlite', 'fifo'),
  busyTimeoutMs: fc.integer({ min: 0, max: 400 }),
  connections: fc.constantFrom('pooled', 'per-request'),
  executor: fc.constantFrom('pool', 'inline'),
  poolSize: fc.integer({ min: 1, max: 8 }),
  prepareMs: fc.integer({ min: 0, max: 20 }),
  writeMs: fc.integer({ min: 0, max: 5 }),
  begin: fc.constantFrom('immediate', 'deferred'),
});

const load: fc.Arbitrary<ModelLoad> = fc.record({
  imports: fc.integer({ min: 1, max: 4 }),
  artifacts: fc.integer({ min: 1, max: 25 }),
  catalogRate: fc.integer({ min: 0, max: 40 }),
  readRate: fc.integer({ min: 0, max: 5 }),
  workflowRate: fc.integer({ min: 0, max: 40 }),
  writerThreads: fc.integer({ min: 1, max: 3 }),
  tailMs: fc.integer({ min: 0, max: 300 }),
  maxDurationMs: fc.constant(QUIET_LOAD.maxDurationMs),
  requestTimeoutMs: fc.integer({ min: 50, max: 60_000 }),
  importTimeoutMs: fc.integer({ min: 100, max: 120_000 }),
});

const costs = fc.record({
  handoffMs: fc.double({ min: 0, max: 2, noNaN: true }),
  waitOvershootMs: fc.double({ min: 0, max: 1, noNaN: true }),
  prepareOvershootMs: fc.double({ min: 0, max: 1, noNaN: true }),
});

const run = fc.record({ target, load, costs, seed: fc.integer({ min: 0, max: 2 ** 31 }) });

describe('the model, for any settings', () => {
  it('never lets two holders hold the write lock at once', () => {
    fc.assert(
      fc.property(run, ({ target, load, costs, seed }) => {
        const holds = [...simulate({ target, load, costs: { ...HAND_COSTS, ...costs }, seed }).holds].sort((a, b) => a.startMs - b.startMs);
        for (let i = 1; i < holds.length; i++) expect(holds[i]!.startMs).toBeGreaterThanOrEqual(holds[i - 1]!.endMs);
      }),
      { numRuns: 150 },
    );
  });

  it('ends every arrival as done, error or timeout', () => {
    fc.assert(
      fc.property(run, ({ target, load, costs, seed }) => {
        const record = simulate({ target, load, costs: { ...HAND_COSTS, ...costs }, seed });
        expect(record.unfinished).toBe(0);
        expect(record.imports).toHaveLength(load.imports);
        for (const ending of [...record.imports, ...record.requests, ...record.workflow].map((a) => a.ending)) expect(['done', 'error', 'timeout']).toContain(ending);
        // A failed acquisition is an error of some arrival, never lost.
        const errors = [...record.imports, ...record.requests, ...record.workflow].filter((a) => a.ending !== 'done').length;
        if (Object.values(record.busyErrors).reduce((a, b) => a + b, 0) > 0) expect(errors).toBeGreaterThan(0);
      }),
      { numRuns: 150 },
    );
  });
});

describe('a FIFO queue, for any arrivals', () => {
  it('starts in arrival order and never more than its slots at once', () => {
    const arrivals = fc.array(fc.record({ atMs: fc.integer({ min: 0, max: 100 }), serviceMs: fc.integer({ min: 0, max: 30 }) }), { maxLength: 40 });
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4 }), arrivals, (slots, list) => {
        const agenda = new Agenda();
        const queue = new FifoSlots(slots);
        const entered: number[] = [];
        const started: number[] = [];
        let running = 0;
        list.forEach((a, i) =>
          agenda.at(a.atMs, () => {
            entered.push(i);
            queue.enter(() => {
              started.push(i);
              running += 1;
              expect(running).toBeLessThanOrEqual(slots);
              agenda.after(a.serviceMs, () => {
                running -= 1;
                queue.leave();
              });
            });
          }),
        );
        agenda.runAll();
        expect(started).toEqual(entered);
      }),
      { numRuns: 300 },
    );
  });
});

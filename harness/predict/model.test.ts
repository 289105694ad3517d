import { describe, expect, it } from 'vitest';
import { simulatedMetrics } from './metrics.ts';
import { importTxTiming, simulate } from './model.ts';
import { BATCHED, HAND_COSTS, QUIET_LOAD } from './testing.ts';

describe('the model, on cases worked out by hand', () => {
  it('one importer alone: its batches one after another, each holding base + entries x (prepare + write + statements)', () => {
    const record = simulate({ target: BATCHED, load: QUIET_LOAD, costs: HAND_COSTS, seed: 1 });
    // 10 x (29 + 1 + 0.5) + 1 = 306 ms per batch of 10; two batches; 10 ms of request overhead on each side.
    expect(importTxTiming(BATCHED, HAND_COSTS, 10).holdMs).toBeCloseTo(306, 9);
    expect(record.holds.map((h) => [h.kind, h.startMs, h.endMs])).toEqual([
      ['import-batch', 10, 316],
      ['import-batch', 316, 622],
    ]);
    expect(record.imports).toEqual([{ startMs: 0, endMs: 632, status: 'completed', ending: 'done' }]);
    expect(simulatedMetrics(record)).toMatchObject({ importWallMs: 632, maxLockHoldMs: 306, busyErrors: 0, requestSuccessRate: 1 });
  });

  it('staged: each batch is written once its entries are prepared, outside the lock', () => {
    const record = simulate({ target: { ...BATCHED, importMode: 'staged' }, load: QUIET_LOAD, costs: HAND_COSTS, seed: 1 });
    // Preparation 29 ms per entry from 10 ms; batch holds 10 x (1 + 0.5) + 1 = 16 ms.
    expect(record.holds.map((h) => [h.startMs, h.endMs])).toEqual([
      [300, 316],
      [590, 606],
    ]);
    expect(simulatedMetrics(record).importWallMs).toBe(616);
  });

  it('a deferred importer whose upgrade meets a held lock fails its batch at once: a partial import', () => {
    // Two importers of one batch each: the second reaches its first write while the first holds the lock.
    const record = simulate({ target: { ...BATCHED, begin: 'deferred', batchSize: 20 }, load: { ...QUIET_LOAD, imports: 2 }, costs: HAND_COSTS, seed: 1 });
    expect(record.imports.map((i) => i.status).sort()).toEqual(['completed', 'failed']);
    expect(record.busyErrors).toEqual({ SQLITE_BUSY: 1 });
    expect(simulatedMetrics(record).requestSuccessRate).toBe(0.5);
  });

  it('monolithic with a FIFO queue: the second import waits for the first whole transaction', () => {
    const record = simulate({ target: { ...BATCHED, importMode: 'monolithic', scheduler: 'fifo' }, load: { ...QUIET_LOAD, imports: 2 }, costs: HAND_COSTS, seed: 1 });
    // One transaction of 20 entries: 20 x 30.5 + 1 = 611 ms each, back to back.
    expect(record.holds.map((h) => [h.startMs, h.endMs])).toEqual([
      [10, 621],
      [621, 1232],
    ]);
  });
});

import { describe, expect, it } from 'vitest';
import { calibrateCosts, type CalibrationTrial } from './calibrate.ts';
import { DEFAULT_COSTS } from './costs.ts';
import type { ModelTarget } from './model.ts';
import { BATCHED } from './testing.ts';

/** Import transactions laid end to end, each holding base + size x (work + entry + waits x overshoot). */
function trial(id: string, target: ModelTarget, artifacts: number, cost: { base: number; entry: number; overshoot: number }): CalibrationTrial {
  const size = target.importMode === 'monolithic' ? artifacts : target.batchSize;
  const inside = target.importMode === 'staged' ? 0 : target.prepareMs;
  const waits = (inside > 0 ? 1 : 0) + (target.writeMs > 0 ? 1 : 0);
  const spans = [];
  let t = 1_000;
  for (let left = artifacts; left > 0; left -= size) {
    const n = Math.min(size, left);
    const hold = cost.base + n * (inside + target.writeMs + cost.entry + waits * cost.overshoot);
    spans.push({ kind: target.importMode === 'monolithic' ? 'import' : 'import-batch', requestId: `${id}-imp`, startMs: t, endMs: t + hold });
    t += hold + 5;
  }
  return { id, target, artifacts, spans: { target: spans, workflowWriters: [] }, samples: null, importWindowEndMs: null, importWallMs: null, importJobsWallMs: null, writers: null };
}

describe('calibration', () => {
  it('recovers the base, per-entry and overshoot costs of import transactions of three shapes', () => {
    const cost = { base: 0.9, entry: 0.12, overshoot: 0.3 };
    const { costs, basis } = calibrateCosts([
      trial('staged', { ...BATCHED, importMode: 'staged' }, 100, cost),
      trial('batched', BATCHED, 100, cost),
      trial('monolithic', { ...BATCHED, importMode: 'monolithic' }, 100, cost),
    ]);
    expect(costs.batchBaseMs).toBeCloseTo(0.9, 6);
    expect(costs.entryMs).toBeCloseTo(0.12, 6);
    expect(costs.waitOvershootMs).toBeCloseTo(0.3, 6);
    expect(basis.batchBaseMs).toMatch(/least squares over 21 import transactions/);
  });

  it('keeps a default it cannot measure, and says so', () => {
    const defaults = { ...DEFAULT_COSTS, waitOvershootMs: 0.2 };
    const { costs, basis } = calibrateCosts([trial('batched', BATCHED, 100, { base: 1, entry: 0.3, overshoot: 0.2 })], defaults);
    expect(costs.workflowHoldMs).toBe(DEFAULT_COSTS.workflowHoldMs);
    expect(basis.workflowHoldMs).toMatch(/^default/);
    // One size only: the overshoot keeps its default and the per-entry figure carries the base.
    expect(costs.waitOvershootMs).toBe(0.2);
    expect(costs.entryMs).toBeCloseTo(0.3 + 1 / 10, 6);
    expect(costs.batchBaseMs).toBe(0);
  });

  it('fits base and per-entry cost over sizes that wait alike, keeping the default overshoot', () => {
    const defaults = { ...DEFAULT_COSTS, waitOvershootMs: 0.25 };
    const cost = { base: 2, entry: 0.1, overshoot: 0.25 };
    const staged = (batchSize: number) => trial(`staged-${batchSize}`, { ...BATCHED, importMode: 'staged', batchSize }, 100, cost);
    const { costs, basis } = calibrateCosts([staged(10), staged(50)], defaults);
    expect(costs.batchBaseMs).toBeCloseTo(2, 6);
    expect(costs.entryMs).toBeCloseTo(0.1, 6);
    expect(basis.entryMs).toMatch(/with the default overshoot/);
  });

  it("takes a connection per request's cost from how far apart one DB thread's back-to-back writes lie, beside pooled ones", () => {
    /** Catalog updates on one thread, each finding the lock free, `gapMs` apart. */
    const catalogs = (id: string, connections: 'pooled' | 'per-request', gapMs: number): CalibrationTrial => ({
      ...trial(id, { ...BATCHED, connections }, 10, { base: 1, entry: 0, overshoot: 0 }),
      spans: {
        target: Array.from({ length: 5 }, (_, i) => ({ kind: 'catalog-update', requestId: `${id}-${i}`, startMs: i * (0.1 + gapMs), endMs: i * (0.1 + gapMs) + 0.1, waitMs: 0, threadId: 1 })),
        workflowWriters: [],
      },
    });
    const { costs, basis } = calibrateCosts([catalogs('pooled', 'pooled', 0.5), catalogs('per-request', 'per-request', 7.5)]);
    expect(costs.connectionOpenMs).toBeCloseTo(7, 6);
    expect(basis.connectionOpenMs).toMatch(/connection per request \(4\) less with pooled connections \(4\)/);
  });
});

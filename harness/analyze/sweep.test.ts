import { describe, expect, it } from 'vitest';
import { toBaseline } from './baseline.ts';
import { derivedSweepReport } from './testing.ts';

describe('summarizeSweep', () => {
  it('gives results.json its trials, points, recommendation, gate and no baseline when none was given', () => {
    const summary = derivedSweepReport();
    expect(summary.plan).toMatchObject({ base: 'staged', repeat: 3, seed: 11, axes: [{ key: 'batchSize', values: [1, 10, 100] }] });
    expect(summary.plan.trialOrder).toEqual(summary.trials.map((t) => t.trialId));
    expect(summary.points.map((p) => p.id)).toEqual(['batchSize-1', 'batchSize-10', 'batchSize-100']);
    expect(summary.recommendation).toMatchObject({ pointId: 'batchSize-10', settings: { batchSize: 10 } });
    expect(summary.recommendationReason).toBe(summary.recommendation!.reason);
    expect(summary).toMatchObject({ closest: null, baseline: null, gate: { gate: 'recommended', gatedPoints: ['batchSize-10'], pass: true }, pass: true });
    expect(JSON.parse(JSON.stringify(summary))).toEqual(summary);
  });

  it('compares with a baseline, gating the recommended point\'s figures', () => {
    const first = derivedSweepReport();
    const summary = derivedSweepReport({ baseline: toBaseline(first) });
    expect(summary.baseline!.baseline.source).toBe('bench/baseline.json');
    expect(summary.baseline!.rows.filter((r) => r.gated).map((r) => r.entryId)).toEqual(Array(5).fill('batchSize-10'));
    expect(summary.pass).toBe(true);
  });

  it('without --gate, gates every point a baseline compares: a slower run fails, an unchanged one passes', () => {
    const first = derivedSweepReport({ gate: null });
    const same = derivedSweepReport({ gate: null, baseline: toBaseline(first) });
    expect(same.gate).toMatchObject({ gate: 'baseline', pass: true });
    // Every repeat twice as slow: beyond the tolerance, and 3 against 3 cannot reach alpha, so 4 repeats are not here;
    // the rows are still gated and the change is reported.
    const slower = first.trials.map((t) => ({ ...t, result: { ...t.result, metrics: { ...t.result.metrics, importWallMs: t.result.metrics.importWallMs! * 2 } } }));
    const compared = derivedSweepReport({ gate: null, trials: slower, baseline: toBaseline(first) });
    const wall = compared.baseline!.rows.filter((r) => r.metric === 'importWallMs');
    expect(wall.every((r) => r.gated && r.changePct! > 90)).toBe(true);
  });
});

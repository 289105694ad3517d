import { describe, expect, it } from 'vitest';
import { toBaseline } from '../model/baseline.ts';
import { derivedSweepReport, withSeedWorkload } from './testing.ts';

const seedBaseline = (report: ReturnType<typeof derivedSweepReport>) => toBaseline({ ...report, trials: report.trials.map(withSeedWorkload) }, { name: 'concurrent', streams: [] });

describe('summarizeSweep', () => {
  it('gives results.json its trials, points, recommendation, gate and no baseline when none was given', () => {
    const summary = derivedSweepReport();
    expect(summary.plan).toMatchObject({ base: 'staged', repeat: 3, seed: 11, axes: [{ key: 'batchSize', values: [1, 10, 100] }] });
    expect(summary.plan.trialOrder).toEqual(summary.trials.map((t) => t.trialId));
    expect(summary.points.map((p) => p.id)).toEqual(['batchSize-1', 'batchSize-10', 'batchSize-100']);
    expect(summary.recommendation).toMatchObject({ pointId: 'batchSize-10', settings: { batchSize: 10 } });
    expect(summary.recommendationReason).toBe(summary.recommendation!.reason);
    expect(summary).toMatchObject({ closest: null, baseline: null, gate: { gate: 'recommended', gatedPoints: ['batchSize-10'], pass: true }, pass: true });
    expect(summary.workloadBaseline).toBeUndefined();
    expect(JSON.parse(JSON.stringify(summary))).toEqual(summary);
  });

  it("compares with a baseline of the seed workload's figures, gating the recommended point's criteria", () => {
    const first = derivedSweepReport();
    const summary = derivedSweepReport({ trials: first.trials.map(withSeedWorkload), baseline: seedBaseline(first) });
    expect(summary.baseline).toBeNull();
    expect(summary.workloadBaseline!.baseline.source).toBe('bench/baseline.json');
    expect(summary.workloadBaseline!.workload).toBe('concurrent');
    // Every criterion of the seed's (the no-loss check as its distance) of the recommended point gates.
    const gated = summary.workloadBaseline!.rows.filter((r) => r.gated);
    expect(gated.map((r) => r.entryId)).toEqual(Array(6).fill('batchSize-10'));
    expect(gated.map((r) => ('criterion' in r.figure ? r.figure.criterion : null))).toEqual(['lock-hold', 'import-wall', 'catalog-p99', 'success', 'workflow-p99', 'no-loss']);
    expect(summary.pass).toBe(true);
  });

  it('without --gate, gates every point a baseline compares: a slower run fails, an unchanged one passes', () => {
    const first = derivedSweepReport({ gate: null });
    const same = derivedSweepReport({ gate: null, trials: first.trials.map(withSeedWorkload), baseline: seedBaseline(first) });
    expect(same.gate).toMatchObject({ gate: 'baseline', pass: true });
    // Every repeat twice as slow: beyond the tolerance, and 3 against 3 cannot reach alpha, so 4 repeats are not here;
    // the rows are still gated and the change is reported.
    const slower = first.trials.map((t) => ({ ...t, result: { ...t.result, criteria: t.result.criteria.map((c) => (c.id === 'import-wall' ? { ...c, measured: (c.measured as number) * 2 } : c)) } }));
    const compared = derivedSweepReport({ gate: null, trials: slower.map(withSeedWorkload), baseline: seedBaseline(first) });
    const wall = compared.workloadBaseline!.rows.filter((r) => 'criterion' in r.figure && r.figure.criterion === 'import-wall');
    expect(wall).toHaveLength(3);
    expect(wall.every((r) => r.gated && r.changePct! > 90)).toBe(true);
  });
});

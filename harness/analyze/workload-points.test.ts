import { describe, expect, it } from 'vitest';
import type { PointResult, TrialRecord } from '../model/sweep.ts';
import { evaluateGate } from './gate.ts';
import type { RecommendationFinding } from '../model/sweep.ts';
import { gateOutcome } from '../reports/sweep-reasons.ts';
import type { ProfileResult, ProfileStatus } from '../model/results.ts';
import type { WorkloadCriterionResult } from '../model/workload.ts';
import { workloadPointVerdicts } from './workload-points.ts';

const criterion = (id: string, pass: boolean): WorkloadCriterionResult => ({ id, type: 'latency', comparison: '<', threshold: 500, measured: pass ? 100 : 900, unit: 'ms', pass });

function trial(pointId: string, repeat: number, passes: Record<string, boolean>, status: ProfileStatus = 'completed'): TrialRecord {
  const workload = { name: 'shop', source: 'shop.yaml', busyTimeoutMs: null, streams: [], lockSource: 'observed' as const, criteria: Object.entries(passes).map(([id, pass]) => criterion(id, pass)) };
  return { trialId: `${pointId}.r${repeat}`, pointId, settings: { busyTimeoutMs: Number(pointId) }, repeat, result: { status, workload } as unknown as ProfileResult };
}

/** A point as the scenario's criteria judged it: failing, whatever the workload says. */
function point(id: string, status: PointResult['status'] = 'measured'): PointResult {
  return { id, settings: { busyTimeoutMs: Number(id) }, status, repeats: 2, trialIds: [], failedTrials: status === 'measured' ? [] : [{ trialId: `${id}.r2`, status: 'errored' }], metrics: {} as PointResult['metrics'], criteria: [{ id: 'import-wall', pass: false } as PointResult['criteria'][number]], pass: false };
}

const recommendation: RecommendationFinding = { code: 'none-measured' };

describe('a workload sweep judged by its own criteria', () => {
  it('passes a point whose every repeat met every criterion, and fails one a single repeat missed', () => {
    const trials = [trial('1', 1, { p99: true, stored: true }), trial('1', 2, { p99: true, stored: true }), trial('8', 1, { p99: true, stored: true }), trial('8', 2, { p99: false, stored: true })];
    const [low, high] = workloadPointVerdicts([point('1'), point('8')], trials);
    expect(low).toMatchObject({ id: '1', pass: true, criteria: [{ id: 'p99', pass: true }, { id: 'stored', pass: true }] });
    expect(high).toMatchObject({ id: '8', pass: false, criteria: [{ id: 'p99', pass: false }, { id: 'stored', pass: true }] });
    expect(gateOutcome(evaluateGate({ kind: 'point', pointId: '1' }, [low!, high!], recommendation))).toEqual({ gate: 'busyTimeoutMs=1', gatedPoints: ['1'], pass: true, failures: [] });
    expect(gateOutcome(evaluateGate({ kind: 'point', pointId: '8' }, [low!, high!], recommendation))).toEqual({ gate: 'busyTimeoutMs=8', gatedPoints: ['8'], pass: false, failures: ['busyTimeoutMs=8 fails p99'] });
  });

  it('fails a point one of whose trials did not complete, even when the repeats that did met every criterion', () => {
    const [partial] = workloadPointVerdicts([point('1', 'partial')], [trial('1', 1, { p99: true })]);
    expect(partial).toMatchObject({ pass: false, criteria: [{ id: 'p99', pass: true }] });
    expect(gateOutcome(evaluateGate({ kind: 'point', pointId: '1' }, [partial!], recommendation)).failures).toEqual(['busyTimeoutMs=1: partial (1 trial(s) did not complete)']);
  });

  it('fails a point with no judged repeat, and a criterion a repeat did not judge', () => {
    expect(workloadPointVerdicts([point('1', 'errored')], [trial('1', 1, { p99: true }, 'errored')])[0]).toMatchObject({ pass: false, criteria: [] });
    const [missing] = workloadPointVerdicts([point('1')], [trial('1', 1, { p99: true, stored: true }), trial('1', 2, { p99: true })]);
    expect(missing).toMatchObject({ pass: false, criteria: [{ id: 'p99', pass: true }, { id: 'stored', pass: false }] });
  });
});

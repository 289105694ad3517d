import { describe, expect, it } from 'vitest';
import type { WorkloadFigure } from './results.ts';
import { recordedWorkloadResults } from '../reports/testing.ts';
import { derivedBatchSweep, withSeedWorkload } from '../analyze/testing.ts';
import { aggregatePoints } from '../analyze/aggregate.ts';
import { workloadPointCriteria } from '../analyze/workload-points.ts';
import { toBaseline, workloadOfResults } from './baseline.ts';

const recorded = recordedWorkloadResults();

describe('toBaseline', () => {
  it("keeps each criterion's figure with the direction its comparison says, and per stream its latency and errors", () => {
    const workload = workloadOfResults(recorded)!;
    expect(workload).toEqual({ name: 'marketplace', streams: ['source-imports', 'catalog-edits', 'artifact-listing', 'workflow-executions'] });
    const baseline = toBaseline(recorded, workload);
    expect(baseline).toMatchObject({ format: 'lockbench-baseline', version: 1, scenario: 'concurrent', createdAt: recorded.startedAt, workload });
    expect(baseline.entries.map((e) => [e.id, e.kind])).toEqual([
      ['monolithic', 'profile'],
      ['batched', 'profile'],
    ]);
    const batched = baseline.entries[1]!.figures;
    const of = (figure: WorkloadFigure) => batched.find((f) => JSON.stringify(f.figure) === JSON.stringify(figure));
    // `<`: lower is better; `==`: kept as its distance from the threshold, lower is better.
    expect(of({ criterion: 'edits-p99' })).toEqual({ figure: { criterion: 'edits-p99' }, unit: 'ms', better: 'lower', samples: [9984.5] });
    expect(of({ criterion: 'few-lock-errors' })).toEqual({ figure: { criterion: 'few-lock-errors' }, unit: 'ratio', better: 'lower', samples: [0.0125392] });
    expect(of({ criterion: 'executions-stored', distance: true })).toEqual({ figure: { criterion: 'executions-stored', distance: true }, unit: 'rows', better: 'lower', samples: [0] });
    expect(of({ stream: 'catalog-edits', figure: 'p99Ms' })?.samples).toEqual([10078.4]);
    expect(of({ stream: 'catalog-edits', figure: 'lockErrors' })?.samples).toEqual([4]);
    expect(of({ stream: 'catalog-edits', figure: 'lockErrorsFast' })?.samples).toEqual([0]);
    expect(of({ stream: 'catalog-edits', figure: 'lockErrorsTimedOut' })?.samples).toEqual([4]);
    expect(of({ stream: 'workflow-executions', figure: 'otherErrors' })?.samples).toEqual([0]);
    // Nothing of the scenario's metrics is kept.
    expect(JSON.stringify(baseline)).not.toMatch(/importWallMs|catalogP99Ms|workflowWriteP99Ms|samples":\{/);
  });

  it('keeps a `>` criterion as higher-is-better, and the fast / timed-out split as not measured when it is unknown', () => {
    const results = recordedWorkloadResults();
    const workload = results.profiles[1]!.workload!;
    workload.criteria.push({ id: 'orders-per-second', type: 'throughput', comparison: '>=', threshold: 40, measured: 52, unit: 'per-second', pass: true });
    workload.streams[1]!.lockErrors = { total: 3, fast: 0, timedOut: 0, unknown: 3 };
    const figures = toBaseline(results, workloadOfResults(results)!).entries[1]!.figures;
    expect(figures.find((f) => 'criterion' in f.figure && f.figure.criterion === 'orders-per-second')).toMatchObject({ better: 'higher', samples: [52] });
    const split = figures.filter((f) => 'stream' in f.figure && f.figure.stream === 'catalog-edits' && f.figure.figure.startsWith('lockErrors'));
    expect(split.map((f) => [(f.figure as { figure: string }).figure, f.samples])).toEqual([
      ['lockErrors', [3]],
      ['lockErrorsFast', []],
      ['lockErrorsTimedOut', []],
    ]);
  });

  it("keeps a default run's seed workload as any workload: no workload file is needed", () => {
    const seeded = { ...recorded, options: { ...recorded.options, workload: null }, profiles: recorded.profiles.map((p) => ({ ...p, workload: { ...p.workload!, name: 'concurrent' } })) };
    expect(workloadOfResults(seeded)).toEqual({ name: 'concurrent', streams: ['source-imports', 'catalog-edits', 'artifact-listing', 'workflow-executions'] });
    expect(toBaseline(seeded, workloadOfResults(seeded)!).entries.map((e) => e.figures)).toEqual(toBaseline(recorded, workloadOfResults(recorded)!).entries.map((e) => e.figures));
  });

  it('keeps per point of a sweep the figure of every completed repeat, and nothing of a run that carried no workload', () => {
    const { plan, trials } = derivedBatchSweep();
    const points = aggregatePoints(plan.points, trials, workloadPointCriteria);
    const source = { scenario: 'concurrent', startedAt: recorded.startedAt, host: recorded.host, trials: trials.map(withSeedWorkload), points };
    const baseline = toBaseline(source, workloadOfResults(source)!);
    expect(baseline.entries.map((e) => [e.id, e.kind, e.settings])).toEqual([
      ['batchSize-1', 'point', { batchSize: 1 }],
      ['batchSize-10', 'point', { batchSize: 10 }],
      ['batchSize-100', 'point', { batchSize: 100 }],
    ]);
    const wall = baseline.entries[1]!.figures.find((f) => 'criterion' in f.figure && f.figure.criterion === 'import-wall')!;
    expect([...wall.samples].sort()).toEqual([3_012, 3_031, 3_060]);
    const withoutWorkload = trials.map(({ result: { workload: _, ...result }, ...t }) => ({ ...t, result }));
    expect(workloadOfResults({ ...source, trials: withoutWorkload })).toBeNull();
  });
});

/**
 * Test support: sweep trials DERIVED from the recorded run in harness/run/fixtures/results-concurrent-k6.json.
 * Each trial is a recorded profile's full result (config, observer, integrity, phases) with its headline
 * figures replaced by the ones a test gives, and its criteria judged again on them, carried as its seed
 * workload's as a default sweep's trials carry them. The figures are made up to exercise aggregation;
 * they are not measurements.
 */
import { evaluateCriteria } from './criteria.ts';
import { loadCriteria } from '../plan/criteria.ts';
import { seedRank } from '../plan/seed-workload.ts';
import type { ProfileResult } from '../model/results.ts';
import { recordedResults } from '../reports/testing.ts';
import type { TrialRecord } from '../model/sweep.ts';
import type { SweepReport } from '../reports/sweep.ts';
import type { Baseline } from '../model/baseline.ts';
import type { GateSpec } from '../model/sweep-plan.ts';
import { buildPlan, resolveVary } from '../plan/sweep.ts';
import type { PointSettings, SweepPlan } from '../model/sweep-plan.ts';
import { summarizeSweep } from './sweep.ts';
import { sweepSummaryOf } from '../reports/sweep-reasons.ts';

const CRITERIA = loadCriteria();
/** What the default sweep ranks by: the seed workload's `rank`. */
export const RANK = seedRank();

/** The figures a derived trial overrides. */
export interface DerivedFigures {
  importWallMs?: number | null;
  maxLockHoldMs?: number;
  catalogP99Ms?: number | null;
  workflowWriteP99Ms?: number;
  requestSuccessRate?: number;
  /** SQLITE_BUSY count. */
  busyErrors?: number;
  /** Catalog updates inside the import window (the samples behind catalog p99). */
  catalogRequests?: number;
  artifactsFound?: number;
}

/** A recorded profile's result with `figures` in place of its own, judged again. */
function derivedResult(profile: 'before' | 'seed-fix' | 'staged', figures: DerivedFigures = {}): ProfileResult {
  const result = recordedResults().profiles.find((p) => p.name === profile)!;
  // A recorded default run: its trials carry the scenario's figures.
  const m = result.metrics!;
  const window = result.importWindow!;
  if (figures.importWallMs !== undefined) m.importWallMs = figures.importWallMs;
  if (figures.maxLockHoldMs !== undefined) m.maxLockHoldMs = m.maxLockHoldObservedMs = figures.maxLockHoldMs;
  if (figures.catalogP99Ms !== undefined) m.catalogP99Ms = window.catalog.p99Ms = figures.catalogP99Ms;
  if (figures.workflowWriteP99Ms !== undefined) m.workflowWriteP99Ms = window.workflowWrites.p99Ms = figures.workflowWriteP99Ms;
  if (figures.requestSuccessRate !== undefined) m.requestSuccessRate = figures.requestSuccessRate;
  if (figures.busyErrors !== undefined) m.busyErrors = figures.busyErrors === 0 ? {} : { SQLITE_BUSY: figures.busyErrors };
  if (figures.catalogRequests !== undefined) window.catalog.inWindow = figures.catalogRequests;
  if (figures.artifactsFound !== undefined) m.artifactsFound = figures.artifactsFound;
  result.criteria = evaluateCriteria(CRITERIA, m);
  result.pass = result.criteria.every((c) => c.pass);
  return result;
}

export function derivedTrial(
  trial: { trialId: string; pointId: string; settings: PointSettings; repeat: number },
  profile: 'before' | 'seed-fix' | 'staged',
  figures: DerivedFigures = {},
): TrialRecord {
  const result = derivedResult(profile, figures);
  result.name = trial.trialId;
  return withSeedWorkload({ ...trial, result });
}

/** Per batch size, the figures of its three repeats: made up, shaped like the staged runs. */
const BATCH_FIGURES: Record<number, DerivedFigures[]> = {
  // Many small commits: the wall rises above the preparation floor; the catalog barely waits.
  1: [
    { importWallMs: 3_650, maxLockHoldMs: 4.1, catalogP99Ms: 18, workflowWriteP99Ms: 30 },
    { importWallMs: 3_590, maxLockHoldMs: 3.8, catalogP99Ms: 22, workflowWriteP99Ms: 28 },
    { importWallMs: 3_700, maxLockHoldMs: 4.4, catalogP99Ms: 19, workflowWriteP99Ms: 33 },
  ],
  10: [
    { importWallMs: 3_031, maxLockHoldMs: 13.9, catalogP99Ms: 55, workflowWriteP99Ms: 80 },
    { importWallMs: 3_060, maxLockHoldMs: 14.6, catalogP99Ms: 61, workflowWriteP99Ms: 74 },
    { importWallMs: 3_012, maxLockHoldMs: 13.2, catalogP99Ms: 49, workflowWriteP99Ms: 85 },
  ],
  // One batch per import: the catalog waits a whole import per importer ahead of it.
  100: [
    { importWallMs: 3_005, maxLockHoldMs: 131, catalogP99Ms: 610, workflowWriteP99Ms: 640 },
    { importWallMs: 2_990, maxLockHoldMs: 128, catalogP99Ms: 575, workflowWriteP99Ms: 600 },
    { importWallMs: 3_020, maxLockHoldMs: 135, catalogP99Ms: 590, workflowWriteP99Ms: 655 },
  ],
};

/** A plan of batch sizes 1, 10, 100 x 3 repeats on `staged` and its trials, derived as above. */
export function derivedBatchSweep(): { plan: SweepPlan; trials: TrialRecord[] } {
  const plan = buildPlan({ base: 'staged', vary: resolveVary({ batchSizes: '1,10,100' }), repeat: 3, seed: 11 });
  const trials = plan.trials.map((t) =>
    derivedTrial({ trialId: t.id, pointId: t.pointId, settings: t.settings, repeat: t.repeat }, 'staged', BATCH_FIGURES[t.settings.batchSize as number]![t.repeat - 1]),
  );
  return { plan, trials };
}

/** A sweep's report as the renderers take it, from derived trials (default: {@link derivedBatchSweep}). */
export function derivedSweepReport(
  options: { trials?: TrialRecord[]; plan?: SweepPlan; gate?: GateSpec | null; baseline?: Baseline | null } = {},
): SweepReport {
  const sweep = derivedBatchSweep();
  const plan = options.plan ?? sweep.plan;
  const recorded = recordedResults();
  const summary = sweepSummaryOf(summarizeSweep({
    scenario: 'sweep',
    startedAt: recorded.startedAt,
    host: recorded.host,
    plan,
    trials: options.trials ?? sweep.trials,
    rank: RANK,
    gate: options.gate === undefined ? { kind: 'recommended' } : options.gate,
    baseline: options.baseline ?? null,
    compare: { source: 'bench/baseline.json' },
  }));
  return { ...summary, scenario: 'sweep', startedAt: recorded.startedAt, durationMs: 200_000, host: recorded.host, complete: true };
}

/**
 * A derived trial carrying the seed workload's result as a default run's trials do: its criteria are
 * criteria.json's, judged on the trial's figures (the seed workload's criteria have the same ids), its
 * streams none. What a baseline keeps of it: those criteria's figures by id.
 */
export function withSeedWorkload(trial: TrialRecord): TrialRecord {
  const criteria = trial.result.criteria.map((c) => ({
    id: c.id,
    type: 'wall' as const,
    comparison: c.comparison,
    threshold: typeof c.threshold === 'number' ? c.threshold : null,
    measured: typeof c.measured === 'number' ? c.measured : null,
    unit: c.unit as never,
    pass: c.pass,
  }));
  return { ...trial, result: { ...trial.result, workload: { name: 'concurrent', source: 'scenarios/concurrent.workload.json', busyTimeoutMs: null, streams: [], criteria, lockSource: 'observed' } } };
}

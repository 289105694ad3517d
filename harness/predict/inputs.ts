/**
 * What the model is given for a sweep's points: each point's target settings resolved as a trial of it
 * would run (base profile, the run's work model, the point's own settings), and the load the run's
 * options describe. Only the built-in target has a model.
 */
import { DEFAULT_IMPORT_TIMEOUT, DEFAULT_REQUEST_TIMEOUT } from '../../scenarios/lib/defaults.ts';
import { durationMs } from '../../scenarios/lib/env.ts';
import { resolveTargetOptions, type TargetOptionsInput } from '../../target/options.ts';
import type { SweepPlan } from '../model/sweep-plan.ts';
import type { RunOptions } from '../plan/options.ts';
import { planTrials, trialTargetOptions } from '../plan/trials.ts';
import { BUILTIN_TARGET } from '../plan/targets/builtin.ts';
import type { ModelLoad } from './model.ts';
import type { PredictionPointInput } from './predict.ts';

export type LoadOptions = Pick<RunOptions, 'imports' | 'artifacts' | 'catalogRate' | 'readRate' | 'workflowRate' | 'writerThreads' | 'tail' | 'maxDuration' | 'prepareMs' | 'writeMs' | 'settings'>;

export function modelLoad(options: LoadOptions): ModelLoad {
  return {
    imports: options.imports,
    artifacts: options.artifacts,
    catalogRate: options.catalogRate,
    readRate: options.readRate,
    workflowRate: options.workflowRate,
    writerThreads: options.writerThreads,
    tailMs: durationMs(options.tail),
    maxDurationMs: durationMs(options.maxDuration),
    requestTimeoutMs: durationMs(DEFAULT_REQUEST_TIMEOUT),
    importTimeoutMs: durationMs(DEFAULT_IMPORT_TIMEOUT),
  };
}

/** Every point of the plan with the target options its trials run with. */
export function predictionPoints(plan: Pick<SweepPlan, 'base' | 'points'>, options: LoadOptions): PredictionPointInput[] {
  const trials = planTrials(BUILTIN_TARGET, { base: plan.base, trials: plan.points.map((p) => ({ id: p.id, settings: p.settings })) }, false);
  return plan.points.map((point, i) => ({
    id: point.id,
    settings: point.settings,
    target: resolveTargetOptions(trialTargetOptions(trials[i]!, options) as TargetOptionsInput),
  }));
}

/** Inputs for the model's tests: costs with no hand-over jitter, so a run can be worked out by hand. */
import type { ModelCosts } from './costs.ts';
import type { ModelLoad, ModelTarget } from './model.ts';

export const HAND_COSTS: ModelCosts = {
  batchBaseMs: 1,
  entryMs: 0.5,
  waitOvershootMs: 0,
  prepareOvershootMs: 0,
  catalogHoldMs: 0.2,
  workflowHoldMs: 0.1,
  handoffMs: 0,
  catalogOverheadMs: 2,
  workflowOverheadMs: 1,
  importOverheadMs: 20,
  connectionOpenMs: 0.15,
};

export const QUIET_LOAD: ModelLoad = {
  imports: 1,
  artifacts: 20,
  catalogRate: 0,
  readRate: 0,
  workflowRate: 0,
  writerThreads: 2,
  tailMs: 1000,
  maxDurationMs: 120_000,
  requestTimeoutMs: 60_000,
  importTimeoutMs: 120_000,
};

export const BATCHED: ModelTarget = {
  importMode: 'batched',
  batchSize: 10,
  scheduler: 'sqlite',
  busyTimeoutMs: 10_000,
  connections: 'pooled',
  executor: 'pool',
  poolSize: 8,
  prepareMs: 29,
  writeMs: 1,
  begin: 'immediate',
};

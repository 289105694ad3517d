/**
 * A sweep's plan as the run, the analysis and the reports read it: the settings it varies, its points and
 * its trials in run order (harness/plan/sweep.ts builds it from the flags), and where a running sweep is.
 */
import type { SweepAxis } from './results.ts';

/** The target and work-model settings a sweep can vary, in the order a point's id names them. */
export const VARY_KEYS = [
  'batchSize',
  'importMode',
  'scheduler',
  'busyTimeoutMs',
  'connections',
  'executor',
  'poolSize',
  'prepareMs',
  'writeMs',
] as const;

export type VaryKey = (typeof VARY_KEYS)[number];

/** What one point sets on top of its base profile, e.g. `{ batchSize: 10 }`. */
export type PointSettings = Partial<Record<VaryKey, string | number>>;

/** One `--vary key=v1,v2` flag, parsed and validated. */
export interface VaryAxis extends SweepAxis {
  key: VaryKey;
}

export interface PlanPoint {
  /** Filename-safe, stable: `batchSize-10`, `batchSize-10_scheduler-fifo`; the base profile's name when nothing varies. */
  id: string;
  settings: PointSettings;
}

/** What `--gate` asks of a sweep: that some point qualifies (`recommended`), or that this one does. */
export type GateSpec = { kind: 'recommended' } | { kind: 'point'; pointId: string };

export interface PlanTrial {
  /** `<point id>.r<repeat>`, e.g. `batchSize-10.r2`. */
  id: string;
  pointId: string;
  settings: PointSettings;
  /** 1-based round this trial belongs to. */
  repeat: number;
  /** 0-based position in the run order. */
  order: number;
}

export interface SweepPlan {
  /** The profile every point starts from. */
  base: string;
  axes: VaryAxis[];
  repeat: number;
  /** Seed of the shuffle of each round; printed so a run's order can be reproduced. */
  seed: number;
  /** In the order the values were given (the grid's first axis slowest). */
  points: PlanPoint[];
  /** In run order: every point once per round, each round shuffled. */
  trials: PlanTrial[];
}

/** Where a sweep is: trial `trial` of `of` running, time so far, and the time still to go. */
export interface TrialProgress {
  /** 1-based number of the trial now running. */
  trial: number;
  of: number;
  elapsedMs: number;
  /** From the trials done so far; before the first is done, from the estimate (null without one). */
  etaMs: number | null;
}

/**
 * The measured costs the model runs on: how long each kind of transaction holds the write lock beyond
 * the work model's own milliseconds, and how long the steps around a transaction take. Never assumed:
 * `--calibrate <results.json>` takes them from a real run (./calibrate.ts), and the defaults below are
 * what that calibration gave for one real run, said where in {@link DEFAULT_COSTS_SOURCE}.
 */

export interface ModelCosts {
  /** In-lock time of an import transaction beyond its entries (BEGIN, the job and batch rows, COMMIT), in ms. */
  batchBaseMs: number;
  /** In-lock time per entry beyond the work model's milliseconds (the artifact, collection and children statements), in ms. */
  entryMs: number;
  /** How much longer than asked one blocking wait of the work model (Atomics.wait) or one busy-handler sleep takes, in ms. */
  waitOvershootMs: number;
  /** How much longer than asked one staged preparation step (a setTimeout on the event loop) takes, in ms. */
  prepareOvershootMs: number;
  /** Hold of one catalog update, in ms. */
  catalogHoldMs: number;
  /** Hold of one workflow write, in ms. */
  workflowHoldMs: number;
  /** Mean time from a write's COMMIT on a DB thread to the next write of the same caller starting on one, in ms. */
  handoffMs: number;
  /** A catalog update's service time outside its transaction (HTTP, routing, the thread hand-over), in ms. */
  catalogOverheadMs: number;
  /** A workflow write's latency beyond its lock wait and hold (its timer, the thread hand-over), in ms. */
  workflowOverheadMs: number;
  /** An import request's time outside its transactions and preparation (HTTP, body, answer), in ms. */
  importOverheadMs: number;
  /** A DB thread's time per write for opening, setting up and closing a connection, with `--connections per-request`, in ms. */
  connectionOpenMs: number;
}

/** Where {@link DEFAULT_COSTS} come from. */
export const DEFAULT_COSTS_SOURCE =
  'calibrated (harness/predict/calibrate.ts) from one real `npm run scenario:concurrent` with its defaults (profiles before, seed-fix, staged) ' +
  'on the 2-core reference machine, 2026-12-07, while other work ran on it';

/** The costs the model uses without `--calibrate`; see {@link DEFAULT_COSTS_SOURCE}. */
export const DEFAULT_COSTS: Readonly<ModelCosts> = {
  batchBaseMs: 0.932,
  entryMs: 0,
  waitOvershootMs: 0.291,
  prepareOvershootMs: 0.305,
  catalogHoldMs: 0.0928,
  workflowHoldMs: 0.0537,
  handoffMs: 0.521,
  catalogOverheadMs: 3.09,
  workflowOverheadMs: 1.35,
  importOverheadMs: 25.1,
  connectionOpenMs: 6.85,
};

export const COST_KEYS = Object.keys(DEFAULT_COSTS) as (keyof ModelCosts)[];

/** The model's own flags, resolved once: where the costs come from, how many simulated trials per point, the first seed. */
import { DEFAULT_COSTS, DEFAULT_COSTS_SOURCE, type ModelCosts } from './costs.ts';
import { calibrateCosts } from './calibrate.ts';
import { readCalibrationTrials } from './calibration-file.ts';
import { DEFAULT_MODEL_RUNS, DEFAULT_MODEL_SEED, type PredictOptions } from './predict.ts';

/** The model's flags' help, shared by `scenario:predict`, `scenario:sweep --predict` and `bench:model`. */
export const MODEL_FLAGS_HELP = {
  calibrate: "take the model's costs from a real run: the results.json of a scenario:concurrent or scenario:sweep (spans and samples files beside it)",
  runs: `simulated trials per point (default ${DEFAULT_MODEL_RUNS}); each places the workflow writers' schedule differently`,
  seed: `seed of the first simulated trial of every point (default ${DEFAULT_MODEL_SEED})`,
};

export interface ModelOptionsInput {
  /** A results.json of a real run to take the costs from. */
  calibrate?: string;
  runs?: number;
  modelSeed?: number;
}

export type ResolvedModelOptions = PredictOptions & { costsSource: string; basis: Record<keyof ModelCosts, string> | null };

/** A bad model flag; the message names it. */
export class ModelOptionError extends Error {
  override readonly name = 'ModelOptionError';
}

export async function resolveModelOptions(input: ModelOptionsInput): Promise<ResolvedModelOptions> {
  const runs = input.runs ?? DEFAULT_MODEL_RUNS;
  if (!Number.isInteger(runs) || runs < 1 || runs > 100) throw new ModelOptionError(`--model-runs must be an integer from 1 to 100, got ${runs}`);
  const seed = input.modelSeed ?? DEFAULT_MODEL_SEED;
  if (!Number.isInteger(seed) || seed < 0 || seed >= 2 ** 32) throw new ModelOptionError(`--model-seed must be an integer from 0 to ${2 ** 32 - 1}, got ${seed}`);
  if (input.calibrate === undefined) return { costs: { ...DEFAULT_COSTS }, runs, seed, costsSource: `defaults, ${DEFAULT_COSTS_SOURCE}`, basis: null };
  const calibration = calibrateCosts(await readCalibrationTrials(input.calibrate));
  return { costs: calibration.costs, runs, seed, costsSource: `calibrated from ${input.calibrate}`, basis: calibration.basis };
}

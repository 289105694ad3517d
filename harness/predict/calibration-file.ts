/**
 * Reads a real run's report folder for calibration: results.json (a concurrent run's profiles or a
 * sweep's trials) and, per completed trial, the lock spans and samples files beside it.
 */
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { parseSamplesCsv } from '../model/samples-file.ts';
import type { ProfileResult } from '../model/results.ts';
import { OPTION_DEFINITIONS, parseOptionText, resolveTargetOptions, type TargetOptionsInput } from '../../target/options.ts';
import type { CalibrationTrial } from './calibrate.ts';

/** A results.json that cannot be used for calibration; the message names the file and what is wrong. */
export class CalibrationFileError extends Error {
  override readonly name = 'CalibrationFileError';
}

/** The target options a trial ran with, from the flags results.json records. */
function targetOf(flags: Record<string, string>): TargetOptionsInput {
  const input: Record<string, unknown> = {};
  for (const def of OPTION_DEFINITIONS) if (flags[def.flag] !== undefined) input[def.key] = parseOptionText(def, flags[def.flag]!);
  return input as TargetOptionsInput;
}

async function orNull<T>(read: () => Promise<T>): Promise<T | null> {
  try {
    return await read();
  } catch {
    return null;
  }
}

/** A trial with the scenario's own figures, which a trial whose load was a workload file does not have. */
type ScenarioTrial = ProfileResult & Required<Pick<ProfileResult, 'metrics' | 'importWindow'>>;

/** A completed trial of the scenario's own load: what the model's costs can be calibrated on. */
function calibrates(result: ProfileResult | undefined): result is ScenarioTrial {
  return result?.status === 'completed' && result.metrics !== undefined && result.importWindow !== undefined;
}

export async function readCalibrationTrials(resultsPath: string): Promise<CalibrationTrial[]> {
  let data: { options?: { artifacts?: number }; profiles?: ProfileResult[]; trials?: { result: ProfileResult }[] };
  try {
    data = JSON.parse(await readFile(resultsPath, 'utf8'));
  } catch (err) {
    throw new CalibrationFileError(`--calibrate ${resultsPath}: cannot read it as JSON (${(err as Error).message})`);
  }
  const artifacts = data.options?.artifacts;
  const results = [...(data.profiles ?? []), ...(data.trials ?? []).map((t) => t.result)].filter(calibrates);
  if (typeof artifacts !== 'number' || results.length === 0) {
    throw new CalibrationFileError(`--calibrate ${resultsPath}: expected the results.json of a scenario:concurrent or scenario:sweep run with at least one completed profile or trial of the scenario's own load (a --workload run's carry none of its figures)`);
  }
  const dir = dirname(resultsPath);
  return Promise.all(
    results.map(async (r) => ({
      id: r.name,
      target: resolveTargetOptions(targetOf(r.config.flags)),
      artifacts,
      spans: r.files.spans === null ? null : await orNull(async () => JSON.parse(await readFile(join(dir, r.files.spans!), 'utf8'))),
      samples: r.files.samples === null ? null : await orNull(async () => parseSamplesCsv(await readFile(join(dir, r.files.samples!), 'utf8'))),
      importWindowEndMs: r.importWindow.endEpochMs,
      importWallMs: r.metrics.importWallMs,
      importJobsWallMs: r.importJobsWallMs ?? null,
      writers: r.workflowWriters ?? null,
    })),
  );
}

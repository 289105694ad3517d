/**
 * The concurrent scenario is the seed workload, scenarios/concurrent.workload.json: the file is read
 * once, the run's own flags (--imports, --catalog-rate, ...) are set on its streams, and the result is
 * validated and converted to the description both drivers run, as any workload file would be. The
 * smoke check and the soak carry workloads of their own the same way (./scenario-workloads.ts).
 */
import { readFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import type { ScenarioDescription } from '../../scenarios/lib/scenario.ts';
import type { LoadedWorkload } from '../model/workload-plan.ts';
import type { RankedCriterion } from '../model/rank.ts';
import { SEED_WORKLOAD_PATH } from './seed-workload-file.ts';
import { parseWorkload } from './workload/load.ts';
import { toScenarioDescription, type WritersPlan } from './workload/scenario.ts';
import type { RunOptions } from './options.ts';

/** The run options the seed workload takes as overrides of its streams. */
export type SeedOverrides = Pick<
  RunOptions,
  'imports' | 'artifacts' | 'catalogRate' | 'readRate' | 'tail' | 'maxDuration' | 'workflowRate' | 'writerThreads' | 'writerMaxInFlight'
> & {
  /** The catalog entries the target seeds: the updates cycle over them. */
  catalogEntries: number;
};

// The file's own shape, only as far as the overrides reach into it.
interface SeedFile {
  streams: {
    imports: { vus: number; values: { entries: { list: { count: number } } } };
    catalog: RateStream & { values: { entry: { sequence: { cycle: number } } } };
    reads?: RateStream;
    workflow: RateStream & { maxVUs?: number; sql: { threads: number } };
  };
}
interface RateStream {
  rate: number;
  duration: string;
  endsAfter: { stream: string; tail: string };
}

const fileTexts = new Map<string, string>();

/** One of lockbench's own workload files as written, read once per process; a fresh copy each call, to set flags on. */
export function builtinWorkloadFile<T>(path: string): T {
  let text = fileTexts.get(path);
  if (text === undefined) {
    text = readFileSync(path, 'utf8');
    fileTexts.set(path, text);
  }
  return JSON.parse(text) as T;
}

/** One of lockbench's own workload files, flags set, validated as any workload file is and named by its path in the project. */
export function parseBuiltinWorkload(file: unknown, path: string): LoadedWorkload {
  return parseWorkload(file, relative(dirname(dirname(path)), path), dirname(path));
}

/** The seed file as written. */
function seedFile(): SeedFile {
  return builtinWorkloadFile<SeedFile>(SEED_WORKLOAD_PATH);
}

/** The seed workload with the run's flags set on it, validated as any workload file is. */
export function seedWorkload(overrides: SeedOverrides): LoadedWorkload {
  const file = seedFile();
  const { imports, catalog, workflow } = file.streams;
  imports.vus = overrides.imports;
  imports.values.entries.list.count = overrides.artifacts;
  catalog.rate = overrides.catalogRate;
  catalog.values.entry.sequence.cycle = overrides.catalogEntries;
  // No reads at a rate of 0: the stream is left out, as the scenario always has.
  if (overrides.readRate > 0) file.streams.reads!.rate = overrides.readRate;
  else delete file.streams.reads;
  workflow.rate = overrides.workflowRate;
  workflow.sql.threads = overrides.writerThreads;
  workflow.maxVUs = overrides.writerMaxInFlight;
  for (const stream of [catalog, file.streams.reads, workflow]) {
    if (!stream) continue;
    stream.duration = overrides.maxDuration;
    stream.endsAfter.tail = overrides.tail;
  }
  return parseBuiltinWorkload(file, SEED_WORKLOAD_PATH);
}

/**
 * What the default sweep ranks its points by: the seed workload's `rank`, its criteria's ids being those of
 * harness/plan/criteria.json that judge the scenario's points. The file as written, no flag changes it.
 */
export function seedRank(): RankedCriterion[] {
  return parseBuiltinWorkload(seedFile(), SEED_WORKLOAD_PATH).workload.rank;
}

/** The concurrent scenario's description and writers, from the seed workload with the run's flags. */
export function seedScenario(overrides: SeedOverrides): { description: ScenarioDescription; writers: WritersPlan | null } {
  const converted = toScenarioDescription(seedWorkload(overrides).workload, 'concurrent');
  // The seed is lockbench's own file: a refusal is a defect here, not a user's mistake.
  if (!converted.ok) throw new Error(`${SEED_WORKLOAD_PATH} does not convert to the concurrent scenario: ${JSON.stringify(converted.refusals)}`);
  return { description: converted.description, writers: converted.writers };
}

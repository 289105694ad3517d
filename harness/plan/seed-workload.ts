/**
 * The concurrent scenario is the seed workload, scenarios/concurrent.workload.json: the file is read
 * once, the run's own flags (--imports, --catalog-rate, ...) are set on its streams, and the result is
 * validated and converted to the description both drivers run, as any workload file would be.
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

let seedText: string | undefined;

/** The seed file as written, read once per process. */
function seedFile(): SeedFile {
  seedText ??= readFileSync(SEED_WORKLOAD_PATH, 'utf8');
  return JSON.parse(seedText) as SeedFile;
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
  return parseWorkload(file, SEED_SOURCE, dirname(SEED_WORKLOAD_PATH));
}

/** How the seed is named in its messages and reports: its path in the project, not on this machine. */
const SEED_SOURCE = relative(dirname(dirname(SEED_WORKLOAD_PATH)), SEED_WORKLOAD_PATH);

/**
 * What the default sweep ranks its points by: the seed workload's `rank`, its criteria's ids being those of
 * harness/plan/criteria.json that judge the scenario's points. The file as written, no flag changes it.
 */
export function seedRank(): RankedCriterion[] {
  return parseWorkload(seedFile(), SEED_SOURCE, dirname(SEED_WORKLOAD_PATH)).workload.rank;
}

/** The concurrent scenario's description and writers, from the seed workload with the run's flags. */
export function seedScenario(overrides: SeedOverrides): { description: ScenarioDescription; writers: WritersPlan | null } {
  const converted = toScenarioDescription(seedWorkload(overrides).workload, 'concurrent');
  // The seed is lockbench's own file: a refusal is a defect here, not a user's mistake.
  if (!converted.ok) throw new Error(`${SEED_WORKLOAD_PATH} does not convert to the concurrent scenario: ${JSON.stringify(converted.refusals)}`);
  return { description: converted.description, writers: converted.writers };
}

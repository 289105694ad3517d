/**
 * The smoke check's and the soak's workloads, scenarios/smoke.workload.json and scenarios/soak.workload.json:
 * as the concurrent scenario carries the seed (./seed-workload.ts), each file is read once and the run's
 * flags are set on its streams, so its Run section describes what ran; a trial of either is judged by
 * the file's criteria. The drivers still run the scenario's own description (scenarios/lib/scenario.ts).
 */
import { fileURLToPath } from 'node:url';
import type { LoadedWorkload } from '../model/workload-plan.ts';
import type { SoakConfig } from '../../scenarios/lib/scenario.ts';
import { builtinWorkloadFile, parseBuiltinWorkload } from './seed-workload.ts';
import type { RunOptions } from './options.ts';

export const SMOKE_WORKLOAD_PATH = fileURLToPath(new URL('../../scenarios/smoke.workload.json', import.meta.url));
export const SOAK_WORKLOAD_PATH = fileURLToPath(new URL('../../scenarios/soak.workload.json', import.meta.url));

/** The run options the workflow writers take, beside every scenario's load. */
export type WriterOverrides = Pick<RunOptions, 'workflowRate' | 'writerThreads' | 'writerMaxInFlight'>;

// The files' own shapes, only as far as the flags reach into them.
interface WorkflowStream {
  rate: number;
  duration: string;
  maxVUs?: number;
  sql: { threads: number };
}
interface SmokeFile {
  streams: { smoke: { values: { entries: { list: { count: number } } } }; workflow: WorkflowStream };
}
interface RateStream {
  rate: number;
  duration: string;
}
interface SoakFile {
  streams: {
    imports: RateStream & { values: { source: { sequence: { cycle: number } }; entries: { list: { count: number } } } };
    catalog: RateStream & { values: { entry: { sequence: { cycle: number } } } };
    reads?: RateStream;
    workflow: WorkflowStream;
  };
}

function setWriters(workflow: WorkflowStream, overrides: WriterOverrides): void {
  workflow.rate = overrides.workflowRate;
  workflow.sql.threads = overrides.writerThreads;
  workflow.maxVUs = overrides.writerMaxInFlight;
}

/** The smoke check's workload: its import's size (`artifacts`, the smoke's own) and the writers' flags set. */
export function smokeWorkload(overrides: WriterOverrides & { artifacts: number }): LoadedWorkload {
  const file = builtinWorkloadFile<SmokeFile>(SMOKE_WORKLOAD_PATH);
  file.streams.smoke.values.entries.list.count = overrides.artifacts;
  setWriters(file.streams.workflow, overrides);
  return parseBuiltinWorkload(file, SMOKE_WORKLOAD_PATH);
}

/** The soak's workload: the soak's settings as its description reads them (soakConfig) and the writers' flags set. */
export function soakWorkload(overrides: WriterOverrides & Pick<SoakConfig, 'duration' | 'importRate' | 'artifacts' | 'sources' | 'catalogRate' | 'readRate' | 'catalogEntries'>): LoadedWorkload {
  const file = builtinWorkloadFile<SoakFile>(SOAK_WORKLOAD_PATH);
  const { imports, catalog, workflow } = file.streams;
  imports.rate = overrides.importRate;
  imports.values.source.sequence.cycle = overrides.sources;
  imports.values.entries.list.count = overrides.artifacts;
  catalog.rate = overrides.catalogRate;
  catalog.values.entry.sequence.cycle = overrides.catalogEntries;
  // No reads at a rate of 0: the stream is left out, as the soak's description does.
  if (overrides.readRate > 0) file.streams.reads!.rate = overrides.readRate;
  else delete file.streams.reads;
  setWriters(workflow, overrides);
  for (const stream of [imports, catalog, file.streams.reads, workflow]) if (stream) stream.duration = overrides.duration;
  return parseBuiltinWorkload(file, SOAK_WORKLOAD_PATH);
}

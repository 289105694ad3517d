/** The workflow writers' rate, threads and in-flight bound as a default run starts them (the plan's defaults). */
import { RUN_DEFAULTS } from '../plan/options.ts';
import type { WorkflowWriterOptionsInput } from '../plan/workflow-writers.ts';

export const RUN_WRITERS: Pick<WorkflowWriterOptionsInput, 'writesPerSecond' | 'threads' | 'maxInFlight'> = {
  writesPerSecond: RUN_DEFAULTS.workflowRate,
  threads: RUN_DEFAULTS.writerThreads,
  maxInFlight: RUN_DEFAULTS.writerMaxInFlight,
};

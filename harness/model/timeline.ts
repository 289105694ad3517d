/**
 * What report.html draws per profile or trial beside the results: the spans file the run writes
 * (`spans-<profile or trial>.json`) and the request samples, handed over by the run that made them or read
 * back from the report folder (harness/run/timelines.ts).
 */
import type { LabelledSpan, ObservedSpansFile } from './observation.ts';
import type { RecordedLockSpan, RequestSample } from './results.ts';

/**
 * What a run writes as `spans-<profile or trial>.json`: the target's and the workflow writers' own
 * spans, and the observer's write-lock spans labelled by holder (null when it did not watch). Read
 * locks and checkpoints may be there too; the timeline draws the write lock only.
 */
export interface SpansFile {
  target: RecordedLockSpan[];
  workflowWriters: RecordedLockSpan[];
  observed: (Pick<ObservedSpansFile, 'pids' | 'intervalUs' | 'windowStartMs' | 'windowEndMs'> & { writeSpans: LabelledSpan[] }) | null;
}

/** One profile's or trial's data for its charts; null where the file is missing. */
export interface Timeline {
  /** The profile name or trial id: `results.profiles[].name`, `results.trials[].id`. */
  id: string;
  spans: SpansFile | null;
  samples: RequestSample[] | null;
}

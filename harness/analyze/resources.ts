/** The target's memory and the WAL's size over a load (harness/run/resources.ts samples them), summed up per series. */
import type { ResourceSample, ResourceSummary } from '../model/results.ts';

function startPeakEnd(values: readonly number[]): { start: number; peak: number; end: number } | null {
  if (values.length === 0) return null;
  return { start: values[0]!, peak: Math.max(...values), end: values[values.length - 1]! };
}

/** Start, peak and end of each series. */
export function summarizeResources(samples: readonly ResourceSample[]): ResourceSummary {
  return {
    samples: samples.length,
    targetRssBytes: startPeakEnd(samples.map((s) => s.targetRssBytes).filter((v): v is number => v !== null)),
    walBytes: startPeakEnd(samples.map((s) => s.walBytes)),
  };
}

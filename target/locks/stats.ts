/** Count and nearest-rank percentiles of a set of durations, in milliseconds. */
import { nearestRankPercentile } from '../../harness/shared/percentile.ts';

export interface DurationStats {
  count: number;
  p50Ms: number | null;
  p99Ms: number | null;
  maxMs: number | null;
}


export function summarize(values: readonly number[]): DurationStats {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    count: sorted.length,
    p50Ms: nearestRankPercentile(sorted, 50),
    p99Ms: nearestRankPercentile(sorted, 99),
    maxMs: sorted.length === 0 ? null : (sorted[sorted.length - 1] ?? null),
  };
}

import type { LatencySummary } from './latency-histogram.ts';

/**
 * The p-th percentile (0..100) of exact values, defined as k6 defines its trend percentiles: linear
 * interpolation between the two closest ranks of the sorted values (rank p/100 x (n - 1)). Using
 * k6's definition lets a figure computed here from k6's per-request samples be checked against the
 * p(99) in k6's own summary. Null for no values.
 */
export function interpolatedPercentile(sortedValues: readonly number[], p: number): number | null {
  const n = sortedValues.length;
  if (n === 0) return null;
  const rank = (p / 100) * (n - 1);
  const below = sortedValues[Math.floor(rank)]!;
  const above = sortedValues[Math.ceil(rank)]!;
  return below + (above - below) * (rank - Math.floor(rank));
}

/**
 * The p-th percentile (0..100) of ascending-sorted values by nearest rank: the smallest value with at
 * least p % of the values at or below it (rank ceil(p/100 x n)). Always a measured value, never an
 * interpolation: the definition the target uses for its self-reported holds and the observer for its
 * observed ones, so both are computed alike. Null for no values.
 */
export function nearestRankPercentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1] ?? null;
}

/** Count, p50, p99 and max of exact latencies in milliseconds; nulls (not zeros) when there are none. */
export function summarizeLatencies(valuesMs: readonly number[]): LatencySummary {
  const sorted = [...valuesMs].sort((a, b) => a - b);
  return {
    count: sorted.length,
    p50Ms: interpolatedPercentile(sorted, 50),
    p99Ms: interpolatedPercentile(sorted, 99),
    maxMs: sorted.length === 0 ? null : sorted[sorted.length - 1]!,
  };
}

/** Count and nearest-rank percentiles of a set of durations, in milliseconds. */
export interface DurationStats {
  count: number;
  p50Ms: number | null;
  p99Ms: number | null;
  maxMs: number | null;
}

/** Nearest-rank percentile of ascending-sorted values; `p` in 0..100. */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1] ?? null;
}

export function summarize(values: readonly number[]): DurationStats {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    count: sorted.length,
    p50Ms: percentile(sorted, 50),
    p99Ms: percentile(sorted, 99),
    maxMs: sorted.length === 0 ? null : (sorted[sorted.length - 1] ?? null),
  };
}

import * as hdr from 'hdr-histogram-js';

/** Percentiles of one latency distribution, in milliseconds. `null` figures mean nothing was recorded. */
export interface LatencySummary {
  count: number;
  p50Ms: number | null;
  p99Ms: number | null;
  maxMs: number | null;
}

/** Recording resolution: values are stored in whole microseconds. */
const MICROS_PER_MS = 1000;

/**
 * An HDR histogram of durations in milliseconds, kept at microsecond resolution with three
 * significant digits, so a 1 ms write and a 10 s stall are both recorded without a fixed range.
 */
export interface LatencyHistogram {
  record(durationMs: number): void;
  summary(): LatencySummary;
}

export function createLatencyHistogram(): LatencyHistogram {
  const histogram = hdr.build({
    lowestDiscernibleValue: 1,
    numberOfSignificantValueDigits: 3,
    autoResize: true,
  });
  return {
    record(durationMs) {
      // Zero and negative durations come from clock granularity; keep them as the smallest value.
      histogram.recordValue(Math.max(1, Math.round(durationMs * MICROS_PER_MS)));
    },
    summary() {
      if (histogram.totalCount === 0) return { count: 0, p50Ms: null, p99Ms: null, maxMs: null };
      return {
        count: histogram.totalCount,
        p50Ms: histogram.getValueAtPercentile(50) / MICROS_PER_MS,
        p99Ms: histogram.getValueAtPercentile(99) / MICROS_PER_MS,
        maxMs: histogram.maxValue / MICROS_PER_MS,
      };
    },
  };
}

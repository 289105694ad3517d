/**
 * The import window and the latency of what started inside it. The investigation's latency criteria
 * are about requests blocked by the imports; samples taken while no import runs are uncontended and
 * would dilute a percentile, so the criteria judge only what started inside the window.
 */
import type { ImportsSummary } from '../../scenarios/lib/contract.ts';
import type { WindowLatency, WindowLatencyMissing } from '../model/results.ts';
import { summarizeLatencies } from '../shared/percentile.ts';

/** From the first import request sent to the last import answer received: epoch ms, k6 client clock. */
export interface ImportWindow {
  startMs: number;
  endMs: number;
}

/** The window of a run's imports, or null when some import never answered (the window has no end). */
export function importWindowOf(imports: ImportsSummary | null | undefined): ImportWindow | null {
  if (!imports || imports.wallMs === null || imports.firstStartEpochMs === null || imports.lastEndEpochMs === null) return null;
  return { startMs: imports.firstStartEpochMs, endMs: imports.lastEndEpochMs };
}

/** The items whose start lies inside the window, both ends included. */
export function startedInWindow<T>(items: readonly T[], window: ImportWindow, startOf: (item: T) => number): T[] {
  return items.filter((item) => {
    const start = startOf(item);
    return start >= window.startMs && start <= window.endMs;
  });
}

/** How to read one kind of sample: when it started and how long it took, in ms. */
export interface SampleTiming<T> {
  startOf(sample: T): number;
  latencyOf(sample: T): number;
}

/**
 * p50 / p99 of the samples that started inside the window, with the counts they rest on.
 * `samples` null: not measured (`missing` says why). No window or an empty one: null figures
 * with the reason, so a criterion on them fails as not measured rather than passing on nothing.
 */
export function windowLatency<T>(
  samples: readonly T[] | null,
  window: ImportWindow | null,
  timing: SampleTiming<T>,
  missing: WindowLatencyMissing,
): WindowLatency {
  if (samples === null) return { inWindow: null, total: null, p50Ms: null, p99Ms: null, reason: missing };
  if (window === null) return { inWindow: null, total: samples.length, p50Ms: null, p99Ms: null, reason: { code: 'window-unknown' } };
  const inside = startedInWindow(samples, window, timing.startOf);
  const { p50Ms, p99Ms } = summarizeLatencies(inside.map(timing.latencyOf));
  return {
    inWindow: inside.length,
    total: samples.length,
    p50Ms,
    p99Ms,
    ...(inside.length === 0 ? { reason: { code: 'window-empty' } } : {}),
  };
}

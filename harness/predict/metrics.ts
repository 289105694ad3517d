/**
 * The sweep's metrics from one simulated trial, defined as the measurement defines them
 * (harness/analyze/metrics.ts): the import window from the first import sent to the last answer, catalog
 * service time and workflow latency from schedule over what started inside it, k6's interpolated p99.
 */
import type { SweepMetric } from '../model/results.ts';
import { summarizeLatencies } from '../shared/percentile.ts';
import type { SimulationRecord } from './model.ts';

export type PredictedMetrics = Record<SweepMetric, number | null>;

export function simulatedMetrics(record: SimulationRecord): PredictedMetrics {
  const answered = record.imports.filter((i) => i.ending !== 'timeout');
  const windowStart = Math.min(...record.imports.map((i) => i.startMs));
  const windowEnd = Math.max(...record.imports.map((i) => i.endMs));
  // An import that never answered leaves the window without an end: the in-window figures are not measured.
  const complete = record.imports.length > 0 && answered.length === record.imports.length;
  const inWindow = (t: number) => complete && t >= windowStart && t <= windowEnd;
  const catalog = record.requests.filter((r) => r.stream === 'catalog' && inWindow(r.sentMs)).map((r) => r.endMs - r.sentMs);
  const writes = record.workflow.filter((w) => inWindow(w.scheduledMs)).map((w) => w.endMs - w.scheduledMs);
  const sent = record.imports.length + record.requests.length;
  const succeeded = record.imports.filter((i) => i.ending === 'done').length + record.requests.filter((r) => r.ending === 'done').length;
  return {
    importWallMs: complete ? windowEnd - windowStart : null,
    maxLockHoldMs: record.holds.length === 0 ? null : Math.max(...record.holds.map((h) => h.endMs - h.startMs)),
    catalogP99Ms: summarizeLatencies(catalog).p99Ms,
    workflowWriteP99Ms: summarizeLatencies(writes).p99Ms,
    requestSuccessRate: sent === 0 ? null : succeeded / sent,
    busyErrors: Object.values(record.busyErrors).reduce((a, b) => a + b, 0),
  };
}

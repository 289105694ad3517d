/**
 * The times of one request sample (harness/model/results.ts `RequestSample`): the figures the metrics, the
 * bench and the report's charts all take from the same four fields, defined once.
 */
import type { RequestSample } from './results.ts';

/** Service time: first byte sent to last byte read, in ms (what the criteria judge); null when never sent. */
export function serviceTimeMs(sample: RequestSample): number | null {
  return sample.sentMs === null ? null : sample.endMs - sample.sentMs;
}

/**
 * Response time: from when the schedule called for the request to its last byte, in ms, the figure
 * corrected for coordinated omission (a stalled driver or target delays what was due); null where the
 * schedule is unknown.
 */
export function responseTimeMs(sample: RequestSample): number | null {
  return sample.scheduledMs === null ? null : sample.endMs - sample.scheduledMs;
}

/**
 * Send lag: how late the driver sent the request, from when the schedule called for it to its first byte,
 * in ms; null where the schedule is unknown (k6, a chained call) or it was never sent. Latency figures
 * include none of it (service time starts at the send); a request sent late only found the target later.
 */
export function sendLagMs(sample: RequestSample): number | null {
  return sample.scheduledMs === null || sample.sentMs === null ? null : sample.sentMs - sample.scheduledMs;
}

/** When a sample started, for window membership: sent, else scheduled, else its end. */
export function startedMs(sample: RequestSample): number {
  return sample.sentMs ?? sample.scheduledMs ?? sample.endMs;
}

/** The stream whose latency the catalog criteria judge (and whose load figures the notes word). */
export const CATALOG_STREAM = 'catalog';

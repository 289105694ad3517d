/**
 * The driver-neutral per-request samples file, `samples-<trial>.csv`: one row per HTTP request, whichever
 * driver sent it. The harness reads only this file. Header:
 * `stream,scheduled_ms,sent_ms,end_ms,status,error`; times are fractional epoch milliseconds on the
 * driver's clock. `scheduled_ms` is when the executor's schedule called for the request (empty where k6
 * ran: k6 does not report it), `sent_ms` when its first byte was sent (empty when it never was),
 * `end_ms` when its last byte was read or it failed; `status` is the HTTP status, 0 for no answer;
 * `error` is empty, or `timeout`, `refused`, `reset`, `aborted`, or another client error code.
 */
import { readFile } from 'node:fs/promises';
import { stringify } from 'csv-stringify/sync';
import { writeFileAtomic } from '../fs/atomic.ts';
import { parseSamplesCsv, SAMPLE_COLUMNS } from '../model/samples-file.ts';
import type { RequestSample, SampleError } from '../results.ts';

export type { RequestSample, SampleError };

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

const optional = (value: number | null): string => (value === null ? '' : String(value));

/** The file's text. */
export function samplesCsv(samples: readonly RequestSample[]): string {
  return stringify(
    samples.map((s) => [s.stream, optional(s.scheduledMs), optional(s.sentMs), String(s.endMs), String(s.status), s.error ?? '']),
    { header: true, columns: [...SAMPLE_COLUMNS] },
  );
}

/** Writes the file atomically (write, then rename). */
export async function writeSamples(path: string, samples: readonly RequestSample[]): Promise<void> {
  await writeFileAtomic(path, samplesCsv(samples));
}

export async function readSamples(path: string): Promise<RequestSample[]> {
  return parseSamplesCsv(await readFile(path, 'utf8'));
}

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
import { writeFileAtomic } from '../../shared/atomic.ts';
import { parseSamplesCsv, SAMPLE_COLUMNS } from '../../model/samples-file.ts';
import type { RequestSample } from '../../model/results.ts';

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

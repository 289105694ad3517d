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
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { writeFileAtomic } from '../fs/atomic.ts';
import type { RequestSample } from '../results.ts';

/** The columns of the samples file, in order. */
export const SAMPLE_COLUMNS = ['stream', 'scheduled_ms', 'sent_ms', 'end_ms', 'status', 'error'] as const;

/** Thrown when a samples file is not in the format above. */
export class SamplesFileError extends Error {
  override readonly name = 'SamplesFileError';
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

function numberOrNull(text: string, column: string, line: number): number | null {
  if (text === '') return null;
  const value = Number(text);
  if (!Number.isFinite(value)) throw new SamplesFileError(`line ${line}: ${column} is not a number: ${JSON.stringify(text)}`);
  return value;
}

/** Parses the file's text; a header without the expected columns is an error naming them. */
export function parseSamplesCsv(text: string): RequestSample[] {
  let records: Record<string, string>[];
  try {
    records = parse(text, { columns: true, skip_empty_lines: true }) as Record<string, string>[];
  } catch (err) {
    throw new SamplesFileError(`not a samples CSV file: ${(err as Error).message}`);
  }
  const first = records[0];
  if (first) {
    const missing = SAMPLE_COLUMNS.filter((c) => !(c in first));
    if (missing.length > 0) throw new SamplesFileError(`the samples file lacks the column(s) ${missing.join(', ')}; expected ${SAMPLE_COLUMNS.join(',')}`);
  }
  return records.map((r, i) => {
    const line = i + 2;
    const endMs = numberOrNull(r.end_ms ?? '', 'end_ms', line);
    const status = numberOrNull(r.status ?? '', 'status', line);
    if (endMs === null || status === null) throw new SamplesFileError(`line ${line}: end_ms and status are required`);
    return {
      stream: r.stream ?? '',
      scheduledMs: numberOrNull(r.scheduled_ms ?? '', 'scheduled_ms', line),
      sentMs: numberOrNull(r.sent_ms ?? '', 'sent_ms', line),
      endMs,
      status,
      error: r.error === undefined || r.error === '' ? null : r.error,
    };
  });
}

export async function readSamples(path: string): Promise<RequestSample[]> {
  return parseSamplesCsv(await readFile(path, 'utf8'));
}

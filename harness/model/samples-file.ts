/**
 * The samples file, `samples-<trial>.csv`, as its readers parse it: the run after the load, the HTML report,
 * the lock model's calibration from an earlier run's folder. Its columns are described with the writer,
 * harness/run/drivers/samples.ts.
 */
import { parse } from 'csv-parse/sync';
import type { RequestSample } from './results.ts';

/** The columns of the samples file, in order. */
export const SAMPLE_COLUMNS = ['stream', 'scheduled_ms', 'sent_ms', 'end_ms', 'status', 'error'] as const;

/** Thrown when a samples file is not in the format above. */
export class SamplesFileError extends Error {
  override readonly name = 'SamplesFileError';
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


/**
 * The per-request samples file every load driver writes, `samples-<profile or trial>.csv`: one row per
 * request with its stream and its times, so a report can plot and judge any part of a run whichever
 * driver ran it (DESIGN.md "Results contract").
 */
import { readFile } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';

/** The header row, in this order. */
export const SAMPLES_COLUMNS = ['stream', 'scheduled_ms', 'sent_ms', 'end_ms', 'status', 'error'] as const;

/** One request. Times are fractional epoch milliseconds on the driver's clock. */
export interface SampleRow {
  /** The scenario stream that sent it: catalog, imports, reads, ... */
  stream: string;
  /** When the open-model schedule called for it; null when the driver does not schedule (k6). */
  scheduledMs: number | null;
  /** When its first byte was sent. */
  sentMs: number;
  /** When its last byte was read, or when it failed. */
  endMs: number;
  /** The HTTP status; 0 when no answer came. */
  status: number;
  /** Why it failed (timeout, refused, reset, http_5xx, ...); null when it did not. */
  error: string | null;
}

/** The file name of one profile's or trial's samples. */
export function samplesFileName(id: string): string {
  return `samples-${id}.csv`;
}

/** Thrown when text is not a samples file; the message says which row and what was expected. */
export class SamplesCsvError extends Error {
  override readonly name = 'SamplesCsvError';
}

function number(record: Record<string, string>, column: string, line: number): number {
  const value = Number(record[column]);
  if (record[column] === '' || !Number.isFinite(value)) {
    throw new SamplesCsvError(`samples CSV line ${line}: "${column}" must be a number, got "${record[column]}"`);
  }
  return value;
}

/** The rows of a samples file's text, in file order. */
export function parseSamplesCsv(text: string): SampleRow[] {
  const [header] = parse(text, { to_line: 1 }) as string[][];
  if (header === undefined || header.join(',') !== SAMPLES_COLUMNS.join(',')) {
    throw new SamplesCsvError(`a samples CSV starts with the header ${SAMPLES_COLUMNS.join(',')}; got ${header?.join(',') ?? 'an empty file'}`);
  }
  const records = parse(text, { columns: true, skip_empty_lines: true, info: true }) as { record: Record<string, string>; info: { lines: number } }[];
  return records.map(({ record, info }) => ({
    stream: record.stream!,
    scheduledMs: record.scheduled_ms === '' ? null : number(record, 'scheduled_ms', info.lines),
    sentMs: number(record, 'sent_ms', info.lines),
    endMs: number(record, 'end_ms', info.lines),
    status: number(record, 'status', info.lines),
    error: record.error === '' ? null : record.error!,
  }));
}

export async function readSamplesCsv(path: string): Promise<SampleRow[]> {
  return parseSamplesCsv(await readFile(path, 'utf8'));
}

/** A samples file's text, for the drivers that write one. */
export function formatSamplesCsv(rows: readonly SampleRow[]): string {
  return stringify(
    rows.map((r) => [r.stream, r.scheduledMs ?? '', r.sentMs, r.endMs, r.status, r.error ?? '']),
    { header: true, columns: [...SAMPLES_COLUMNS] },
  );
}

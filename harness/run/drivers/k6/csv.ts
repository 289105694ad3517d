/**
 * k6's per-sample CSV output (`--out csv`) converted into the driver-neutral samples file.
 *
 * What a row's `timestamp` is (k6 v2.2, checked in its source and by experiment): the time the request's
 * sample was taken, when the answer was fully read (the HTTP trail's EndTime). `http_req_duration`
 * (sending + waiting + receiving) ends there too, so the first byte was sent at `timestamp - duration`:
 * the same first-byte-sent to last-byte-read latency the built-in driver measures. k6 does not report
 * when the schedule called for a request, so `scheduled_ms` stays empty.
 */
import { readFile } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import type { RequestSample } from '../../../model/results.ts';

/** The CSV time format k6 is asked for (K6_CSV_TIME_FORMAT): integer epoch microseconds. k6's default has whole seconds. */
export const K6_CSV_TIME_FORMAT = 'unix_micro';
const MICROS_PER_MS = 1000;
/** The k6 metric whose samples are request latencies. */
export const REQUEST_DURATION_METRIC = 'http_req_duration';

/** k6's error codes (lib/netext/httpext/error_codes.go) as the samples file names them. */
export const K6_ERROR_CODES: Readonly<Record<string, string>> = {
  '1050': 'timeout',
  '1211': 'timeout',
  '1212': 'refused',
  '1220': 'reset',
  '1201': 'reset',
};

/** Environment for a k6 run that writes its samples as CSV to `path` (with `--out csv`). */
export function k6CsvEnv(path: string): Record<string, string> {
  // Through the environment rather than `--out csv=<path>`: k6 reads a `,` or `=` there as option syntax.
  return { K6_CSV_FILENAME: path, K6_CSV_TIME_FORMAT };
}

/** Thrown when the text is not k6 CSV output with the columns read here. */
export class K6CsvError extends Error {
  override readonly name = 'K6CsvError';
}

const COLUMNS = ['metric_name', 'timestamp', 'metric_value', 'scenario', 'status', 'error_code'] as const;

/** One row of k6's CSV output, by column. */
export type K6CsvRow = Record<string, string | undefined>;

/** The rows of k6 CSV text, its columns checked. */
export function k6CsvRows(text: string): K6CsvRow[] {
  const rows = parse(text, { columns: true, skip_empty_lines: true, relax_column_count: true }) as K6CsvRow[];
  const first = rows[0];
  if (first === undefined) {
    if (text.trim() === '') throw new K6CsvError('the k6 CSV output is empty (no header row)');
    return [];
  }
  const missing = COLUMNS.filter((c) => !(c in first));
  if (missing.length > 0) throw new K6CsvError(`the k6 CSV output has no ${missing.map((c) => `"${c}"`).join(', ')} column`);
  return rows;
}

/** A row's request sample, when it is a complete `http_req_duration` row; null for any other row. */
export function requestSampleOf(row: K6CsvRow): RequestSample | null {
  if (row.metric_name !== REQUEST_DURATION_METRIC || row.error_code === undefined) return null;
  const endMicros = Number(row.timestamp);
  const durationMs = Number(row.metric_value);
  if (row.timestamp === '' || !Number.isFinite(endMicros) || !Number.isFinite(durationMs)) {
    throw new K6CsvError(`unreadable ${REQUEST_DURATION_METRIC} row: ${JSON.stringify(row)}`);
  }
  const endMs = endMicros / MICROS_PER_MS;
  const status = Number(row.status ?? 0) || 0;
  const code = row.error_code ?? '';
  return {
    stream: row.scenario ?? '',
    scheduledMs: null,
    // A request that never connected has an all-zero trail: it was not sent.
    sentMs: status === 0 && durationMs === 0 ? null : endMs - durationMs,
    endMs,
    status,
    error: code === '' ? null : (K6_ERROR_CODES[code] ?? `k6_${code}`),
  };
}

/**
 * Every `http_req_duration` sample of k6 CSV text, as request samples. A last row cut short by an
 * interrupted write is left out.
 */
export function samplesFromK6Csv(text: string): RequestSample[] {
  return k6CsvRows(text).flatMap((row) => requestSampleOf(row) ?? []);
}

export async function readK6Csv(path: string): Promise<RequestSample[]> {
  return samplesFromK6Csv(await readFile(path, 'utf8'));
}

/**
 * Per-request timing from k6's CSV output (`--out csv`), for figures k6's end-of-test summary cannot
 * give: latency of only the requests sent during a part of the run (the import window).
 *
 * What a row's `timestamp` is (k6 v2.2, checked in its source and by experiment): the time the
 * request's sample was taken, which is when the answer was fully read (the HTTP trail's EndTime),
 * not when the request began. `http_req_duration` (sending + waiting + receiving) ends there too, so
 * a request began to be sent at `timestamp - http_req_duration`. That leaves out only the wait for a
 * connection (`http_req_blocked`, under 1 ms on loopback), so a start can read up to that much late.
 */
import { readFile } from 'node:fs/promises';

/**
 * The CSV time format k6 is asked for (env K6_CSV_TIME_FORMAT): integer epoch microseconds, so a
 * start derived as `timestamp - duration` is not off by a truncated millisecond. k6's default
 * (`unix`) has whole seconds only.
 */
export const K6_CSV_TIME_FORMAT = 'unix_micro';
/** Microseconds per millisecond, to read {@link K6_CSV_TIME_FORMAT} timestamps. */
const MICROS_PER_MS = 1000;
/** The k6 metric whose samples are request latencies. */
export const REQUEST_DURATION_METRIC = 'http_req_duration';

/** Environment for a k6 run that writes its samples as CSV to `path` (with `--out csv`). */
export function k6CsvEnv(path: string): Record<string, string> {
  // Through the environment rather than `--out csv=<path>`: k6 reads a `,` or `=` in that argument
  // as option syntax, and a report folder may contain either.
  return { K6_CSV_FILENAME: path, K6_CSV_TIME_FORMAT };
}

/** One HTTP request as k6 timed it. Times are fractional epoch milliseconds on the k6 client's clock. */
export interface RequestSample {
  /** The k6 scenario that sent it (its `scenario` tag). */
  scenario: string;
  /** When the request began to be sent: `endMs - durationMs`. */
  startMs: number;
  /** When its answer was read (the CSV `timestamp`). */
  endMs: number;
  /** `http_req_duration`, in ms. */
  durationMs: number;
}

/**
 * Rows of CSV text (RFC 4180, as Go's encoding/csv writes it: fields with commas, quotes or line
 * breaks are quoted, quotes doubled). A last row cut short by an interrupted write is returned as it
 * is; callers skip rows that lack columns.
 */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c !== '"') field += c;
      else if (text[i + 1] === '"') {
        field += '"';
        i++;
      } else quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length > 0) rows.push([...row, field]);
  return rows;
}

/** Thrown when the text is not k6 CSV output with the columns this module reads. */
export class K6CsvError extends Error {
  override readonly name = 'K6CsvError';
}

/** Every `http_req_duration` sample in k6 CSV text written with {@link K6_CSV_TIME_FORMAT}, in file order. */
export function requestSamplesFromCsv(text: string): RequestSample[] {
  const [header, ...rows] = parseCsv(text);
  if (!header) throw new K6CsvError('the k6 CSV output is empty (no header row)');
  const column = (name: string): number => {
    const index = header.indexOf(name);
    if (index < 0) throw new K6CsvError(`the k6 CSV output has no "${name}" column (header: ${header.join(',')})`);
    return index;
  };
  const metric = column('metric_name');
  const timestamp = column('timestamp');
  const value = column('metric_value');
  const scenario = column('scenario');
  const samples: RequestSample[] = [];
  for (const row of rows) {
    if (row.length < header.length || row[metric] !== REQUEST_DURATION_METRIC) continue;
    const endMicros = Number(row[timestamp]);
    const durationMs = Number(row[value]);
    if (!Number.isFinite(endMicros) || !Number.isFinite(durationMs) || row[timestamp] === '') {
      throw new K6CsvError(`unreadable ${REQUEST_DURATION_METRIC} row: ${row.join(',')}`);
    }
    const endMs = endMicros / MICROS_PER_MS;
    samples.push({ scenario: row[scenario]!, startMs: endMs - durationMs, endMs, durationMs });
  }
  return samples;
}

/** Reads the CSV file k6 wrote with {@link k6CsvEnv}. */
export async function readRequestSamples(path: string): Promise<RequestSample[]> {
  return requestSamplesFromCsv(await readFile(path, 'utf8'));
}

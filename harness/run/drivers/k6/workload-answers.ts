/**
 * A workload run's k6 CSV output as the two files the built-in driver writes: the request samples, and
 * each answer as the script classified it (./workload-runtime.ts). An answer's `lockbench_answer` sample
 * and its request's `http_req_duration` sample carry the same iteration number in their metadata, so the
 * class is joined to the request's own times and status.
 */
import type { AnswerOutcome, WorkloadSample } from '../../../model/workload-samples.ts';
import type { LockFailure } from '../../../shared/lock-errors.ts';
import type { RequestSample } from '../../../model/results.ts';
import { k6CsvRows, K6CsvError, requestSampleOf, type K6CsvRow } from './csv.ts';
import { ANSWER_METRIC, META } from './workload-protocol.ts';

const OUTCOMES: readonly AnswerOutcome[] = ['success', 'partial', 'lock-error', 'error'];
const LOCK_FAILURES: readonly LockFailure[] = ['fast', 'timed-out', 'unknown'];

/** k6's `metadata` (and `extra_tags`) column: `key=value&key=value`. */
export function k6CsvPairs(text: string | undefined): Record<string, string> {
  const pairs: Record<string, string> = {};
  for (const part of (text ?? '').split('&')) {
    const eq = part.indexOf('=');
    if (eq > 0) pairs[part.slice(0, eq)] = part.slice(eq + 1);
  }
  return pairs;
}

function tagsOf(row: K6CsvRow): Record<string, string> {
  return k6CsvPairs(row.extra_tags);
}

export interface K6WorkloadRecords {
  samples: RequestSample[];
  answers: WorkloadSample[];
  /**
   * Requests whose answer k6 did not record: cut by k6's stop between the request and its answer's sample, as
   * the built-in driver's in-flight requests are cut at its end; counted as errors, as those are.
   */
  unclassified: number;
}

export function workloadRecordsFromK6Csv(text: string): K6WorkloadRecords {
  const rows = k6CsvRows(text);
  const classes = new Map<string, { outcome: AnswerOutcome; lockFailure: LockFailure | null; acknowledged: number | null }>();
  for (const row of rows) {
    if (row.metric_name !== ANSWER_METRIC) continue;
    const meta = k6CsvPairs(row.metadata);
    const tags = tagsOf(row);
    const outcome = tags.outcome as AnswerOutcome;
    const lockFailure = tags.lock_failure === '' || tags.lock_failure === undefined ? null : (tags.lock_failure as LockFailure);
    if (!OUTCOMES.includes(outcome) || (lockFailure !== null && !LOCK_FAILURES.includes(lockFailure)) || meta[META.iteration] === undefined) {
      throw new K6CsvError(`unreadable ${ANSWER_METRIC} row: ${JSON.stringify(row)}`);
    }
    const acknowledged = meta[META.acknowledged] === undefined ? null : Number(meta[META.acknowledged]);
    classes.set(`${row.scenario}\u0000${meta[META.iteration]}`, { outcome, lockFailure, acknowledged: Number.isFinite(acknowledged) ? acknowledged : null });
  }
  const samples: RequestSample[] = [];
  const answers: WorkloadSample[] = [];
  let unclassified = 0;
  for (const row of rows) {
    const sample = requestSampleOf(row);
    if (sample === null) continue;
    samples.push(sample);
    const n = k6CsvPairs(row.metadata)[META.iteration];
    const judged = n === undefined ? undefined : classes.get(`${sample.stream}\u0000${n}`);
    if (judged === undefined) unclassified++;
    answers.push({
      stream: sample.stream,
      scheduledMs: null,
      sentMs: sample.sentMs,
      endMs: sample.endMs,
      status: sample.status,
      outcome: judged?.outcome ?? 'error',
      lockFailure: judged?.lockFailure ?? null,
      acknowledged: judged?.acknowledged ?? null,
    });
  }
  return { samples, answers, unclassified };
}

/**
 * A k6 run's requests that got no answer, as the k6 CSV records them (status 0 and k6's error code), split
 * per stream as the built-in driver's are: the script classifies every answer with the shared classifier,
 * and the CSV's own error code says why a request got none.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { streamFigures } from '../../../analyze/workload-result.ts';
import { loadWorkload } from '../../../plan/workload/load.ts';
import { workloadRecordsFromK6Csv } from './workload-answers.ts';

const WORKLOAD = fileURLToPath(new URL('../../../../examples/django-gunicorn/workload.yaml', import.meta.url));
const HEADER = 'metric_name,timestamp,metric_value,check,error,error_code,expected_response,group,method,name,proto,scenario,service,status,subproto,tls_version,url,extra_tags,metadata';

/** One request's two rows as k6 writes them: its duration (with k6's error code), and its answer's class. */
function requestRows(stream: string, n: number, status: number, errorCode: string, outcome: string, lockFailure = ''): string[] {
  const end = 1_800_000_000_000_000 + n * 1000;
  return [
    `http_req_duration,${end},12.500000,,,${errorCode},,,PATCH,PATCH /x,HTTP/1.1,${stream},,${status},,,http://127.0.0.1/x,,lockbench_n=${n}`,
    `lockbench_answer,${end + 300},1.000000,,,,,,,,,${stream},,,,,,lock_failure=${lockFailure}&outcome=${outcome},lockbench_n=${n}`,
  ];
}

describe("a k6 run's requests with no answer", () => {
  it('are split per stream from error answers and lock errors, by the error code k6 recorded', () => {
    const { workload } = loadWorkload(WORKLOAD);
    const stream = workload.streams.find((s) => s.action.kind === 'http')!.name;
    const csv = [
      HEADER,
      ...requestRows(stream, 0, 200, '', 'success'),
      // k6's request timeout, and a connection reset by the peer: no status.
      ...requestRows(stream, 1, 0, '1050', 'error'),
      ...requestRows(stream, 2, 0, '1220', 'error'),
      ...requestRows(stream, 3, 500, '1500', 'error'),
      ...requestRows(stream, 4, 500, '1500', 'lock-error', 'fast'),
    ].join('\n');
    const { samples, answers } = workloadRecordsFromK6Csv(csv);
    const figures = streamFigures(workload, answers, samples).find((f) => f.stream === stream);
    expect(figures).toMatchObject({ requests: 5, successes: 1, lockErrors: { total: 1, fast: 1 }, otherErrors: 3, noAnswer: { total: 2, byKind: { timeout: 1, reset: 1 } }, errorAnswers: 1 });
  });
});

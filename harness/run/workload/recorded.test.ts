import { describe, expect, it } from 'vitest';
import { parseSamplesCsv } from '../../model/samples-file.ts';
import { parseWorkload } from '../../plan/workload/load.ts';
import { classifyRecorded } from './recorded.ts';

const workload = (answers: object) =>
  parseWorkload(
    {
      name: 'w',
      lockErrors: { busyTimeout: '10s' },
      streams: { catalog: { executor: 'constant-arrival-rate', rate: 1, duration: '1s', request: { method: 'GET', path: '/c' }, answers } },
    },
    'w',
    '.',
  ).workload;

const CSV = ['stream,scheduled_ms,sent_ms,end_ms,status,error', 'catalog,1000,1000,1004,200,', 'catalog,1050,1050,11060,503,', 'catalog,1100,,1100,0,refused', 'other,1,1,2,200,'].join('\n');

describe('recorded samples as workload samples', () => {
  it('classifies by status and splits lock errors by their recorded service time', () => {
    const { samples, needsBody } = classifyRecorded(workload({ success: { status: [200] }, lockError: { status: [503] } }), parseSamplesCsv(CSV));
    expect(needsBody).toEqual([]);
    expect(samples.map((s) => [s.outcome, s.lockFailure])).toEqual([
      ['success', null],
      ['lock-error', 'timed-out'],
      ['error', null],
    ]);
  });

  it('names a stream whose rules read the body instead of guessing its outcomes', () => {
    const { samples, needsBody } = classifyRecorded(workload({ lockError: { status: [500], body: 'database is locked' } }), parseSamplesCsv(CSV));
    expect(needsBody).toEqual(['catalog']);
    expect(samples).toEqual([]);
  });
});

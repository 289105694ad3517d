import { describe, expect, it } from 'vitest';
import { parseSamplesCsv } from '../../model/samples-file.ts';
import { parseWorkload } from '../../plan/workload/load.ts';
import { acknowledgedByStream, classifyRecorded } from './recorded.ts';
import { seedWorkload } from '../../plan/seed-workload.ts';
import { SCENARIO_DEFINITIONS } from '../../plan/scenarios.ts';
import { resolveRunOptions } from '../../plan/options.ts';
import type { ImportsSummary } from '../../../scenarios/lib/contract.ts';

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

describe("the imports' acknowledged total of a workload run as a scenario", () => {
  const options = resolveRunOptions({});
  const seed = seedWorkload({ ...options, catalogEntries: 400 }).workload;
  const description = SCENARIO_DEFINITIONS.concurrent.describe(options, 400);
  const imports = { artifactsAcknowledged: 480 } as ImportsSummary;

  it("is the stream that sends the description's imports, whose answers the workload reads `imported` of", () => {
    expect(acknowledgedByStream(seed, description, imports, 'imported')).toEqual({ imports: 480 });
    expect(acknowledgedByStream(seed, description, null, 'imported')).toEqual({});
  });

  it('is not given when the description imports from several streams, or the stream reads another field', () => {
    const twice = { ...description, streams: [...description.streams, { ...description.streams[0]!, name: 'more-imports' }] };
    expect(acknowledgedByStream(seed, twice, imports, 'imported')).toEqual({});
    const other = { ...seed, streams: seed.streams.map((s) => (s.action.kind === 'http' && s.action.acknowledged !== null ? { ...s, action: { ...s.action, acknowledged: 'stored' } } : s)) };
    expect(acknowledgedByStream(other, description, imports, 'imported')).toEqual({});
  });

  it("is the field the target's answers are counted by: a described target's importedField, or none when it names none", () => {
    const reading = (field: string | null) => ({ ...seed, streams: seed.streams.map((s) => (s.action.kind === 'http' && s.action.acknowledged !== null ? { ...s, action: { ...s.action, acknowledged: field } } : s)) });
    expect(acknowledgedByStream(reading('result.stored'), description, imports, 'result.stored')).toEqual({ imports: 480 });
    // Every entry of a successful import, as the drivers count on a target that names no field.
    expect(acknowledgedByStream(reading(null), description, imports, null)).toEqual({ imports: 480 });
    expect(acknowledgedByStream(reading(null), description, imports, 'imported')).toEqual({});
    expect(acknowledgedByStream(seed, description, imports, null)).toEqual({});
  });
});

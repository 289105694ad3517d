import { describe, expect, it } from 'vitest';
import type { HoldAttribution, RecordedLockSpan } from '../../model/results.ts';
import { readFileSync } from 'node:fs';
import { FOREIGN_ROWS, RECORDED_BEFORE_ROWS, recordedSpans } from './testing.ts';
import { hueKey, MIN_UNMERGED_HOLD_MS, timelineData } from './timeline.ts';
import type { SpansFile } from '../../model/timeline.ts';

const TARGET = 100;
const WRITERS = 200;

function self(kind: string, startMs: number, endMs: number, extra: Partial<RecordedLockSpan> = {}): RecordedLockSpan {
  const owner = kind.startsWith('workflow-') ? 'workflow-writer' : 'target';
  return { owner, kind, requestId: null, startMs, endMs, pid: owner === 'target' ? TARGET : WRITERS, ...extra };
}

function observed(pid: number, startMs: number, endMs: number) {
  const holder = pid === TARGET ? ('target' as const) : pid === WRITERS ? ('workflow-writers' as const) : ('other' as const);
  return { startMs, endMs, acquiredAfterMs: startMs - 0.25, releasedAfterMs: endMs - 0.25, pid, startedBy: 'acquire' as const, endedBy: 'release' as const, holder };
}

function spansFile(target: RecordedLockSpan[], workflowWriters: RecordedLockSpan[], writeSpans: ReturnType<typeof observed>[] | null): SpansFile {
  return {
    target,
    workflowWriters,
    observed: writeSpans && { pids: { target: TARGET, workflowWriters: WRITERS, observer: 300 }, intervalUs: 250, windowStartMs: 0, windowEndMs: 10_000, writeSpans },
  };
}

describe('lock timeline rows', () => {
  it('has one row per import, the catalog updates and the workflow writes in the recorded before profile', () => {
    const data = timelineData(recordedSpans(), 0);
    expect(data.rows).toEqual(RECORDED_BEFORE_ROWS);
  });

  it('gives each import its own row by request id, and each writer thread its own row', () => {
    const spans = spansFile(
      [
        self('import-batch', 10, 20, { requestId: 'imp_a' }),
        self('import-batch', 30, 40, { requestId: 'imp_b' }),
        self('import-batch', 50, 60, { requestId: 'imp_a' }),
        self('import-job', 61, 62, { requestId: 'imp_a' }),
        self('catalog-update', 21, 22, { requestId: 'req_1' }),
      ],
      [self('workflow-execution', 23, 24, { thread: 1 }), self('workflow-step', 25, 26, { thread: 2 })],
      null,
    );
    expect(timelineData(spans, 0).rows).toEqual([
      'target 100: import imp_a',
      'target 100: import imp_b',
      'target 100: catalog updates',
      'writers 200: thread 1',
      'writers 200: thread 2',
    ]);
  });

  it('names the rows of a workload\'s SQL streams by the stream and thread, below the target\'s rows, and puts the observed holds in them', () => {
    const spans = spansFile(
      [self('catalog-update', 5, 6, { requestId: 'req_1' }), self('vacuum', 9, 10)],
      [
        self('workflow-execution', 1, 2, { thread: 3, stream: 'report' }),
        self('workflow-execution', 3, 4, { thread: 4, stream: 'audit' }),
        self('workflow-execution', 7, 8, { thread: 5, stream: 'audit' }),
      ],
      [observed(WRITERS, 1.1, 2.1), observed(WRITERS, 7.1, 8.1)],
    );
    const data = timelineData(spans, 0);
    expect(data.rows).toEqual(['target 100: catalog updates', 'target 100: vacuum', 'report: thread 3', 'audit: thread 4', 'audit: thread 5']);
    expect(data.bars.filter((b) => b.source === 'observed').map((b) => b.row)).toEqual(['report: thread 3', 'audit: thread 5']);
    expect(data.rows.some((r) => r.startsWith('writers'))).toBe(false);
  });

  it('puts an observed hold in the row of the self-reported hold of its process it overlaps, and a hold nobody reported in a row of its own', () => {
    const spans = spansFile(
      [self('import', 10, 3010, { requestId: 'imp_a' }), self('catalog-update', 3010.5, 3011, { requestId: 'req_1' })],
      [],
      [observed(TARGET, 10.2, 3010.2), observed(TARGET, 3010.4, 3011.1), observed(TARGET, 5000, 5100), observed(999, 6000, 6001)],
    );
    const data = timelineData(spans, 0);
    const rowsOf = (source: string) => data.bars.filter((b) => b.source === source).map((b) => b.row);
    expect(rowsOf('observed')).toEqual(['target 100: import imp_a', 'target 100: catalog updates', 'target 100: not self-reported', 'other 999']);
    expect(data.rows).toEqual(['target 100: import imp_a', 'target 100: catalog updates', 'target 100: not self-reported', 'other 999']);
  });

  it('gives each process of a foreign target a row of its own, named by its command and pid', () => {
    const data = timelineData(foreignSpans(), 0);
    expect(data.rows).toEqual(FOREIGN_ROWS);
  });

  it('marks the longest observed hold, which is the one lock-hold judges', () => {
    const data = timelineData(recordedSpans(), 1000);
    expect(data.longest?.source).toBe('observed');
    expect(data.longest!.endMs - data.longest!.startMs).toBeCloseTo(3049.35, 1);
  });

  it('merges short adjacent holds beyond the bar limit, keeping every hold of 1 ms or more and the count of holds', () => {
    const target: RecordedLockSpan[] = [];
    for (let i = 0; i < 4000; i++) target.push(self('catalog-update', i * 2, i * 2 + 0.2, { requestId: `r${i}` }));
    for (let i = 0; i < 40; i++) target.push(self('import', i * 200 + 1, i * 200 + 6, { requestId: `imp_${i}` }));
    const data = timelineData(spansFile(target, [], null), 0, { maxBars: 500 });
    expect(data.bars.length).toBeLessThanOrEqual(500);
    expect(data.holds).toBe(4040);
    expect(data.bars.reduce((n, b) => n + b.holds, 0)).toBe(4040);
    const long = data.bars.filter((b) => b.holds === 1 && b.endMs - b.startMs >= MIN_UNMERGED_HOLD_MS);
    expect(long).toHaveLength(40);
  });

  it('leaves the holds as they are when they fit', () => {
    const data = timelineData(recordedSpans(), 0);
    expect(data.bars).toHaveLength(data.holds);
  });
});

const FOREIGN = new URL('./fixtures/foreign/', import.meta.url);

function foreignSpans(): SpansFile {
  return JSON.parse(readFileSync(new URL('spans-wal-immediate.json', FOREIGN), 'utf8')) as SpansFile;
}

describe('lock timeline colours', () => {
  it('colours the observed holds of a recorded foreign run as the run attributed them in results.json', () => {
    const results = JSON.parse(readFileSync(new URL('results.json', FOREIGN), 'utf8')) as { profiles: { observed: { attribution: HoldAttribution } }[] };
    const attribution = results.profiles[0]!.observed.attribution;
    const data = timelineData(foreignSpans(), 0);
    const observed = data.bars.filter((b) => b.source === 'observed');
    const count = (test: (b: (typeof observed)[number]) => boolean) => observed.filter(test).reduce((n, b) => n + b.holds, 0);
    expect(count((b) => b.hue.kind === 'stream' && b.hue.exact)).toBe(attribution.exact);
    expect(count((b) => b.hue.kind === 'stream' && !b.hue.exact)).toBe(attribution.oneOf);
    expect(count((b) => b.hue.kind === 'across-streams')).toBe(attribution.ambiguous);
    expect(count((b) => b.hue.kind === 'no-request')).toBe(attribution.none);
    for (const figures of attribution.byStream) expect(count((b) => b.hue.kind === 'stream' && b.hue.stream === figures.stream), figures.stream).toBe(figures.holds);
    expect(data.streams).toEqual(attribution.byStream.map((f) => f.stream).sort());
  });

  it('colours by who timed the hold when the spans carry no attribution', () => {
    const spans = spansFile([self('import', 10, 20, { requestId: 'imp_a' })], [], [observed(TARGET, 10.2, 20.2)]);
    const data = timelineData(spans, 0);
    expect(data.streams).toBeNull();
    expect(data.bars.map((b) => hueKey(b.hue))).toEqual(['self-reported', 'observed']);
  });

  it('names each kind of match: the stream, one of several of it, across streams, no request', () => {
    const hold = (startMs: number, attribution: object) => ({ ...observed(TARGET, startMs, startMs + 5), command: 'gunicorn', worker: true, attribution });
    const spans = spansFile([], [], [
      hold(10, { kind: 'exact', stream: 'catalog' }),
      hold(20, { kind: 'one-of', stream: 'imports', candidates: 3 }),
      hold(30, { kind: 'ambiguous', candidates: 2 }),
      hold(40, { kind: 'none' }),
    ] as ReturnType<typeof observed>[]);
    const data = timelineData(spans, 0);
    expect(data.rows).toEqual(['gunicorn worker 100']);
    expect(data.bars.map((b) => hueKey(b.hue))).toEqual(['catalog', 'imports (one of several)', 'across-streams', 'no-request']);
    expect(data.streams).toEqual(['catalog', 'imports']);
  });
});

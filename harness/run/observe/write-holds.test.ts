import { describe, expect, it } from 'vitest';
import { useObserveFixture } from './testing/fixture.ts';
import { excessOverBoundMs, notBeforeAcrossProcesses, type MeasuredHold } from './testing/hold-checks.ts';
import { summarizeObservation } from '../../analyze/observation-summary.ts';

const INTERVAL_US = 250;
const HOLDS_MS = [500, 100, 20];

/** Each journal mode keeps its write lock elsewhere: WAL on <db>-shm, a rollback journal on the database file. */
const JOURNAL_MODES = [
  { journalMode: 'wal', observedAs: 'wal' },
  { journalMode: 'delete', observedAs: 'rollback' },
] as const;

describe.each(JOURNAL_MODES)('write-lock holds of another process, journal_mode $journalMode', ({ journalMode, observedAs }) => {
  const fixture = useObserveFixture();

  it('are each seen with the holder pid, within 2 ms plus one sample gap of the hold the holder measured', async () => {
    const dbPath = fixture.file('holds.db');
    const holder = await fixture.holder(dbPath, { journalMode });
    const observer = await fixture.observe({ dbPath, intervalUs: INTERVAL_US });
    expect(observer.pid).not.toBe(holder.pid);

    const measured: MeasuredHold[] = [];
    for (const ms of HOLDS_MS) {
      holder.send({ op: 'hold-write', ms });
      await holder.next('holding'); // the holder says when it holds the lock: no sleeping here
      const released = await holder.next('released');
      measured.push({ beforeMs: released.beganAtMs, heldAtMs: released.heldAtMs, releasingAtMs: released.committedAtMs, afterMs: released.endMs });
    }
    const result = summarizeObservation(await observer.stop());

    expect(result.summary.journalMode).toBe(observedAs);
    expect(result.writeSpans.map((s) => s.pid)).toEqual(HOLDS_MS.map(() => holder.pid));
    const excess = result.writeSpans.map((span, i) => excessOverBoundMs(span, measured[i]!, INTERVAL_US / 1000));
    for (const e of excess) expect(e).toBeLessThanOrEqual(0);
    result.writeSpans.forEach((span, i) => {
      // Causality: each observed end lies where the holder's own timestamps allow it (two processes' clocks).
      // A span split from the one before (startedBy 'handoff': the lock never seen free, the commit counter
      // changed) starts at the sample that saw the change. Under a rollback journal COMMIT writes the counter
      // before it lets the lock go, so when one sample gap (milliseconds on a loaded machine) spans that
      // release and this hold's BEGIN, the split can precede this hold, never the previous hold's COMMIT.
      const notBefore = span.startedBy === 'handoff' && i > 0 ? measured[i - 1]!.releasingAtMs : measured[i]!.beforeMs;
      expect(notBeforeAcrossProcesses(span.startMs, notBefore), `start ${span.startMs} (${span.startedBy}) vs ${notBefore}`).toBe(true);
      expect(notBeforeAcrossProcesses(span.endMs, measured[i]!.releasingAtMs), `end ${span.endMs} vs ${measured[i]!.releasingAtMs}`).toBe(true);
    });
    expect(result.summary).toMatchObject({ spanCount: 3, holdMaxMs: Math.max(...result.writeSpans.map((s) => s.endMs - s.startMs)) });
    expect(result.summary.dutyCycle).toBeGreaterThan(0);
    expect(result.summary.dutyCycle).toBeLessThan(1);
    // Every commit span lies inside a write transaction of its own process: one span, or spans split on that
    // commit (the lock never seen free between them, the second starting where the first ends).
    const held = result.writeSpans.reduce<{ pid: number; startMs: number; endMs: number }[]>((runs, w) => {
      const last = runs.at(-1);
      if (last && last.pid === w.pid && w.startedBy === 'handoff' && w.startMs === last.endMs) last.endMs = w.endMs;
      else runs.push({ pid: w.pid, startMs: w.startMs, endMs: w.endMs });
      return runs;
    }, []);
    for (const commit of result.commitSpans ?? []) {
      expect(held.some((w) => w.pid === commit.pid && w.startMs <= commit.startMs && w.endMs >= commit.endMs), JSON.stringify(commit)).toBe(true);
    }
    if (observedAs === 'wal') expect(result.commitSpans).toEqual([]);
  });
});

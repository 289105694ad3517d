import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { useObserveFixture } from './testing/fixture.ts';
import { excessOverBoundMs, notBeforeAcrossProcesses, type MeasuredHold } from './testing/hold-checks.ts';
import { progressFeed } from './testing/progress-feed.ts';

const INTERVAL_US = 250;
/** One write-lock hold per connection, each on a connection of its own, as a connection-per-request app does. */
const HOLDS_MS = [40, 15, 60, 25, 40];

describe('a database whose connections come and go (one connection per request, as with SQLAlchemy NullPool)', () => {
  const fixture = useObserveFixture();

  it('is followed across every removal and re-creation of -shm: each hold seen, the time with no connection reported apart', async () => {
    const dbPath = fixture.file('per-request.db');
    const holder = await fixture.holderProcess();
    // The database exists, in WAL mode, with no connection open: no -shm, as between two requests.
    await holder.request({ op: 'open', dbPath, journalMode: 'wal' }, 'opened');
    await holder.request({ op: 'close' }, 'closed');
    expect(fs.existsSync(`${dbPath}-shm`)).toBe(false);

    const feed = progressFeed();
    const observer = await fixture.observe({
      dbPath,
      intervalUs: INTERVAL_US,
      waitForConnection: true,
      progressEveryMs: 5,
      onProgress: feed.onProgress,
    });

    const measured: MeasuredHold[] = [];
    for (const [i, ms] of HOLDS_MS.entries()) {
      await holder.request({ op: 'open', dbPath, journalMode: 'wal' }, 'opened');
      holder.send({ op: 'hold-write', ms });
      await holder.next('holding');
      const released = await holder.next('released');
      measured.push({ beforeMs: released.beganAtMs, heldAtMs: released.heldAtMs, releasingAtMs: released.committedAtMs, afterMs: released.endMs });
      await holder.request({ op: 'close' }, 'closed'); // the last connection removes -shm
      expect(fs.existsSync(`${dbPath}-shm`)).toBe(false);
      // The observer has seen this hold end and then no connection: the next one starts from there.
      await feed.until((p) => !p.connected && p.spanCount >= i + 1);
    }
    // Polling goes on while no connection is open: with none, the samples still add up.
    const idleSince = await feed.until((p) => !p.connected);
    await feed.until((p) => !p.connected && p.samples > idleSince.samples);
    const result = await observer.stop();

    // Each measured hold is seen as exactly one observed hold: the one overlapping the time the holder
    // certainly held the lock (none split, none missed).
    const ours = result.writeSpans.filter((s) => s.pid === holder.pid);
    const holds = measured.map((m) => {
      const overlapping = ours.filter((s) => s.startMs < m.releasingAtMs && s.endMs > m.heldAtMs);
      expect(overlapping).toHaveLength(1);
      return overlapping[0]!;
    });
    holds.forEach((span, i) => {
      expect(excessOverBoundMs(span, measured[i]!, INTERVAL_US / 1000)).toBeLessThanOrEqual(0);
      expect(notBeforeAcrossProcesses(span.startMs, measured[i]!.beforeMs)).toBe(true);
      expect(span).toMatchObject({ startedBy: 'acquire', endedBy: 'release' });
    });
    // Any other hold is a connection recovering a new -shm's wal-index, which it does under the write
    // lock for microseconds (wal.c walIndexReadHdr): at most one per connection, and polling sees few.
    expect(ours.length - holds.length).toBeLessThanOrEqual(HOLDS_MS.length);
    // Every connection after the first created a new -shm, which the observer opened.
    expect(result.shmReopens).toBeGreaterThanOrEqual(HOLDS_MS.length - 1);

    // Before the first connection and after each close: a state of its own, inside the observed window,
    // never overlapping a hold.
    const idle = result.noConnectionSpans ?? [];
    expect(idle.length).toBeGreaterThanOrEqual(HOLDS_MS.length + 1);
    expect(result.noConnectionMs).toBeGreaterThan(0);
    expect(result.noConnectionMs).toBeLessThan(result.durationMs);
    for (const gap of idle) {
      expect(gap.startMs).toBeGreaterThanOrEqual(result.startedAtMs - 1);
      expect(gap.endMs).toBeLessThanOrEqual(result.endedAtMs);
      for (const hold of holds) expect(gap.endMs <= hold.startMs || gap.startMs >= hold.endMs).toBe(true);
    }
    console.log(
      `holds measured ${measured.map((m) => `${(m.releasingAtMs - m.heldAtMs).toFixed(1)}-${(m.afterMs - m.beforeMs).toFixed(1)}`).join(', ')} ms; ` +
        `observed ${holds.map((s) => (s.endMs - s.startMs).toFixed(1)).join(', ')} ms (+${ours.length - holds.length} recovery holds); shmReopens ${result.shmReopens}; ` +
        `no connection ${result.noConnectionMs?.toFixed(1)} ms of ${result.durationMs.toFixed(1)} ms in ${idle.length} spans; ` +
        `samples ${result.samples}, gap p50/p99/max ${result.sampleGaps.p50Us}/${result.sampleGaps.p99Us}/${result.sampleGaps.maxUs} us`,
    );
  });

  it('waits for a database that does not exist yet, when asked to', async () => {
    const dbPath = fixture.file('not-yet.db');
    const feed = progressFeed();
    const observer = await fixture.observe({ dbPath, waitForConnection: true, progressEveryMs: 5, onProgress: feed.onProgress });
    await feed.until((p) => !p.connected);

    const holder = await fixture.holderProcess();
    await holder.request({ op: 'open', dbPath, journalMode: 'wal' }, 'opened');
    holder.send({ op: 'hold-write', ms: 30 });
    await holder.next('holding');
    const released = await holder.next('released');
    await holder.request({ op: 'close' }, 'closed');
    await feed.until((p) => !p.connected && p.spanCount >= 1);
    const result = await observer.stop();

    // The hold is the span around the middle of the time the holder certainly held the lock: not any long
    // one, since opening (CREATE TABLE) is a write transaction too, and lasts 20 ms and more on a loaded
    // machine; nor any span touching that time, since the end of the opening's span is known only to
    // within a sample, and a sample stalled on a loaded machine can end after the hold began.
    const middle = (released.heldAtMs + released.committedAtMs) / 2;
    const holds = result.writeSpans.filter((s) => s.pid === holder.pid && s.startMs <= middle && s.endMs >= middle);
    expect(holds).toHaveLength(1);
    expect(result.noConnectionSpans?.length).toBeGreaterThanOrEqual(2);
    expect(result.shmReopens).toBe(0); // the first -shm is an opening, not a reopen
  });
});

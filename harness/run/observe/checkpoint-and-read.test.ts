import { describe, expect, it } from 'vitest';
import { useObserveFixture } from './testing/fixture.ts';
import { excessOverBoundMs } from './testing/hold-checks.ts';
import { summarizeObservation } from '../../analyze/observation-summary.ts';

const INTERVAL_US = 250;
/** How long the checkpointer waits for the reader before giving up (its busy_timeout), in ms. */
const CHECKPOINT_WAIT_MS = 300;

describe('a RESTART checkpoint held up by a long read transaction', () => {
  const fixture = useObserveFixture();

  it('shows as a checkpoint span of the checkpointer and a read lock of the reader, each as long as they measured', async () => {
    const dbPath = fixture.file('checkpoint.db');
    const writer = await fixture.holder(dbPath, { busyTimeoutMs: CHECKPOINT_WAIT_MS });
    const reader = await fixture.holder(dbPath);
    // Frames in the WAL, so that the reader's snapshot pins a read mark the checkpoint must wait for.
    writer.send({ op: 'hold-write', ms: 0 });
    await writer.next('holding');
    await writer.next('released');
    const observer = await fixture.observe({ dbPath, intervalUs: INTERVAL_US });

    const reading = await reader.request({ op: 'begin-read' }, 'reading');
    const checkpoint = await writer.request({ op: 'checkpoint', mode: 'RESTART' }, 'checkpointed');
    const read = await reader.request({ op: 'end-read' }, 'read-ended');
    const result = summarizeObservation(await observer.stop());

    // RESTART could not finish while the reader held its read mark: it waited its busy timeout.
    expect(checkpoint.busy).toBe(1);
    expect(checkpoint.endMs - checkpoint.startMs).toBeGreaterThanOrEqual(CHECKPOINT_WAIT_MS * 0.9);

    const checkpoints = result.checkpointSpans.filter((s) => s.pid === writer.pid);
    expect(checkpoints).toHaveLength(1);
    const held = { beforeMs: checkpoint.startMs, heldAtMs: checkpoint.startMs, releasingAtMs: checkpoint.endMs, afterMs: checkpoint.endMs };
    expect(excessOverBoundMs(checkpoints[0]!, held, INTERVAL_US / 1000)).toBeLessThanOrEqual(0);
    // RESTART also takes the write lock while it waits: writers are blocked for as long.
    expect(result.writeSpans.some((s) => s.pid === writer.pid && s.startMs <= checkpoints[0]!.startMs + 1 && s.endMs >= checkpoints[0]!.endMs - 1)).toBe(true);

    const reads = result.readLocks.filter((s) => s.pid === reader.pid && s.mode === 'shared');
    expect(reads).toHaveLength(1);
    const readHold = { beforeMs: reading.beganAtMs, heldAtMs: reading.heldAtMs, releasingAtMs: read.committedAtMs, afterMs: read.endMs };
    expect(excessOverBoundMs(reads[0]!, readHold, INTERVAL_US / 1000)).toBeLessThanOrEqual(0);
    expect(result.summary.longestRead).toMatchObject({ pid: reader.pid, slot: reads[0]!.slot });
    expect(result.summary.checkpointCount).toBe(1);
  });
});

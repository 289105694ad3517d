import { describe, expect, it } from 'vitest';
import { startObserver } from './observer.ts';
import { useObserveFixture } from './testing/fixture.ts';
import { summarizeObservation } from '../../analyze/observation-summary.ts';

/** Length of one measured burst of commits, in ms. */
const BURST_MS = 1000;
/** Bursts per condition, alternated so drift in the machine's load hits both alike; medians are compared. */
const ROUNDS = 3;
/** Observed throughput may not fall below this fraction of the unobserved (a wide margin: see README for figures). */
const MIN_RATIO = 0.7;

describe('observing a writer', () => {
  const fixture = useObserveFixture();

  it('does not measurably change its commit throughput', async () => {
    const dbPath = fixture.file('throughput.db');
    const writer = await fixture.holder(dbPath);
    await writer.request({ op: 'write-loop', ms: 300 }, 'wrote'); // warm-up: JIT, page cache, WAL file

    const rate = { unobserved: [] as number[], observed: [] as number[] };
    const seen: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const plain = await writer.request({ op: 'write-loop', ms: BURST_MS }, 'wrote');
      rate.unobserved.push(plain.commits / plain.elapsedMs);

      const observer = await startObserver({ dbPath });
      try {
        const watched = await writer.request({ op: 'write-loop', ms: BURST_MS }, 'wrote');
        rate.observed.push(watched.commits / watched.elapsedMs);
      } finally {
        const result = summarizeObservation(await observer.stop());
        seen.push(result.summary.spanCount);
      }
    }
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
    const ratio = median(rate.observed) / median(rate.unobserved);
    console.log(
      `commits/s unobserved ${rate.unobserved.map((r) => Math.round(r * 1000)).join(', ')}; ` +
        `observed ${rate.observed.map((r) => Math.round(r * 1000)).join(', ')}; ratio ${ratio.toFixed(3)}; holds seen ${seen.join(', ')}`,
    );
    // The observer did watch: it saw some of the (mostly sub-interval) write transactions.
    for (const count of seen) expect(count).toBeGreaterThan(0);
    expect(ratio).toBeGreaterThan(MIN_RATIO);
  });
});

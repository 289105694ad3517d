import { afterEach, expect, it } from 'vitest';
import { makeEntries, postImport, startTarget, type TestTarget } from '../testing/support.ts';
import { CLOCK_AGREEMENT_MS } from '../../harness/shared/clock.ts';
import { startLockProbe } from '../testing/probe.ts';
import type { TargetLockSpan } from './recorder.ts';

let t: TestTarget | undefined;
afterEach(() => t?.close());

it('an independent connection probing with BEGIN IMMEDIATE finds the database unavailable for the reported hold', async () => {
  t = await startTarget({ importMode: 'monolithic', prepareMs: 3, writeMs: 0 });
  const probe = await startLockProbe(t.dbPath);
  const { body } = await postImport(t.url, 'src-1', makeEntries(100));
  const { intervals, probes, maxGapMs } = await probe.stop();
  expect(body.status).toBe('completed');
  expect(probes).toBeGreaterThan(100);
  // 100 entries of 3 ms of preparation each, all inside the one transaction.
  expect(body.maxLockHoldMs).toBeGreaterThan(250);

  const longest = intervals.reduce((a, b) => (b.endMs - b.startMs > a.endMs - a.startMs ? b : a));
  const locks = (await (await fetch(`${t.url}/api/health/locks`)).json()) as { spans: TargetLockSpan[] };
  const span = locks.spans.find((s) => s.kind === 'import' && s.requestId === body.importId);
  expect(span).toBeDefined();
  // The probe knew the database busy only after the reported hold had begun, and within two of its own
  // probe gaps (the probe under way when the hold began, then the next); it knew it free again only after
  // the hold had ended, and as soon. However far apart a busy machine spaced the probes, that order holds.
  const seen = 2 * maxGapMs + CLOCK_AGREEMENT_MS;
  expect(longest.startMs).toBeGreaterThanOrEqual(span!.startMs - CLOCK_AGREEMENT_MS);
  expect(longest.startMs).toBeLessThanOrEqual(span!.startMs + seen);
  expect(longest.endMs).toBeGreaterThanOrEqual(span!.endMs - CLOCK_AGREEMENT_MS);
  expect(longest.endMs).toBeLessThanOrEqual(span!.endMs + seen);
});

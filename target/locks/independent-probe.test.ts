import { afterEach, expect, it } from 'vitest';
import { makeEntries, postImport, startTarget, type TestTarget } from '../testing/support.ts';
import { startLockProbe } from '../testing/probe.ts';
import type { TargetLockSpan } from './recorder.ts';

let t: TestTarget | undefined;
afterEach(() => t?.close());

it('an independent connection probing with BEGIN IMMEDIATE finds the database unavailable for the reported hold', async () => {
  t = await startTarget({ importMode: 'monolithic', prepareMs: 3, writeMs: 0 });
  const probe = await startLockProbe(t.dbPath);
  const { body } = await postImport(t.url, 'src-1', makeEntries(100));
  const { intervals, probes } = await probe.stop();
  expect(body.status).toBe('completed');
  expect(probes).toBeGreaterThan(100);

  const longest = intervals.reduce((a, b) => (b.endMs - b.startMs > a.endMs - a.startMs ? b : a));
  const observedMs = longest.endMs - longest.startMs;
  const reportedMs = body.maxLockHoldMs;
  expect(reportedMs).toBeGreaterThan(250);
  // The probe polls, so it sees a hold up to one probe period late at each end.
  expect(Math.abs(observedMs - reportedMs)).toBeLessThan(reportedMs * 0.05 + 15);

  // The span the target reports lines up in time with what the probe saw.
  const locks = (await (await fetch(`${t.url}/api/health/locks`)).json()) as { spans: TargetLockSpan[] };
  const span = locks.spans.find((s) => s.kind === 'import' && s.requestId === body.importId);
  expect(span).toBeDefined();
  expect(Math.abs(span!.startMs - longest.startMs)).toBeLessThan(15);
  expect(Math.abs(span!.endMs - longest.endMs)).toBeLessThan(15);
});

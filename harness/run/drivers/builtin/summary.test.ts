import { describe, expect, it } from 'vitest';
import type { ImportResponse } from '../../../../scenarios/lib/contract.ts';
import type { ImportAttempt } from '../../../../scenarios/lib/requests.ts';
import { importsSummaryOf } from './summary.ts';

const body = (imported: number): ImportResponse =>
  ({ importId: 'i', sourceId: 's', status: 'completed', requested: imported, imported, failed: 0, durationMs: 1, maxLockHoldMs: 1, batches: [] }) as ImportResponse;
const answered = (start: number, end: number): ImportAttempt => ({
  sourceId: 's',
  requested: 100,
  outcome: { kind: 'completed', httpStatus: 200, body: body(100) },
  startEpochMs: start,
  endEpochMs: end,
});
const aborted = (start: number, end: number): ImportAttempt => ({ sourceId: 's', requested: 100, outcome: { kind: 'error', httpStatus: 0, reason: 'aborted' }, startEpochMs: start, endEpochMs: end });

describe('importsSummaryOf', () => {
  it('measures the wall from the first start to the last answer when every import answered', () => {
    expect(importsSummaryOf([answered(1_000, 2_000), answered(1_010, 3_500)], 2).wallMs).toBe(2_500);
  });

  it('leaves the wall unmeasured when an import was cut off without an answer (Ctrl-C), as it may still be running', () => {
    const summary = importsSummaryOf([aborted(1_000, 3_778), aborted(1_001, 3_778), answered(1_002, 2_000)], 3);
    expect(summary.wallMs).toBeNull();
    expect(summary.errored).toBe(2);
    expect(summary.artifactsAcknowledged).toBe(100);
  });

  it('measures the wall when an import was answered with an HTTP error (a 500 database is locked is an answer)', () => {
    const locked: ImportAttempt = { sourceId: 's', requested: 100, outcome: { kind: 'error', httpStatus: 500, reason: 'HTTP 500 database is locked' }, startEpochMs: 1_001, endEpochMs: 1_060 };
    const summary = importsSummaryOf([answered(1_000, 2_000), locked], 2);
    expect(summary.wallMs).toBe(1_000);
    expect(summary.errored).toBe(1);
  });
});

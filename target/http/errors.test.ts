import { describe, expect, it } from 'vitest';
import { importResponseStatus } from './errors.ts';
import type { ImportResult } from '../imports/service.ts';
import type { BatchResult } from '../imports/strategies.ts';

const batch = (index: number, code?: string): BatchResult => ({
  index,
  size: 10,
  status: code === undefined ? 'committed' : 'failed',
  lockWaitMs: 0,
  lockHoldMs: 0,
  ...(code === undefined ? {} : { error: { code, message: code } }),
});

const result = (status: ImportResult['status'], batches: BatchResult[]): ImportResult => ({
  importId: 'imp_x', sourceId: 'src-1', status, requested: 20, imported: 0, failed: 0, durationMs: 1, maxLockHoldMs: 0, batches,
});

describe('importResponseStatus', () => {
  it.each([
    ['completed', [batch(0), batch(1)], 200, false],
    ['partial, lock timeout', [batch(0), batch(1, 'SQLITE_BUSY')], 207, true],
    ['partial, disk full', [batch(0), batch(1, 'SQLITE_FULL')], 207, false],
    ['failed, lock timeout', [batch(0, 'SQLITE_BUSY'), batch(1, 'SQLITE_BUSY')], 503, true],
    ['failed, snapshot conflict', [batch(0, 'SQLITE_BUSY_SNAPSHOT')], 503, true],
    ['failed, disk full', [batch(0, 'SQLITE_FULL')], 507, false],
    ['failed, shm could not grow', [batch(0, 'SQLITE_IOERR_SHMSIZE')], 507, false],
    ['failed, read-only', [batch(0, 'SQLITE_READONLY')], 503, false],
    ['failed, I/O error', [batch(0, 'SQLITE_IOERR_WRITE')], 503, false],
    ['failed, injected fault', [batch(0, 'INJECTED_FAULT')], 500, false],
  ] as const)('%s: %i, Retry-After %s', (name, batches, status, retryAfter) => {
    const outcome = name === 'completed' ? 'completed' : name.startsWith('partial') ? 'partial' : 'failed';
    expect(importResponseStatus(result(outcome, [...batches]))).toEqual({ status, retryAfter });
  });
});

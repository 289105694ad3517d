/**
 * Custom k6 metrics taken from the import answers. k6 aggregates metrics over all VUs, so each import
 * adds to counters and trends here; the summary turns them back into per-run figures.
 */
import { Counter, Rate, Trend } from 'k6/metrics';
import type { ImportRecord } from './contract.ts';
import type { ImportAttempt } from './requests.ts';

/** Metric names, used again by the summary. */
export const METRIC = {
  lockHold: 'import_lock_hold',
  lockWait: 'import_lock_wait',
  importDuration: 'import_duration',
  batchesFailed: 'import_batches_failed',
  artifactsRequested: 'import_artifacts_requested',
  artifactsAcknowledged: 'import_artifacts_acknowledged',
  startEpoch: 'import_start_epoch_ms',
  endEpoch: 'import_end_epoch_ms',
  requestSuccess: 'request_success',
  outcome: {
    completed: 'imports_completed',
    partial: 'imports_partial',
    failed: 'imports_failed',
    error: 'imports_errored',
  },
} as const;

/** Lock hold of every import batch (committed or rolled back), as the target measured it, in ms. */
const lockHold = new Trend(METRIC.lockHold, true);
/** Time every import batch waited for the write lock, in ms. */
const lockWait = new Trend(METRIC.lockWait, true);
/** Server-side duration of each import that answered, in ms. */
const importDuration = new Trend(METRIC.importDuration, true);
const batchesFailed = new Counter(METRIC.batchesFailed);
const artifactsRequested = new Counter(METRIC.artifactsRequested);
const artifactsAcknowledged = new Counter(METRIC.artifactsAcknowledged);
/** Epoch ms as plain numbers: min of starts and max of ends give the import wall time. */
const startEpoch = new Trend(METRIC.startEpoch);
const endEpoch = new Trend(METRIC.endEpoch);
const outcomes = {
  completed: new Counter(METRIC.outcome.completed),
  partial: new Counter(METRIC.outcome.partial),
  failed: new Counter(METRIC.outcome.failed),
  error: new Counter(METRIC.outcome.error),
};

/**
 * Share of requests that did everything they asked for: imports answered 200 (completed), catalog
 * updates and reads answered 200. A partial import (207) or a lock timeout (503) is not a success.
 */
const requestSuccess = new Rate(METRIC.requestSuccess);

/** Counts one request toward request_success. */
export function recordRequest(succeeded: boolean): void {
  requestSuccess.add(succeeded);
}

/** Adds one import's answer to the metrics and returns its record for the log. */
export function recordImport(attempt: ImportAttempt): ImportRecord {
  const { sourceId, requested, outcome, startEpochMs, endEpochMs } = attempt;
  artifactsRequested.add(requested);
  startEpoch.add(startEpochMs);
  endEpoch.add(endEpochMs);
  outcomes[outcome.kind].add(1);
  if (outcome.kind === 'error') {
    return {
      event: 'import-result', sourceId, outcome: outcome.kind, httpStatus: outcome.httpStatus, importId: null, requested, imported: 0,
      durationMs: null, maxLockHoldMs: null, failedBatches: 0, startEpochMs, endEpochMs, reason: outcome.reason,
    };
  }
  const body = outcome.body;
  for (const batch of body.batches) {
    lockHold.add(batch.lockHoldMs);
    lockWait.add(batch.lockWaitMs);
  }
  const failedBatches = body.batches.filter((b) => b.status === 'failed').length;
  batchesFailed.add(failedBatches);
  artifactsAcknowledged.add(body.imported);
  importDuration.add(body.durationMs);
  return {
    event: 'import-result', sourceId, outcome: outcome.kind, httpStatus: outcome.httpStatus, importId: body.importId, requested, imported: body.imported,
    durationMs: body.durationMs, maxLockHoldMs: body.maxLockHoldMs, failedBatches, startEpochMs, endEpochMs,
  };
}

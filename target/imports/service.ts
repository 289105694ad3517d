import { nowMs } from '../locks/clock.ts';
import type { WritePath } from '../writes.ts';
import { IMPORT_STRATEGIES, jobRecord, type BatchResult, type ImportJob, type WorkModel } from './strategies.ts';

export type ImportStatus = 'completed' | 'partial' | 'failed';

/** The answer to an import, as the HTTP route returns it. */
export interface ImportResult {
  importId: string;
  sourceId: string;
  status: ImportStatus;
  requested: number;
  imported: number;
  failed: number;
  durationMs: number;
  maxLockHoldMs: number;
  batches: BatchResult[];
}

/**
 * Runs an import with the job's strategy. Committed batches stay; when some failed, one more short
 * transaction records the failed batches and the final status so the import can be inspected and
 * re-posted (entries are upserted, so re-posting never duplicates rows).
 */
export async function runImport(job: ImportJob, writes: WritePath, work: WorkModel): Promise<ImportResult> {
  const strategy = IMPORT_STRATEGIES.get(job.mode);
  if (strategy === undefined) throw new Error(`unknown import mode ${job.mode}`);
  const startedAt = nowMs();
  const batches = await strategy(job, writes, work);
  const imported = batches.filter((b) => b.status === 'committed').reduce((n, b) => n + b.size, 0);
  const failed = job.entries.length - imported;
  const status: ImportStatus = failed === 0 ? 'completed' : imported === 0 ? 'failed' : 'partial';
  let maxLockHoldMs = Math.max(0, ...batches.map((b) => b.lockHoldMs));
  if (status !== 'completed') {
    const finish = await writes.write(
      {
        op: 'importFinish',
        ...jobRecord(job),
        status,
        failed,
        durationMs: nowMs() - startedAt,
        maxLockHoldMs,
        failedBatches: batches.flatMap((b) =>
          b.status === 'failed' && b.error ? [{ index: b.index, size: b.size, lockWaitMs: b.lockWaitMs, lockHoldMs: b.lockHoldMs, error: b.error }] : [],
        ),
      },
      job.requestId,
    );
    maxLockHoldMs = Math.max(maxLockHoldMs, finish.timing.holdMs);
  }
  return {
    importId: job.importId,
    sourceId: job.sourceId,
    status,
    requested: job.entries.length,
    imported,
    failed,
    durationMs: nowMs() - startedAt,
    maxLockHoldMs,
    batches,
  };
}

/**
 * The import modes: how an import's entries become write transactions. Each strategy only decides the
 * grouping and where the per-artifact preparation work happens; the write path is shared.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { ImportMode } from '../options.ts';
import type { ImportEntry } from '../db/tasks.ts';
import type { WritePath } from '../writes.ts';
import type { DbFailure } from '../locks/errors.ts';

export interface BatchResult {
  index: number;
  size: number;
  status: 'committed' | 'failed';
  lockWaitMs: number;
  lockHoldMs: number;
  error?: DbFailure;
}

/** One import as the strategies see it. */
export interface ImportJob {
  importId: string;
  requestId: string;
  sourceId: string;
  mode: ImportMode;
  batchSize: number;
  entries: ImportEntry[];
  startedAt: number;
  /** Batch indexes that fail on purpose (fault injection) after writing part of their rows. */
  failBatches: ReadonlySet<number>;
}

export interface WorkModel {
  /** Per-artifact preparation work in ms. */
  prepareMs: number;
  /** Per-artifact work always inside the transaction, in ms. */
  writeMs: number;
}

export type ImportStrategy = (job: ImportJob, writes: WritePath, work: WorkModel) => Promise<BatchResult[]>;

function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}

/** Writes the batches one after another; a failed batch rolls back alone and the import goes on. */
async function writeBatches(job: ImportJob, batches: ImportEntry[][], writes: WritePath, prepareMsInside: number, writeMs: number): Promise<BatchResult[]> {
  const results: BatchResult[] = [];
  for (const [index, entries] of batches.entries()) {
    const noFailureSoFar = results.every((r) => r.status === 'committed');
    const outcome = await writes.write(
      {
        op: 'importBatch',
        importId: job.importId,
        sourceId: job.sourceId,
        mode: job.mode,
        batchSize: job.batchSize,
        requested: job.entries.length,
        startedAt: job.startedAt,
        batchIndex: index,
        entries,
        prepareMsInside,
        writeMs,
        completes: noFailureSoFar && index === batches.length - 1,
        ...(job.failBatches.has(index) ? { failAfterEntries: Math.max(1, Math.ceil(entries.length / 2)) } : {}),
      },
      job.requestId,
    );
    results.push({
      index,
      size: entries.length,
      status: outcome.ok ? 'committed' : 'failed',
      lockWaitMs: outcome.lockWaitMs,
      lockHoldMs: outcome.timing.holdMs,
      ...(outcome.ok ? {} : { error: outcome.failure }),
    });
  }
  return results;
}

/** Every entry, its preparation and its composite children in one transaction: the investigated code. */
const monolithic: ImportStrategy = (job, writes, work) => writeBatches(job, [job.entries], writes, work.prepareMs, work.writeMs);

/** One transaction per `batchSize` entries; the preparation work still happens inside each transaction. */
const batched: ImportStrategy = (job, writes, work) => writeBatches(job, chunk(job.entries, job.batchSize), writes, work.prepareMs, work.writeMs);

/**
 * Preparation first, as asynchronous I/O on the event loop that holds neither a DB worker nor the lock;
 * then only the writes, in batches.
 */
const staged: ImportStrategy = async (job, writes, work) => {
  for (let i = 0; i < job.entries.length; i++) {
    if (work.prepareMs > 0) await sleep(work.prepareMs);
  }
  return writeBatches(job, chunk(job.entries, job.batchSize), writes, 0, work.writeMs);
};

export const IMPORT_STRATEGIES: ReadonlyMap<ImportMode, ImportStrategy> = new Map([
  ['monolithic', monolithic],
  ['batched', batched],
  ['staged', staged],
]);

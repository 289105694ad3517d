/**
 * The import modes: how an import's entries become write transactions. Each strategy only decides the
 * grouping and where the per-artifact preparation work happens; the write path is shared.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { ImportMode } from '../options.ts';
import type { ImportEntry, ImportJobRecord } from '../db/tasks.ts';
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

export function jobRecord(job: ImportJob): ImportJobRecord {
  return { importId: job.importId, sourceId: job.sourceId, mode: job.mode, batchSize: job.batchSize, requested: job.entries.length, startedAt: job.startedAt };
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}

interface BatchPlan {
  index: number;
  entries: ImportEntry[];
  /** Number of batches in the import. */
  count: number;
  prepareMsInside: number;
  writeMs: number;
}

/** Writes one batch in its own transaction; `earlier` are the results of the batches before it. */
async function writeBatch(job: ImportJob, writes: WritePath, plan: BatchPlan, earlier: readonly BatchResult[]): Promise<BatchResult> {
  const { index, entries } = plan;
  const outcome = await writes.write(
    {
      op: 'importBatch',
      ...jobRecord(job),
      batchIndex: index,
      entries,
      prepareMsInside: plan.prepareMsInside,
      writeMs: plan.writeMs,
      completes: index === plan.count - 1 && earlier.every((r) => r.status === 'committed'),
      ...(job.failBatches.has(index) ? { failAfterEntries: Math.max(1, Math.ceil(entries.length / 2)) } : {}),
    },
    job.requestId,
  );
  return {
    index,
    size: entries.length,
    status: outcome.ok ? 'committed' : 'failed',
    lockWaitMs: outcome.lockWaitMs,
    lockHoldMs: outcome.timing.holdMs,
    ...(outcome.ok ? {} : { error: outcome.failure }),
  };
}

/** Writes the batches one after another; a failed batch rolls back alone and the import goes on. */
async function writeBatches(job: ImportJob, writes: WritePath, batches: ImportEntry[][], prepareMsInside: number, writeMs: number): Promise<BatchResult[]> {
  const results: BatchResult[] = [];
  for (const [index, entries] of batches.entries()) {
    results.push(await writeBatch(job, writes, { index, entries, count: batches.length, prepareMsInside, writeMs }, results));
  }
  return results;
}

/** Every entry, its preparation and its composite children in one transaction: the investigated code. */
const monolithic: ImportStrategy = (job, writes, work) => writeBatches(job, writes, [job.entries], work.prepareMs, work.writeMs);

/** One transaction per `batchSize` entries; the preparation work still happens inside each transaction. */
const batched: ImportStrategy = (job, writes, work) => writeBatches(job, writes, chunk(job.entries, job.batchSize), work.prepareMs, work.writeMs);

/**
 * Preparation outside any transaction, as asynchronous I/O on the event loop that holds neither a DB
 * worker nor the lock; each batch is written as soon as its entries are prepared, while the next batch
 * is being prepared. Batches are still written in order, one at a time per import.
 */
const staged: ImportStrategy = async (job, writes, work) => {
  const batches = chunk(job.entries, job.batchSize);
  const results: BatchResult[] = [];
  let writing = Promise.resolve();
  for (const [index, entries] of batches.entries()) {
    for (let i = 0; i < entries.length; i++) {
      if (work.prepareMs > 0) await sleep(work.prepareMs);
    }
    const plan = { index, entries, count: batches.length, prepareMsInside: 0, writeMs: work.writeMs };
    writing = writing.then(async () => {
      results.push(await writeBatch(job, writes, plan, results));
    });
  }
  await writing;
  return results;
};

export const IMPORT_STRATEGIES: ReadonlyMap<ImportMode, ImportStrategy> = new Map([
  ['monolithic', monolithic],
  ['batched', batched],
  ['staged', staged],
]);

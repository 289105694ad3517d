/**
 * The DB work of the target, as plain data in (a task) and plain data out (an outcome), so the same code
 * runs on a piscina worker thread or on the event loop. Write tasks go through
 * {@link runWriteTransaction} and report their lock timing; failures are returned, never thrown.
 */
import type { Statement } from 'better-sqlite3';
import type { Connection } from './connection.ts';
import type { BeginMode, ImportMode } from '../options.ts';
import { blockThreadFor } from '../locks/hold.ts';
import { CodedError, INJECTED_FAULT, toDbFailure, type DbFailure } from '../locks/errors.ts';
import { runWriteTransaction, type LockTiming, type Tx } from '../locks/transaction.ts';

export interface ImportChild {
  externalId: string;
  name: string;
  type: string;
}

export interface ImportEntry extends ImportChild {
  children?: ImportChild[];
}

/** The kinds of write transaction, as they appear in lock spans and metrics. */
export type WriteKind = 'import' | 'import-batch' | 'import-job' | 'catalog-update' | 'workflow-execution' | 'workflow-step';

/** The import a batch or finishing transaction belongs to, as stored in import_jobs. */
export interface ImportJobRecord {
  importId: string;
  sourceId: string;
  mode: ImportMode;
  batchSize: number;
  requested: number;
  /** Epoch ms. */
  startedAt: number;
}

export interface ImportBatchTask extends ImportJobRecord {
  op: 'importBatch';
  batchIndex: number;
  entries: ImportEntry[];
  /** Preparation work per entry done while the transaction is open (0 in staged mode), in ms. */
  prepareMsInside: number;
  /** Work per entry always done inside the transaction, in ms. */
  writeMs: number;
  /** Marks the import completed in the same transaction (the last batch when none failed). */
  completes: boolean;
  /** Fault injection: fail after writing this many entries, then roll back. */
  failAfterEntries?: number;
}

export interface FailedBatchRecord {
  index: number;
  size: number;
  lockWaitMs: number;
  lockHoldMs: number;
  error: DbFailure;
}

export interface ImportFinishTask extends ImportJobRecord {
  op: 'importFinish';
  status: 'partial' | 'failed';
  failed: number;
  durationMs: number;
  maxLockHoldMs: number;
  failedBatches: FailedBatchRecord[];
}

export interface CatalogUpdateTask {
  op: 'catalogUpdate';
  entryId: number;
  status?: string;
  title?: string;
}

export interface CreateExecutionTask {
  op: 'createExecution';
  executionId: string;
  workflowId: string;
}

export interface UpdateStepTask {
  op: 'updateStep';
  executionId: string;
  index: number;
  status: StepStatus;
}

export type StepStatus = 'pending' | 'running' | 'succeeded' | 'failed';

export type WriteTask = ImportBatchTask | ImportFinishTask | CatalogUpdateTask | CreateExecutionTask | UpdateStepTask;

export type ReadTask =
  | { op: 'readSources' }
  | { op: 'readSourceExists'; sourceId: string }
  | { op: 'readCatalog'; limit: number }
  | { op: 'readArtifacts'; sourceId?: string; limit: number }
  | { op: 'readImport'; importId: string };

export type DbTask = WriteTask | ReadTask;

export type WriteOutcome =
  | { ok: true; value: unknown; timing: LockTiming }
  | { ok: false; failure: DbFailure; timing: LockTiming };

export type ReadOutcome = { ok: true; value: unknown } | { ok: false; failure: DbFailure };

const statements = new WeakMap<Connection, Map<string, Statement>>();

/**
 * A statement prepared once per connection: statements are prepared inside the transactions, and
 * preparing them anew each time would lengthen every lock hold.
 */
function statement(db: Connection, sql: string): Statement {
  let cache = statements.get(db);
  if (cache === undefined) statements.set(db, (cache = new Map()));
  let prepared = cache.get(sql);
  if (prepared === undefined) cache.set(sql, (prepared = db.prepare(sql)));
  return prepared;
}

/** The span kind of each write task. */
export function writeKindOf(task: WriteTask): WriteKind {
  switch (task.op) {
    case 'importBatch':
      return task.mode === 'monolithic' ? 'import' : 'import-batch';
    case 'importFinish':
      return 'import-job';
    case 'catalogUpdate':
      return 'catalog-update';
    case 'createExecution':
      return 'workflow-execution';
    case 'updateStep':
      return 'workflow-step';
  }
}

export function isWriteTask(task: DbTask): task is WriteTask {
  return !task.op.startsWith('read');
}

/** A catalog entry as the routes answer it. */
const CATALOG_COLUMNS = 'id, source_id AS sourceId, external_id AS externalId, title, status, version, updated_at AS updatedAt';

/** A missing row, reported as data so the route can answer 404 after rolling back. */
export const NOT_FOUND = 'NOT_FOUND';

function importBatch(db: Connection, tx: Tx, task: ImportBatchTask, begin: BeginMode): { imported: number } {
  const now = Date.now();
  const findArtifact = statement(db, 'SELECT id FROM artifacts WHERE source_id = ? AND external_id = ?');
  const upsertArtifact = statement(db, 
    `INSERT INTO artifacts (source_id, external_id, name, type, import_id, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (source_id, external_id) DO UPDATE SET
       name = excluded.name, type = excluded.type, import_id = excluded.import_id, updated_at = excluded.updated_at
     RETURNING id`,
  );
  const upsertCollection = statement(db, 
    `INSERT INTO collection_artifacts (artifact_id, collection, added_at) VALUES (?, 'default', ?)
     ON CONFLICT (artifact_id) DO NOTHING`,
  );
  const upsertChild = statement(db, 
    `INSERT INTO composite_children (parent_artifact_id, external_id, name, type) VALUES (?, ?, ?, ?)
     ON CONFLICT (parent_artifact_id, external_id) DO UPDATE SET name = excluded.name, type = excluded.type`,
  );
  task.entries.forEach((entry, i) => {
    blockThreadFor(task.prepareMsInside);
    // An ORM session looks the row up before it merges; in a deferred transaction this read is what
    // makes the following write an upgrade from a read snapshot.
    if (begin === 'deferred') findArtifact.get(task.sourceId, entry.externalId);
    const row = tx.write(() =>
      upsertArtifact.get(task.sourceId, entry.externalId, entry.name, entry.type, task.importId, now, now),
    ) as { id: number };
    upsertCollection.run(row.id, now);
    for (const child of entry.children ?? []) upsertChild.run(row.id, child.externalId, child.name, child.type);
    blockThreadFor(task.writeMs);
    if (task.failAfterEntries !== undefined && i + 1 >= task.failAfterEntries) {
      throw new CodedError(INJECTED_FAULT, `fault injected in batch ${task.batchIndex} after ${i + 1} entries`);
    }
  });
  const status = task.completes ? 'completed' : 'running';
  const finished = task.completes ? Date.now() : null;
  statement(db, 
    `INSERT INTO import_jobs (id, source_id, mode, batch_size, status, requested, imported, failed, started_at, finished_at, duration_ms)
     VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET imported = imported + excluded.imported, status = excluded.status,
       finished_at = excluded.finished_at, duration_ms = excluded.duration_ms`,
  ).run(
    task.importId, task.sourceId, task.mode, task.batchSize, status, task.requested, task.entries.length,
    task.startedAt, finished, finished === null ? null : finished - task.startedAt,
  );
  // The batch cannot know its own COMMIT time, so the stored hold stops just before COMMIT; the
  // HTTP response carries the full measurement.
  statement(db, 
    `INSERT INTO import_batches (import_id, idx, size, status, lock_hold_ms) VALUES (?, ?, ?, 'committed', ?)
     ON CONFLICT (import_id, idx) DO UPDATE SET size = excluded.size, status = 'committed', lock_hold_ms = excluded.lock_hold_ms,
       error_code = NULL, error_message = NULL`,
  ).run(task.importId, task.batchIndex, task.entries.length, tx.heldMs());
  return { imported: task.entries.length };
}

function importFinish(db: Connection, tx: Tx, task: ImportFinishTask): null {
  tx.write(() =>
    statement(db, 
        `INSERT INTO import_jobs (id, source_id, mode, batch_size, status, requested, imported, failed, started_at, finished_at, duration_ms, max_lock_hold_ms)
         VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET status = excluded.status, failed = excluded.failed,
           finished_at = excluded.finished_at, duration_ms = excluded.duration_ms, max_lock_hold_ms = excluded.max_lock_hold_ms`,
      )
      .run(
        task.importId, task.sourceId, task.mode, task.batchSize, task.status, task.requested, task.failed,
        task.startedAt, Date.now(), task.durationMs, task.maxLockHoldMs,
      ),
  );
  const insertFailed = statement(db, 
    `INSERT INTO import_batches (import_id, idx, size, status, lock_wait_ms, lock_hold_ms, error_code, error_message)
     VALUES (?, ?, ?, 'failed', ?, ?, ?, ?)
     ON CONFLICT (import_id, idx) DO NOTHING`,
  );
  for (const b of task.failedBatches) {
    insertFailed.run(task.importId, b.index, b.size, b.lockWaitMs, b.lockHoldMs, b.error.code, b.error.message);
  }
  return null;
}

function catalogUpdate(db: Connection, tx: Tx, task: CatalogUpdateTask, begin: BeginMode): unknown {
  if (begin === 'deferred') statement(db, 'SELECT version FROM catalog_entries WHERE id = ?').get(task.entryId);
  const row = tx.write(() =>
    statement(db, 
        `UPDATE catalog_entries SET status = coalesce(?, status), title = coalesce(?, title), version = version + 1, updated_at = ?
         WHERE id = ? RETURNING ${CATALOG_COLUMNS}`,
      )
      .get(task.status ?? null, task.title ?? null, Date.now(), task.entryId),
  );
  if (row === undefined) throw new CodedError(NOT_FOUND, `catalog entry ${task.entryId} does not exist`);
  return row;
}

function createExecution(db: Connection, tx: Tx, task: CreateExecutionTask): unknown {
  const stages = statement(db, 'SELECT id, idx FROM workflow_stages WHERE workflow_id = ? ORDER BY idx')
    .all(task.workflowId) as { id: number; idx: number }[];
  if (stages.length === 0) throw new CodedError(NOT_FOUND, `workflow ${task.workflowId} does not exist`);
  const now = Date.now();
  tx.write(() =>
    statement(db, `INSERT INTO workflow_executions (id, workflow_id, status, origin, created_at, updated_at) VALUES (?, ?, 'running', 'api', ?, ?)`)
      .run(task.executionId, task.workflowId, now, now),
  );
  const insertStep = statement(db, `INSERT INTO execution_steps (execution_id, idx, stage_id, status, updated_at) VALUES (?, ?, ?, 'pending', ?)`);
  for (const stage of stages) insertStep.run(task.executionId, stage.idx, stage.id, now);
  return {
    id: task.executionId,
    workflowId: task.workflowId,
    status: 'running',
    steps: stages.map((s) => ({ index: s.idx, status: 'pending' })),
  };
}

function updateStep(db: Connection, tx: Tx, task: UpdateStepTask): unknown {
  const now = Date.now();
  const changed = tx.write(() =>
    statement(db, 'UPDATE execution_steps SET status = ?, updated_at = ? WHERE execution_id = ? AND idx = ?')
      .run(task.status, now, task.executionId, task.index),
  );
  if (changed.changes === 0) {
    throw new CodedError(NOT_FOUND, `execution ${task.executionId} has no step ${task.index}`);
  }
  const steps = statement(db, 'SELECT status FROM execution_steps WHERE execution_id = ?').all(task.executionId) as { status: StepStatus }[];
  const executionStatus = steps.some((s) => s.status === 'failed')
    ? 'failed'
    : steps.every((s) => s.status === 'succeeded')
      ? 'succeeded'
      : 'running';
  statement(db, 'UPDATE workflow_executions SET status = ?, updated_at = ? WHERE id = ?').run(executionStatus, now, task.executionId);
  return { executionId: task.executionId, index: task.index, status: task.status, executionStatus };
}

/** Runs one write task in its own transaction. */
export function executeWrite(db: Connection, begin: BeginMode, task: WriteTask): WriteOutcome {
  return runWriteTransaction(db, begin, (tx) => {
    switch (task.op) {
      case 'importBatch':
        return importBatch(db, tx, task, begin);
      case 'importFinish':
        return importFinish(db, tx, task);
      case 'catalogUpdate':
        return catalogUpdate(db, tx, task, begin);
      case 'createExecution':
        return createExecution(db, tx, task);
      case 'updateStep':
        return updateStep(db, tx, task);
    }
  });
}

interface ImportJobRow {
  id: string;
  source_id: string;
  status: string;
  requested: number;
  imported: number;
  failed: number;
  duration_ms: number | null;
  max_lock_hold_ms: number | null;
}

interface ImportBatchRow {
  idx: number;
  size: number;
  status: string;
  lock_wait_ms: number | null;
  lock_hold_ms: number | null;
  error_code: string | null;
  error_message: string | null;
}

function readImport(db: Connection, importId: string): unknown {
  const job = statement(db, 'SELECT * FROM import_jobs WHERE id = ?').get(importId) as ImportJobRow | undefined;
  if (job === undefined) return null;
  const batches = statement(db, 'SELECT * FROM import_batches WHERE import_id = ? ORDER BY idx').all(importId) as ImportBatchRow[];
  const holds = batches.map((b) => b.lock_hold_ms ?? 0);
  return {
    importId: job.id,
    sourceId: job.source_id,
    status: job.status,
    requested: job.requested,
    imported: job.imported,
    failed: job.failed,
    durationMs: job.duration_ms,
    maxLockHoldMs: job.max_lock_hold_ms ?? (holds.length > 0 ? Math.max(...holds) : null),
    batches: batches.map((b) => ({
      index: b.idx,
      size: b.size,
      status: b.status,
      lockWaitMs: b.lock_wait_ms,
      lockHoldMs: b.lock_hold_ms,
      ...(b.error_code === null ? {} : { error: { code: b.error_code, message: b.error_message ?? '' } }),
    })),
  };
}

function readArtifacts(db: Connection, sourceId: string | undefined, limit: number): unknown {
  const where = sourceId === undefined ? '' : 'WHERE a.source_id = @sourceId';
  const items = statement(db, 
      `SELECT a.id, a.source_id AS sourceId, a.external_id AS externalId, a.name, a.type, a.import_id AS importId,
              (SELECT count(*) FROM composite_children c WHERE c.parent_artifact_id = a.id) AS children
       FROM artifacts a ${where} ORDER BY a.id LIMIT @limit`,
    )
    .all({ ...(sourceId === undefined ? {} : { sourceId }), limit });
  const total = (statement(db, `SELECT count(*) AS n FROM artifacts a ${where}`).get(sourceId === undefined ? {} : { sourceId }) as { n: number }).n;
  return { items, total };
}

/** Runs one read task; reads never take the write lock (WAL readers see a snapshot). */
export function executeRead(db: Connection, task: ReadTask): ReadOutcome {
  try {
    switch (task.op) {
      case 'readSources':
        return { ok: true, value: statement(db, 'SELECT id, name, url FROM marketplace_sources ORDER BY id').all() };
      case 'readSourceExists':
        return { ok: true, value: statement(db, 'SELECT 1 FROM marketplace_sources WHERE id = ?').get(task.sourceId) !== undefined };
      case 'readCatalog':
        return {
          ok: true,
          value: statement(db, 
              `SELECT ${CATALOG_COLUMNS}
               FROM catalog_entries ORDER BY id LIMIT ?`,
            )
            .all(task.limit),
        };
      case 'readArtifacts':
        return { ok: true, value: readArtifacts(db, task.sourceId, task.limit) };
      case 'readImport':
        return { ok: true, value: readImport(db, task.importId) };
    }
  } catch (err) {
    return { ok: false, failure: toDbFailure(err) };
  }
}

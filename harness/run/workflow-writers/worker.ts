/**
 * A workflow-writer worker thread: its own better-sqlite3 connection to the target's database file,
 * one write transaction per task, timed around BEGIN IMMEDIATE (lock wait) and COMMIT (lock hold); or
 * BEGIN EXCLUSIVE, or BEGIN DEFERRED, whose lock is held from its first write.
 * The wait for the lock runs in JavaScript (./busy-wait.ts), so a stop ends it at once; a transaction
 * that holds the lock finishes its statements, and its COMMIT, or rolls back when a stop ends that wait.
 */
import Database from 'better-sqlite3';
import { epochNowMs } from '../../shared/clock.ts';
import { threadId, workerData } from 'node:worker_threads';
import { meetAtBarrier } from '../../shared/every-thread.ts';
import { withBusyWait } from './busy-wait.ts';
import type { WriterTask, WriterTaskResult, WriterWorkerConfig } from './protocol.ts';

const config = workerData as WriterWorkerConfig;
const stopFlag = new Int32Array(config.stopBuffer);

interface BuiltinStatements {
  stagesOf: Database.Statement<[string], { id: number; idx: number }>;
  insertExecution: Database.Statement<[string, string, number, number]>;
  insertStep: Database.Statement<[string, number, number, number]>;
  updateStep: Database.Statement<[status: string, updatedAt: number, executionId: string, index: number]>;
  touchExecution: Database.Statement<[status: string, updatedAt: number, executionId: string]>;
}

/** What a foreign target's statements are given: the write's id, its number in the schedule (from 0), the time. */
interface SqlWriteParameters {
  executionId: string;
  n: number;
  nowMs: number;
}

/** Either the built-in target's statements or a foreign target's write: neither is prepared on the other's schema. */
type Statements = { builtin: BuiltinStatements } | { sqlWrite: Database.Statement<[SqlWriteParameters]>[] };

/** The BEGIN of each mode; a deferred transaction takes no lock until its first write. */
const BEGIN: Record<WriterWorkerConfig['transaction'], string> = { immediate: 'BEGIN IMMEDIATE', exclusive: 'BEGIN EXCLUSIVE', deferred: 'BEGIN DEFERRED' };

let connection: { db: Database.Database; statements: Statements } | undefined;

function open(): { db: Database.Database; statements: Statements } {
  if (connection) return connection;
  // better-sqlite3's `timeout` is SQLite's busy_timeout.
  const db = new Database(config.dbPath, { fileMustExist: true, timeout: config.busyTimeoutMs });
  // No journal_mode: it is a setting of the database file, and the writers use the one they find.
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma(`wal_autocheckpoint = ${config.walAutocheckpoint}`);
  // From here on every wait for the lock is withBusyWait's, on SQLite's own schedule.
  db.pragma('busy_timeout = 0');
  const statements: Statements = config.sqlWrite === null ? { builtin: builtinStatements(db) } : { sqlWrite: config.sqlWrite.map((sql) => db.prepare(sql)) };
  connection = { db, statements };
  return connection;
}

/** The built-in target's statements, on its schema. */
function builtinStatements(db: Database.Database): BuiltinStatements {
  return {
    stagesOf: db.prepare('SELECT id, idx FROM workflow_stages WHERE workflow_id = ? ORDER BY idx'),
    insertExecution: db.prepare(
      "INSERT INTO workflow_executions (id, workflow_id, status, origin, created_at, updated_at) VALUES (?, ?, 'running', 'writer', ?, ?)",
    ),
    insertStep: db.prepare(
      "INSERT INTO execution_steps (execution_id, idx, stage_id, status, updated_at) VALUES (?, ?, ?, 'pending', ?)",
    ),
    updateStep: db.prepare('UPDATE execution_steps SET status = ?, updated_at = ? WHERE execution_id = ? AND idx = ?'),
    touchExecution: db.prepare('UPDATE workflow_executions SET status = ?, updated_at = ? WHERE id = ?'),
  };
}

/** Stage ids per workflow; the seed never changes them during a run, so read each once per thread. */
const stageCache = new Map<string, { id: number; idx: number }[]>();

/**
 * Runs a foreign target's statements in the open transaction; a reading statement's rows are read and
 * dropped. In a deferred transaction `onFirstWrite` is called once the first writing statement returned
 * (the write lock is held from then on), and only the first statement waits out a busy lock: SQLite calls
 * its busy handler only for a statement that starts with no transaction open. Once a statement has read,
 * the upgrade to write fails with SQLITE_BUSY at once, whatever the busy timeout, as it does for an app.
 */
function runSqlWrite(statements: Extract<Statements, { sqlWrite: unknown }>, params: SqlWriteParameters, deferred: { onFirstWrite: () => void } | null): 'done' | 'stopped' {
  let wrote = false;
  for (const [i, statement] of statements.sqlWrite.entries()) {
    const attempt = () => void (statement.reader ? statement.all(params) : statement.run(params));
    if (deferred !== null && i === 0) {
      if (withBusyWait(attempt, config.busyTimeoutMs, stopFlag) === 'stopped') return 'stopped';
    } else attempt();
    if (deferred !== null && !wrote && !statement.reader) {
      wrote = true;
      deferred.onFirstWrite();
    }
  }
  return 'done';
}

function writeTask(task: Exclude<WriterTask, { kind: 'warm-up' | 'close' }>, prepared: Statements): number | undefined {
  const now = Date.now();
  if ('sqlWrite' in prepared) {
    if (task.kind !== 'sql-write') throw Object.assign(new Error(`a ${task.kind} write needs the built-in target's schema`), { code: 'WRONG_SCHEMA' });
    runSqlWrite(prepared, { executionId: task.executionId, n: task.n, nowMs: now }, null);
    return undefined;
  }
  if (task.kind === 'sql-write') throw Object.assign(new Error('no sqlWrite statements were given'), { code: 'WRONG_SCHEMA' });
  const statements = prepared.builtin;
  if (task.kind === 'create-execution') {
    const stages = stageCache.get(task.workflowId) ?? statements.stagesOf.all(task.workflowId);
    stageCache.set(task.workflowId, stages);
    if (stages.length === 0) throw Object.assign(new Error(`workflow ${task.workflowId} has no stages`), { code: 'NO_STAGES' });
    statements.insertExecution.run(task.executionId, task.workflowId, now, now);
    for (const stage of stages) statements.insertStep.run(task.executionId, stage.idx, stage.id, now);
    return stages.length;
  }
  statements.updateStep.run(task.status, now, task.executionId, task.index);
  statements.touchExecution.run(task.finishExecution ? 'succeeded' : 'running', now, task.executionId);
  return undefined;
}

function errorCode(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : 'UNKNOWN';
}

/** Closes this thread's connection; the pool is destroyed only once every thread has. */
function close(): void {
  connection?.db.close();
  connection = undefined;
}

export default function run(task: WriterTask): WriterTaskResult {
  const base = { threadId, pid: process.pid };
  if (task.kind === 'close') {
    close();
    meetAtBarrier(task);
    return { ok: true, beginMs: epochNowMs(), endMs: epochNowMs(), ...base };
  }
  if (task.kind === 'warm-up') {
    // Every thread opens its connection before the schedule starts; a failure is thrown after the barrier.
    try {
      open();
    } finally {
      meetAtBarrier(task);
    }
    return { ok: true, beginMs: epochNowMs(), endMs: epochNowMs(), ...base };
  }
  const { db, statements } = open();
  const beginMs = epochNowMs();
  const stopped = (): WriterTaskResult => ({ ok: false, stopped: true, beginMs, endMs: epochNowMs(), ...base });
  // A write that reaches the thread after the stop is not begun.
  if (Atomics.load(stopFlag, 0) !== 0) return stopped();
  if (config.transaction === 'deferred') return runDeferred(task, db, statements, beginMs, stopped);
  try {
    if (withBusyWait(() => db.exec(BEGIN[config.transaction]), config.busyTimeoutMs, stopFlag) === 'stopped') return stopped();
  } catch (err) {
    return { ok: false, errorCode: errorCode(err), beginMs, endMs: epochNowMs(), ...base };
  }
  const heldMs = epochNowMs();
  try {
    const steps = writeTask(task, statements);
    return commit(db, beginMs, heldMs, stopped, steps);
  } catch (err) {
    if (db.inTransaction) db.exec('ROLLBACK');
    return { ok: false, errorCode: errorCode(err), beginMs, heldMs, endMs: epochNowMs(), ...base };
  }
}

/** Holds the open transaction for `holdMs`, then commits (waiting out a busy lock), or rolls back on a stop. */
function commit(db: Database.Database, beginMs: number, heldMs: number | undefined, stopped: () => WriterTaskResult, steps?: number): WriterTaskResult {
  const base = { threadId, pid: process.pid };
  // The thread is this connection's alone: a blocking wait keeps the transaction, and the write lock,
  // open; a stop (which notifies the flag) ends it early.
  if (config.holdMs > 0) Atomics.wait(stopFlag, 0, 0, config.holdMs);
  if (withBusyWait(() => db.exec('COMMIT'), config.busyTimeoutMs, stopFlag) === 'stopped') {
    db.exec('ROLLBACK');
    return { ...stopped(), ...(heldMs === undefined ? {} : { heldMs }) };
  }
  return { ok: true, beginMs, ...(heldMs === undefined ? {} : { heldMs }), endMs: epochNowMs(), ...base, ...(steps === undefined ? {} : { steps }) };
}

/** A deferred transaction: BEGIN takes no lock; the write lock is held from its first write. */
function runDeferred(task: Exclude<WriterTask, { kind: 'warm-up' | 'close' }>, db: Database.Database, statements: Statements, beginMs: number, stopped: () => WriterTaskResult): WriterTaskResult {
  const base = { threadId, pid: process.pid };
  let heldMs: number | undefined;
  try {
    if (!('sqlWrite' in statements) || task.kind !== 'sql-write') throw Object.assign(new Error('a deferred transaction runs the given statements only'), { code: 'WRONG_SCHEMA' });
    db.exec(BEGIN.deferred);
    const done = runSqlWrite(statements, { executionId: task.executionId, n: task.n, nowMs: Date.now() }, { onFirstWrite: () => (heldMs = epochNowMs()) });
    if (done === 'stopped') {
      db.exec('ROLLBACK');
      return stopped();
    }
    return commit(db, beginMs, heldMs, stopped);
  } catch (err) {
    if (db.inTransaction) db.exec('ROLLBACK');
    return { ok: false, errorCode: errorCode(err), beginMs, ...(heldMs === undefined ? {} : { heldMs }), endMs: epochNowMs(), ...base };
  }
}

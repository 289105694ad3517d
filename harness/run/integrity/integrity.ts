/**
 * The database check after a profile's load, on the file itself (the target is still up, so this is a
 * read-only connection beside it): what was acknowledged is stored, exactly once, and the file is intact.
 */
import Database from 'better-sqlite3';
import type { IntegrityResult, WorkflowWriterResult } from '../../model/results.ts';

export interface IntegrityInput {
  dbPath: string;
  /** Artifacts the import answers acknowledged; null when the client's figure is unknown. */
  artifactsAcknowledged: number | null;
  /** What the workflow writers were told was committed; null when they did not run. */
  writers: Pick<WorkflowWriterResult, 'acknowledged' | 'executionIdPrefix'> | null;
}

/** How long a check waits for the running target's write lock, in milliseconds. */
const CHECK_BUSY_TIMEOUT_MS = 10_000;

/** Runs `read` on a read-only connection beside the running target, and closes it. */
function withReadOnlyDb<T>(dbPath: string, read: (db: Database.Database) => T): T {
  const db = new Database(dbPath, { readonly: true, fileMustExist: true, timeout: CHECK_BUSY_TIMEOUT_MS });
  try {
    return read(db);
  } finally {
    db.close();
  }
}

function count(db: Database.Database, sql: string, ...params: unknown[]): number {
  const row = db.prepare(sql).get(...params) as { n: number | null } | undefined;
  return row?.n ?? 0;
}

/** PRAGMA integrity_check and foreign_key_check on any file, and the problems they show: the first of every check's list. */
function fileChecks(db: Database.Database): { integrityCheck: string[]; foreignKeyViolations: number; problems: string[] } {
  const integrityCheck = (db.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check);
  const foreignKeyViolations = (db.pragma('foreign_key_check') as unknown[]).length;
  const problems: string[] = [];
  if (integrityCheck.length !== 1 || integrityCheck[0] !== 'ok') problems.push(`integrity_check: ${integrityCheck.join('; ')}`);
  if (foreignKeyViolations > 0) problems.push(`foreign_key_check: ${foreignKeyViolations} violations`);
  return { integrityCheck, foreignKeyViolations, problems };
}

export function checkIntegrity(input: IntegrityInput): IntegrityResult {
  return withReadOnlyDb(input.dbPath, (db) => {
    const { integrityCheck, foreignKeyViolations, problems } = fileChecks(db);

    const artifactsFound = count(db, 'SELECT count(*) AS n FROM artifacts');
    const artifactDuplicates = count(
      db,
      'SELECT count(*) AS n FROM (SELECT 1 FROM artifacts GROUP BY source_id, external_id HAVING count(*) > 1)',
    );
    const collectionFound = count(db, 'SELECT count(*) AS n FROM collection_artifacts');
    const collectionMissing = count(
      db,
      'SELECT count(*) AS n FROM artifacts a WHERE NOT EXISTS (SELECT 1 FROM collection_artifacts c WHERE c.artifact_id = a.id)',
    );
    const childrenFound = count(db, 'SELECT count(*) AS n FROM composite_children');
    const childDuplicates = count(
      db,
      'SELECT count(*) AS n FROM (SELECT 1 FROM composite_children GROUP BY parent_artifact_id, external_id HAVING count(*) > 1)',
    );

    if (input.artifactsAcknowledged !== null && artifactsFound !== input.artifactsAcknowledged) {
      problems.push(`artifacts: ${input.artifactsAcknowledged} acknowledged, ${artifactsFound} stored`);
    }
    if (artifactDuplicates > 0) problems.push(`artifacts: ${artifactDuplicates} (source, externalId) pairs stored more than once`);
    if (collectionMissing > 0) problems.push(`collection_artifacts: ${collectionMissing} artifacts without their collection row`);
    if (childDuplicates > 0) problems.push(`composite_children: ${childDuplicates} children stored more than once`);

    let executionsFound = 0;
    let stepsFound = 0;
    let unfinished: number | null = null;
    if (input.writers) {
      const like = `${input.writers.executionIdPrefix}-%`;
      executionsFound = count(db, "SELECT count(*) AS n FROM workflow_executions WHERE origin = 'writer' AND id LIKE ?", like);
      stepsFound = count(
        db,
        "SELECT count(*) AS n FROM execution_steps s JOIN workflow_executions e ON e.id = s.execution_id WHERE e.origin = 'writer' AND e.id LIKE ?",
        like,
      );
      const finishedFound = count(
        db,
        "SELECT count(*) AS n FROM workflow_executions WHERE origin = 'writer' AND id LIKE ? AND status = 'succeeded'",
        like,
      );
      const ack = input.writers.acknowledged;
      unfinished = ack.finishedExecutions - finishedFound;
      if (executionsFound !== ack.executions) {
        problems.push(`workflow_executions: ${ack.executions} acknowledged, ${executionsFound} stored`);
      }
      if (stepsFound !== ack.steps) problems.push(`execution_steps: ${ack.steps} acknowledged, ${stepsFound} stored`);
      if (finishedFound !== ack.finishedExecutions) {
        problems.push(`workflow_executions: ${ack.finishedExecutions} acknowledged as succeeded, ${finishedFound} stored as succeeded`);
      }
    }

    return {
      ok: problems.length === 0,
      integrityCheck,
      artifacts: { acknowledged: input.artifactsAcknowledged, found: artifactsFound, duplicates: artifactDuplicates },
      collectionArtifacts: { found: collectionFound, missing: collectionMissing },
      compositeChildren: { found: childrenFound, duplicates: childDuplicates },
      workflowExecutions: { acknowledged: input.writers?.acknowledged.executions ?? null, found: executionsFound, unfinished },
      executionSteps: { acknowledged: input.writers?.acknowledged.steps ?? null, found: stepsFound },
      problems,
    };
  });
}

/** The import jobs as the database recorded them (server clock). */
export interface ImportJobsSummary {
  jobs: number;
  unfinished: number;
  byStatus: Record<string, number>;
  /** Sum of `imported` over the jobs. */
  imported: number;
  /** From the first job's started_at to the last job's finished_at, in ms; null if any job is unfinished. */
  wallMs: number | null;
}

export function summarizeImportJobs(dbPath: string): ImportJobsSummary {
  return withReadOnlyDb(dbPath, (db) => {
    const totals = db
      .prepare(
        'SELECT count(*) AS jobs, sum(finished_at IS NULL) AS unfinished, coalesce(sum(imported), 0) AS imported, min(started_at) AS first, max(finished_at) AS last FROM import_jobs',
      )
      .get() as { jobs: number; unfinished: number | null; imported: number; first: number | null; last: number | null };
    const byStatus: Record<string, number> = {};
    for (const row of db.prepare('SELECT status, count(*) AS n FROM import_jobs GROUP BY status').all() as { status: string; n: number }[]) {
      byStatus[row.status] = row.n;
    }
    const unfinished = totals.unfinished ?? 0;
    return {
      jobs: totals.jobs,
      unfinished,
      byStatus,
      imported: totals.imported,
      wallMs: totals.jobs > 0 && unfinished === 0 && totals.first !== null && totals.last !== null ? totals.last - totals.first : null,
    };
  });
}

/** The rows `artifactsPerSource` (`:sourceId`) finds, summed over the sources; null without it. */
function storedPerSource(db: Database.Database, artifactsPerSource: string | undefined, sourceIds: readonly string[]): number | null {
  if (artifactsPerSource === undefined) return null;
  return sourceIds.reduce((sum, sourceId) => sum + count(db, artifactsPerSource, { sourceId }), 0);
}

/**
 * What a foreign target stored of the imports' rows, by its description's `sql.artifactsPerSource` over the
 * sources the imports wrote to (null without it: not counted), and whether PRAGMA integrity_check says ok.
 */
export function countDescribedStored(input: Pick<DescribedIntegrityInput, 'dbPath' | 'artifactsPerSource' | 'sourceIds'>): { found: number | null; integrityOk: boolean } {
  return withReadOnlyDb(input.dbPath, (db) => ({
    found: storedPerSource(db, input.artifactsPerSource, input.sourceIds),
    integrityOk: fileChecks(db).integrityCheck.every((line) => line === 'ok'),
  }));
}

export interface DescribedIntegrityInput {
  dbPath: string;
  /** The description's `sql.artifactsPerSource` (`:sourceId`); without it the no-loss count is not run. */
  artifactsPerSource: string | undefined;
  /** The sources the imports wrote to. */
  sourceIds: readonly string[];
  artifactsAcknowledged: number | null;
  /** The description's `sql.workflowWrite.count` (`:executionIdPrefix`) and what the writers were told was committed. */
  workflowCount: string | undefined;
  writers: Pick<WorkflowWriterResult, 'acknowledged' | 'executionIdPrefix'> | null;
}

/**
 * The check of a foreign target's file: PRAGMA integrity_check always; the rows stored per source and
 * the workflow writes stored only through the description's own SQL, else reported as not run.
 */
export function checkDescribedIntegrity(input: DescribedIntegrityInput): IntegrityResult {
  return withReadOnlyDb(input.dbPath, (db) => {
    const { integrityCheck, foreignKeyViolations, problems } = fileChecks(db);
    const notRun: string[] = [];

    const artifactsFound = storedPerSource(db, input.artifactsPerSource, input.sourceIds);
    if (artifactsFound === null) {
      notRun.push('no-loss: the rows stored were not counted (the target description has no sql.artifactsPerSource)');
    } else if (input.artifactsAcknowledged !== null && artifactsFound !== input.artifactsAcknowledged) {
      problems.push(`artifacts: ${input.artifactsAcknowledged} acknowledged, ${artifactsFound} stored (sql.artifactsPerSource over ${input.sourceIds.join(', ')})`);
    }

    let executionsFound = 0;
    if (input.writers && input.workflowCount !== undefined) {
      executionsFound = count(db, input.workflowCount, { executionIdPrefix: input.writers.executionIdPrefix });
      if (executionsFound !== input.writers.acknowledged.executions) {
        problems.push(`workflow writes: ${input.writers.acknowledged.executions} acknowledged, ${executionsFound} stored (sql.workflowWrite.count)`);
      }
    }
    return {
      ok: problems.length === 0,
      integrityCheck,
      artifacts: { acknowledged: input.artifactsAcknowledged, found: artifactsFound, duplicates: 0 },
      collectionArtifacts: { found: 0, missing: 0 },
      compositeChildren: { found: 0, duplicates: 0 },
      workflowExecutions: { acknowledged: input.writers?.acknowledged.executions ?? null, found: executionsFound, unfinished: null },
      executionSteps: { acknowledged: null, found: 0 },
      problems,
      notRun,
    };
  });
}

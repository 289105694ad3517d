/**
 * What the run checks on a target beyond its description's routes: lockbench's own target answers its
 * health config, keeps import_jobs and has a schema the workflow writers and the integrity check know;
 * a foreign target is checked only through what its description gives (a health path, its SQL), and
 * what it does not give is reported as not run, never as passed.
 */
import type { DriverRun } from '../model/driver-run.ts';
import { checkDescribedIntegrity, checkIntegrity, countDescribedStored, summarizeImportJobs } from './integrity/integrity.ts';
import type { Workload } from '../model/workload-plan.ts';
import type { NoLossCount } from '../model/workload-samples.ts';
import { countNoLoss } from './workload/run.ts';
import type { IntegrityResult, ProfileNote, WorkflowWriterResult } from '../model/results.ts';
import type { RunOptions } from '../plan/options.ts';
import { getDescribedHealth, smokeCheck } from './target-api.ts';
import type { PlannedTarget } from '../plan/target.ts';

export type TrialSettings = Readonly<Record<string, string | number>>;

/** What the target said about itself when checked: its process (when it says) and its configuration. */
export interface TargetAccount {
  pid: number | null;
  config: Record<string, unknown> | null;
}

export interface IntegrityInput {
  dbPath: string;
  run: DriverRun;
  writers: WorkflowWriterResult | null;
  options: Pick<RunOptions, 'imports'>;
}

export interface TargetChecks {
  /** Checks the target is up and serves what the scenario needs. */
  smokeCheck(baseUrl: string, settings: TrialSettings, options: Pick<RunOptions, 'imports'>): Promise<TargetAccount>;
  /** The file checked after the load, and the server's own import wall time where it keeps one. */
  integrity(input: IntegrityInput): { integrity: IntegrityResult; importJobsWallMs: number | null };
  /**
   * The no-loss counts of the workload the scenario carries, by criterion id: each criterion's own SQL on
   * lockbench's target; on a described one, the imports' rows by the description's `sql.artifactsPerSource`
   * per imported source, as the integrity check (`integrity`, when it ran) already counted them (not
   * counted without it).
   */
  noLoss(workload: Workload, input: Pick<IntegrityInput, 'dbPath' | 'options'> & { integrity: IntegrityResult | null }): Record<string, NoLossCount>;
  /** What a reader should know about what this target's trials cannot measure. */
  notes: ProfileNote[];
}

/** The sources the concurrent scenario's imports write to: one each, src-1..src-N. */
export function importedSources(imports: number): string[] {
  return Array.from({ length: imports }, (_, i) => `src-${i + 1}`);
}

const BUILTIN_CHECKS: TargetChecks = {
  smokeCheck: (baseUrl, settings, options) => smokeCheck(baseUrl, settings, options.imports),
  integrity: ({ dbPath, run, writers }) => {
    const importJobsWallMs = summarizeImportJobs(dbPath).wallMs;
    return { integrity: checkIntegrity({ dbPath, artifactsAcknowledged: run.summary?.imports.artifactsAcknowledged ?? null, writers }), importJobsWallMs };
  },
  noLoss: (workload, { dbPath }) => countNoLoss(workload, dbPath),
  notes: [],
};

function describedChecks(target: PlannedTarget): TargetChecks {
  const { description } = target;
  const { sql } = description;
  const notes: ProfileNote[] = [];
  if (description.locks === undefined) notes.push({ code: 'target-reports-no-locks', target: description.name });
  if (sql.workflowWrite === undefined) notes.push({ code: 'no-workflow-write' });
  if (sql.artifactsPerSource === undefined) notes.push({ code: 'no-artifacts-per-source' });
  return {
    async smokeCheck(baseUrl) {
      if (description.health === undefined) return { pid: null, config: null };
      return getDescribedHealth(baseUrl, description.health.path);
    },
    integrity: ({ dbPath, run, writers, options }) => ({
      integrity: checkDescribedIntegrity({
        dbPath,
        artifactsPerSource: sql.artifactsPerSource,
        sourceIds: importedSources(options.imports),
        artifactsAcknowledged: run.summary?.imports.artifactsAcknowledged ?? null,
        workflowCount: sql.workflowWrite?.count,
        writers,
      }),
      importJobsWallMs: null,
    }),
    noLoss(workload, { dbPath, options, integrity }) {
      const checks = workload.criteria.filter((c) => c.type === 'no-loss');
      if (checks.length === 0) return {};
      // The integrity check has just counted the same rows by the same SQL: the file is read again only when it could not run.
      const stored =
        integrity === null
          ? countDescribedStored({ dbPath, artifactsPerSource: sql.artifactsPerSource, sourceIds: importedSources(options.imports) })
          : { found: integrity.artifacts.found, integrityOk: integrity.integrityCheck.every((line) => line === 'ok') };
      return Object.fromEntries(checks.map((c) => [c.id, stored]));
    },
    notes,
  };
}

/** The checks for this target: the built-in target's own, or what a description gives. */
export function targetChecks(target: PlannedTarget): TargetChecks {
  return target.kind === 'builtin' ? BUILTIN_CHECKS : describedChecks(target);
}

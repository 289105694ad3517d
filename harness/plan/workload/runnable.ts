/**
 * Which workloads a run can carry out today, checked when the run is planned: a workload that asks for
 * what the built-in driver or the side writers cannot do yet is refused as a bad workload (exit 2) before
 * anything starts, each issue at the field that asks for it.
 */
import type { HttpAction, SqlAction, Workload, WorkloadStream } from '../../model/workload-plan.ts';
import type { WorkloadIssue } from '../../workload/load.ts';

export type HttpStream = WorkloadStream & { action: HttpAction };
export type SqlStream = WorkloadStream & { action: SqlAction };

export const httpStreams = (workload: Workload) => workload.streams.filter((s): s is HttpStream => s.action.kind === 'http');
export const sqlStreams = (workload: Workload) => workload.streams.filter((s): s is SqlStream => s.action.kind === 'sql');

/** What the run layer cannot carry out yet, each at the field that asks for it: refused as a bad workload (exit 2). */
export function unrunnableIssues(workload: Workload): WorkloadIssue[] {
  const issues: WorkloadIssue[] = [];
  for (const stream of workload.streams) {
    const at = `streams.${stream.name}`;
    if (stream.startTimeMs !== 0) issues.push({ path: `${at}.startTime`, message: 'the built-in driver starts every stream with the run; a later start is not run yet' });
    if (stream.action.kind === 'http' && stream.executor.type !== 'constant-arrival-rate' && stream.executor.type !== 'per-vu-iterations') {
      issues.push({ path: `${at}.executor`, message: `the built-in driver runs "constant-arrival-rate" and "per-vu-iterations" streams; "${stream.executor.type}" is not run yet` });
    }
  }
  const sql = sqlStreams(workload);
  if (sql.length > 1) issues.push({ path: `streams.${sql[1]!.name}`, message: `one SQL stream per workload is run; "${sql[0]!.name}" is the first` });
  for (const stream of sql.slice(0, 1)) {
    const at = `streams.${stream.name}.sql`;
    if (stream.action.procedure !== null) issues.push({ path: `${at}.procedure`, message: "a procedure writes the built-in target's schema; give statements for this app" });
    if (stream.action.transaction !== 'immediate') issues.push({ path: `${at}.transaction`, message: 'the side writers open their transactions with BEGIN IMMEDIATE; other modes are not run yet' });
    stream.action.statements.forEach((statement, i) => {
      if (/(?<![:\w]):n\b/.test(statement)) issues.push({ path: `${at}.statements.${i}`, message: 'the side writers bind :id and :nowMs; :n is not bound yet' });
    });
  }
  if (httpStreams(workload).length === 0) issues.push({ path: 'streams', message: 'expected at least one request stream: the driver sends the load' });
  return issues;
}

/**
 * Which workloads a run can carry out today, checked when the run is planned: a workload that asks for
 * what the side writers cannot do yet (a procedure outside lockbench's own scenario, `:n`) is refused as a bad workload (exit 2) before
 * anything starts, each issue at the field that asks for it.
 */
import type { HttpAction, SqlAction, Workload, WorkloadStream } from '../../model/workload-plan.ts';
import type { WorkloadIssue } from './load.ts';

export type HttpStream = WorkloadStream & { action: HttpAction };
export type SqlStream = WorkloadStream & { action: SqlAction };

export const httpStreams = (workload: Workload) => workload.streams.filter((s): s is HttpStream => s.action.kind === 'http');
export const sqlStreams = (workload: Workload) => workload.streams.filter((s): s is SqlStream => s.action.kind === 'sql');

/**
 * Why a `procedure` is refused: it writes the built-in target's own tables, and only the concurrent scenario
 * runs it, from scenarios/concurrent.workload.json as that file stands.
 */
const PROCEDURE_REFUSAL =
  'a procedure is run only as lockbench\'s own concurrent scenario: run scenario:concurrent without --workload, or with --workload ' +
  'scenarios/concurrent.workload.json itself (the default run is built from it); a copy or another workload gives "statements" for its app';

/** What the run layer cannot carry out yet, each at the field that asks for it: refused as a bad workload (exit 2). */
export function unrunnableIssues(workload: Workload): WorkloadIssue[] {
  return sideWriterIssues(workload);
}

/**
 * What the side writers cannot carry out yet, whichever driver sends the requests: a procedure outside the
 * concurrent scenario, and :n; and a workload needs a request stream for a driver to send.
 */
export function sideWriterIssues(workload: Workload): WorkloadIssue[] {
  const issues: WorkloadIssue[] = [];
  for (const stream of sqlStreams(workload)) {
    const at = `streams.${stream.name}.sql`;
    if (stream.action.procedure !== null) issues.push({ path: `${at}.procedure`, message: PROCEDURE_REFUSAL });
    stream.action.statements.forEach((statement, i) => {
      if (/(?<![:\w]):n\b/.test(statement)) issues.push({ path: `${at}.statements.${i}`, message: 'the side writers bind :id and :nowMs; :n is not bound yet' });
    });
  }
  if (httpStreams(workload).length === 0) issues.push({ path: 'streams', message: 'expected at least one request stream: the driver sends the load' });
  return issues;
}

/**
 * Which workloads a run can carry out, checked when the run is planned: a workload that asks for what its
 * target cannot give (a procedure writing lockbench's own tables, on another app's database) is refused as a
 * bad workload (exit 2) before anything starts, each issue at the field that asks for it.
 */
import type { HttpAction, SqlAction, Workload, WorkloadStream } from '../../model/workload-plan.ts';
import type { TargetKind } from '../target.ts';
import type { WorkloadIssue } from './load.ts';

export type HttpStream = WorkloadStream & { action: HttpAction };
export type SqlStream = WorkloadStream & { action: SqlAction };

export const httpStreams = (workload: Workload) => workload.streams.filter((s): s is HttpStream => s.action.kind === 'http');
export const sqlStreams = (workload: Workload) => workload.streams.filter((s): s is SqlStream => s.action.kind === 'sql');

/** Why a `procedure` is refused on a described target: it writes the built-in target's own tables. */
const PROCEDURE_REFUSAL =
  "a procedure writes lockbench's own target's tables (workflow_executions, execution_steps), which this target's database does not have: " +
  'run it on the built-in target (no --target), or give "statements" that write your app\'s own tables';

/**
 * What the built-in driver cannot carry out, whichever the target: a workload needs a request stream for
 * the driver to send (k6's plan asks the same, harness/plan/workload/k6.ts).
 */
export function unrunnableIssues(workload: Workload): WorkloadIssue[] {
  return httpStreams(workload).length === 0 ? [{ path: 'streams', message: 'expected at least one request stream: the driver sends the load' }] : [];
}

/** What the side writers cannot write on this target, whichever driver sends the requests: a procedure anywhere but on the built-in target. */
export function targetIssues(workload: Workload, target: TargetKind): WorkloadIssue[] {
  if (target === 'builtin') return [];
  return sqlStreams(workload)
    .filter((stream) => stream.action.procedure !== null)
    .map((stream) => ({ path: `streams.${stream.name}.sql.procedure`, message: PROCEDURE_REFUSAL }));
}

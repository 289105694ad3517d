/** Why a criterion could not be judged although a figure may exist: a scenario's criterion or a workload's. */
export type NotJudged =
  /** The profile did not run to the end: its figures cover part of the run only, so they are not measured, never a pass. */
  | 'partial-run'
  /** The profile never started. */
  | 'not-run';

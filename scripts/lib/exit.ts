/**
 * Every exit code of lockbench's commands, in one table (README "Gating CI", docs/gating-ci.md): the
 * harness returns outcomes, the scripts map them to these. A command uses the rows that apply to it and
 * says which in its --help.
 */
import type { ObserveErrorCode } from '../../harness/run/observe/errors.ts';
import type { RunVerdict } from '../../harness/run/run.ts';

export const EXIT = {
  /** Done as asked; a run: every gated profile passed. */
  pass: 0,
  /** A run: the gate failed (a gated criterion missed, or a significant regression). */
  gateFailed: 1,
  /** observe, which has no gate: an unexpected failure, the message says what failed. */
  unexpected: 1,
  /** Bad usage: a flag, a file or a folder the user must fix; nothing was started or written. */
  badUsage: 2,
  /** No verdict: the harness could not run (k6 missing, the target did not start; observe: this machine cannot observe). */
  harnessFailed: 3,
  /** observe: observed, but --out could not be written afterwards; the result went to a temporary file or stdout. */
  outFailed: 4,
  /** Interrupted (Ctrl-C, SIGTERM). */
  interrupted: 130,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** `scenario:concurrent` and `scenario:sweep` per verdict of the run (README "Gating CI"). */
export const RUN_VERDICT_EXIT: Readonly<Record<RunVerdict, ExitCode>> = {
  pass: EXIT.pass,
  'gate-failed': EXIT.gateFailed,
  'harness-failed': EXIT.harnessFailed,
  interrupted: EXIT.interrupted,
};

/**
 * `npm run observe` per failure: bad usage for an output folder that cannot be written or a database
 * that cannot be observed (missing, not a file, unreadable, not SQLite, an unknown journal mode, WAL
 * without -shm); could not run when this machine cannot observe at all.
 */
export const OBSERVE_ERROR_EXIT: Readonly<Record<ObserveErrorCode, ExitCode>> = {
  BAD_OPTION: EXIT.badUsage,
  DB_MISSING: EXIT.badUsage,
  DB_NOT_A_FILE: EXIT.badUsage,
  DB_UNREADABLE: EXIT.badUsage,
  OUT_NOT_WRITABLE: EXIT.badUsage,
  NOT_SQLITE: EXIT.badUsage,
  UNKNOWN_JOURNAL_MODE: EXIT.badUsage,
  SHM_MISSING: EXIT.badUsage,
  UNSUPPORTED_PLATFORM: EXIT.harnessFailed,
  PROBE_FAILED: EXIT.harnessFailed,
  OBSERVER_FAILED: EXIT.harnessFailed,
};

/** What commander's own exit (--help, --version, a usage error) becomes. */
export function commanderExit(commanderExitCode: number): ExitCode {
  return commanderExitCode === 0 ? EXIT.pass : EXIT.badUsage;
}

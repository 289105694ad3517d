/**
 * The one message of a run that gave no verdict (exit 3): what could not run, and for a target that did
 * not start, how it ended, its last lines and where its whole log is.
 */
import type { RunFailure, TargetStartFailure } from '../model/results.ts';

/** Lines of the target's output shown; the whole of it is in the log file the message names. */
export const SHOWN_OUTPUT_LINES = 5;

function startFailureSentence(start: TargetStartFailure): string {
  switch (start.kind) {
    case 'spawn-failed':
      return start.cwdMissing
        ? `could not be started: its folder ${start.cwd} does not exist (check "cwd" in the target description)`
        : `could not be started: ${start.command}: ${start.error} (check "command" in the target description)`;
    case 'exited':
      return `exited during start-up (${start.signal === null ? `exit code ${start.code}` : `signal ${start.signal}`})`;
    case 'not-ready':
      return `was not ready within ${start.timeoutMs.toLocaleString('en-US')} ms (no ${start.waitedFor})`;
  }
}

/** The message, ending in a newline; `command` prefixes its first line. */
export function renderRunFailure(command: string, failure: RunFailure): string {
  const lines: string[] = [];
  switch (failure.code) {
    case 'driver-unavailable':
      lines.push(`${command}: no verdict: the ${failure.driver} driver cannot run here: ${failure.message}`);
      break;
    case 'harness-error':
      lines.push(`${command}: no verdict: ${failure.message}`);
      break;
    case 'target-did-not-start': {
      const shown = failure.outputTail.slice(-SHOWN_OUTPUT_LINES);
      lines.push(`${command}: no verdict: the target of trial ${failure.trial} ${startFailureSentence(failure.start)}.`);
      if (shown.length > 0) lines.push(`Its last ${shown.length === 1 ? 'line' : `${shown.length} lines`}:`, ...shown.map((line) => `  ${line}`));
      else if (failure.start.kind !== 'spawn-failed') lines.push('It wrote nothing.');
      if (failure.start.kind !== 'spawn-failed') lines.push(`Its log: ${failure.logFile}`);
      break;
    }
  }
  lines.push('Nothing was judged and no report was written (exit 3).');
  return `${lines.join('\n')}\n`;
}

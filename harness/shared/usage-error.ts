/**
 * Bad usage: a flag, a setting or a file the user must fix, found before anything runs. The commands
 * exit 2 on it with its message (README "Gating CI"); the target's own options, the plan's checks and
 * the scripts' throw it (or a kind of it), so one class says "usage" everywhere.
 */
export class UsageError extends Error {
  constructor(
    message: string,
    /** The flag or setting at fault, e.g. `--gate`; null when the problem is a combination of flags. */
    readonly flag: string | null = null,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}

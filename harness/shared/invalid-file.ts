/** One problem with a user's file: where (`streams.orders.request.path`) and what was expected. */
export interface FileIssue {
  path: string;
  message: string;
}

/**
 * A user's file (a target description, a workload) that cannot be used: every problem at once, each with
 * its path, so one run of the command shows the user all there is to fix.
 */
export class InvalidFileError extends Error {
  constructor(
    readonly source: string,
    /** What the file should have been, as the message says it: "target description", "workload". */
    what: string,
    readonly issues: readonly FileIssue[],
  ) {
    super(`${source}: not a valid ${what}:\n${issues.map((i) => `  ${i.path}: ${i.message}`).join('\n')}`);
  }
}

/** Where in the file an issue is, as its messages name it: dotted keys, or `(top level)`. */
export function issuePath(path: readonly PropertyKey[]): string {
  return path.length === 0 ? '(top level)' : path.map(String).join('.');
}

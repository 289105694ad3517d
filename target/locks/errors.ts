/** A failure of DB work, as data: SQLite's extended result code, or one of the target's own codes. */
export interface DbFailure {
  code: string;
  message: string;
}

/** Codes that mean "the write lock could not be had in time". */
export const LOCK_TIMEOUT_CODES: ReadonlySet<string> = new Set(['SQLITE_BUSY', 'SQLITE_BUSY_SNAPSHOT', 'SQLITE_BUSY_RECOVERY', 'SQLITE_BUSY_TIMEOUT', 'SQLITE_LOCKED']);

/** Fault injected on purpose (`?failBatches=`) to show what a failing batch does to an import. */
export const INJECTED_FAULT = 'INJECTED_FAULT';

/** Turns anything thrown by DB work into a {@link DbFailure}, classifying by `err.code`, never by message text. */
export function toDbFailure(err: unknown): DbFailure {
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    return { code: typeof code === 'string' ? code : 'INTERNAL', message: err.message };
  }
  return { code: 'INTERNAL', message: String(err) };
}

export function isLockTimeout(code: string): boolean {
  return LOCK_TIMEOUT_CODES.has(code);
}

/** Thrown inside a transaction body to make it fail with a chosen code and roll back. */
export class CodedError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'CodedError';
  }
}

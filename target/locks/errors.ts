/** A failure of DB work, as data: SQLite's extended result code, or one of the target's own codes. */
export interface DbFailure {
  code: string;
  message: string;
}

/** Codes that mean "the write lock could not be had in time". */
export const LOCK_TIMEOUT_CODES: ReadonlySet<string> = new Set(['SQLITE_BUSY', 'SQLITE_BUSY_SNAPSHOT', 'SQLITE_BUSY_RECOVERY', 'SQLITE_BUSY_TIMEOUT', 'SQLITE_LOCKED']);

/** A task that arrived after the target began to stop and closed its connections. */
export const TARGET_STOPPING = 'TARGET_STOPPING';

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

/** What a failed DB task means for its caller, whatever the exact extended code. */
export type FailureKind = 'lock-timeout' | 'disk-full' | 'read-only' | 'unavailable' | 'other';

/** SQLite primary result codes (an extended code without its suffix) and what each means to the target. */
const KIND_BY_PRIMARY_CODE: ReadonlyMap<string, FailureKind> = new Map([
  ['SQLITE_BUSY', 'lock-timeout'],
  ['SQLITE_LOCKED', 'lock-timeout'],
  ['SQLITE_FULL', 'disk-full'],
  ['SQLITE_READONLY', 'read-only'],
  ['SQLITE_CANTOPEN', 'unavailable'],
  ['SQLITE_IOERR', 'unavailable'],
  ['SQLITE_NOTADB', 'unavailable'],
  ['SQLITE_CORRUPT', 'unavailable'],
  ['SQLITE_PERM', 'unavailable'],
]);

/** Codes that mean something other than their primary code, and the target's own codes. */
const KIND_BY_EXTENDED_CODE: ReadonlyMap<string, FailureKind> = new Map([
  // The -shm file could not be grown: on Linux that is a full disk (or tmpfs).
  ['SQLITE_IOERR_SHMSIZE', 'disk-full'],
  [TARGET_STOPPING, 'unavailable'],
]);

/** Classifies by `code` (e.g. `SQLITE_IOERR_WRITE` is an `SQLITE_IOERR`), never by message text. */
export function failureKind(code: string): FailureKind {
  const primary = /^SQLITE_[A-Z]+/.exec(code)?.[0];
  return KIND_BY_EXTENDED_CODE.get(code) ?? (primary === undefined ? undefined : KIND_BY_PRIMARY_CODE.get(primary)) ?? 'other';
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

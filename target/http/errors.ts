import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { failureKind, type DbFailure, type FailureKind } from '../locks/errors.ts';
import { NOT_FOUND } from '../db/tasks.ts';
import type { ImportResult } from '../imports/service.ts';

/** Seconds a client is told to wait before retrying after a lock timeout. */
export const RETRY_AFTER_SECONDS = 1;

/** Every error of the target has this shape. */
export function errorResponse(c: Context, status: ContentfulStatusCode, code: string, message: string) {
  return c.json({ error: { code, message } }, status);
}

interface FailureAnswer {
  status: ContentfulStatusCode;
  /** Whether the client may simply retry later (answered with Retry-After). */
  retry: boolean;
  explain: string;
}

/** The HTTP answer to each kind of DB failure. */
const ANSWERS: ReadonlyMap<FailureKind, FailureAnswer> = new Map<FailureKind, FailureAnswer>([
  ['lock-timeout', { status: 503, retry: true, explain: 'the database write lock could not be acquired in time; retry later' }],
  ['disk-full', { status: 507, retry: false, explain: 'the database disk is full; nothing of this transaction was written' }],
  ['read-only', { status: 503, retry: false, explain: 'the database file is read-only; nothing of this transaction was written' }],
  ['unavailable', { status: 503, retry: false, explain: 'the database file cannot be opened, read or written' }],
  ['other', { status: 500, retry: false, explain: 'the database task failed' }],
]);

function answerFor(code: string): FailureAnswer {
  return ANSWERS.get(failureKind(code))!;
}

/** Maps a failed DB task to its HTTP answer: 404 missing, 503 lock timeout (with Retry-After), 507 disk full, and so on. */
export function dbFailureResponse(c: Context, failure: DbFailure) {
  if (failure.code === NOT_FOUND) return errorResponse(c, 404, failure.code, failure.message);
  const answer = answerFor(failure.code);
  if (answer.retry) c.header('Retry-After', String(RETRY_AFTER_SECONDS));
  return errorResponse(c, answer.status, failure.code, `${answer.explain}: ${failure.message}`);
}

/**
 * 200 completed; 207 partial; when nothing was written, the answer of the first failed batch's error
 * (503 lock timeout, 507 disk full, 500 an injected fault). Retry-After whenever a batch lost to a lock
 * timeout, so a client re-posts the import (entries are upserted, nothing duplicates).
 */
export function importResponseStatus(result: ImportResult): { status: 200 | 207 | ContentfulStatusCode; retryAfter: boolean } {
  const errors = result.batches.flatMap((b) => (b.error === undefined ? [] : [b.error]));
  const retryAfter = errors.some((e) => answerFor(e.code).retry);
  if (result.status === 'completed') return { status: 200, retryAfter: false };
  if (result.status === 'partial') return { status: 207, retryAfter };
  return { status: errors[0] === undefined ? 500 : answerFor(errors[0].code).status, retryAfter };
}

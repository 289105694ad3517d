import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { DbFailure } from '../locks/errors.ts';
import { isLockTimeout } from '../locks/errors.ts';
import { NOT_FOUND } from '../db/tasks.ts';

/** Seconds a client is told to wait before retrying after a lock timeout. */
export const RETRY_AFTER_SECONDS = 1;

/** Every error of the target has this shape. */
export function errorResponse(c: Context, status: ContentfulStatusCode, code: string, message: string) {
  return c.json({ error: { code, message } }, status);
}

/** Maps a failed DB task to its HTTP answer: 404 missing, 503 lock timeout (with Retry-After), 500 otherwise. */
export function dbFailureResponse(c: Context, failure: DbFailure) {
  if (failure.code === NOT_FOUND) return errorResponse(c, 404, failure.code, failure.message);
  if (isLockTimeout(failure.code)) {
    c.header('Retry-After', String(RETRY_AFTER_SECONDS));
    return errorResponse(c, 503, failure.code, `the database write lock could not be acquired in time: ${failure.message}`);
  }
  return errorResponse(c, 500, failure.code, failure.message);
}

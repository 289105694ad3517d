import { randomUUID } from 'node:crypto';
import { statSync } from 'node:fs';
import { Hono, type Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { bodyLimit } from 'hono/body-limit';
import { methodNotAllowed } from 'hono/method-not-allowed';
import { createMiddleware } from 'hono/factory';
import { zValidator } from '@hono/zod-validator';
import type { Registry } from 'prom-client';
import type { Logger } from 'pino';
import type { z } from 'zod';
import type { TargetOptions } from '../options.ts';
import type { Executor } from '../executor/executor.ts';
import type { WriteScheduler } from '../scheduler.ts';
import type { LockRecorder } from '../locks/recorder.ts';
import type { WritePath } from '../writes.ts';
import { runImport } from '../imports/service.ts';
import { dbFailureResponse, errorResponse, importResponseStatus, RETRY_AFTER_SECONDS } from './errors.ts';
import * as s from './schemas.ts';

/** Everything the routes need; built by `createTarget`, or by a test with its own parts. */
export interface AppDeps {
  options: TargetOptions;
  executor: Executor;
  scheduler: WriteScheduler;
  writes: WritePath;
  recorder: LockRecorder;
  registry: Registry;
  logger: Logger;
}

/** A batch holding the lock longer than this is logged as a warning: it means contention. */
export const SLOW_BATCH_WARN_MS = 1000;

type ValidationTarget = 'json' | 'query' | 'param';

/** zValidator with the target's error shape: 400 `{error:{code:'VALIDATION_FAILED', message}}`. */
function valid<T extends z.ZodType, Target extends ValidationTarget>(target: Target, schema: T) {
  return zValidator(target, schema, (result, c) => {
    if (!result.success) {
      return errorResponse(c, 400, 'VALIDATION_FAILED', `invalid ${target === 'json' ? 'body' : target}: ${s.describeIssues(result.error)}`);
    }
  });
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });
const JSON_MEDIA_TYPE = /^application\/([\w.-]+\+)?json$/i;

/**
 * Checks that a body is JSON before the schema sees it: 415 for another content type (the validator
 * would otherwise read it as `{}` and blame a missing field), 400 for an empty or unparsable body.
 * With `optional`, a route whose body carries nothing also takes no body at all.
 */
function jsonBody({ optional = false } = {}) {
  return createMiddleware(async (c, next) => {
    const bytes = await c.req.arrayBuffer();
    if (optional && bytes.byteLength === 0) return next();
    const contentType = c.req.header('content-type') ?? '';
    const [mediaType = '', ...params] = contentType.split(';').map((p) => p.trim());
    const charset = params.find((p) => /^charset=/i.test(p))?.slice('charset='.length).replace(/"/g, '');
    if (!JSON_MEDIA_TYPE.test(mediaType) || (charset !== undefined && !/^utf-?8$/i.test(charset))) {
      return errorResponse(c, 415, 'UNSUPPORTED_MEDIA_TYPE', `expected a JSON body with Content-Type: application/json (UTF-8), got ${contentType === '' ? 'no Content-Type' : `"${contentType}"`}`);
    }
    let raw: string;
    try {
      raw = UTF8.decode(bytes);
    } catch {
      return errorResponse(c, 400, 'INVALID_UTF8', 'expected a JSON body in UTF-8; it holds bytes that are not valid UTF-8');
    }
    if (raw.trim() === '') return errorResponse(c, 400, 'EMPTY_BODY', 'expected a JSON object as the request body, got an empty body');
    try {
      JSON.parse(raw);
    } catch (err) {
      return errorResponse(c, 400, 'MALFORMED_JSON', `expected a JSON object as the request body; it is not valid JSON (${(err as Error).message})`);
    }
    return next();
  });
}

function walBytes(dbPath: string): number {
  try {
    return statSync(`${dbPath}-wal`).size;
  } catch {
    return 0;
  }
}

/** Builds the target's routes; it does not listen (see `createTarget`). */
export function createApp(deps: AppDeps): Hono {
  const { options, executor, writes, recorder, registry, logger } = deps;
  const app = new Hono();

  // Registered first so it sees every route's 404 and turns a known path with the wrong method into 405.
  app.use(
    methodNotAllowed({
      app,
      onMethodNotAllowed: (c, methods) => {
        c.header('Allow', methods.join(', '));
        return errorResponse(c, 405, 'METHOD_NOT_ALLOWED', `${c.req.method} is not allowed on ${c.req.path}; expected one of ${methods.join(', ')}`);
      },
    }),
  );
  app.use(
    bodyLimit({
      maxSize: options.maxBodyBytes,
      onError: (c) => errorResponse(c, 413, 'BODY_TOO_LARGE', `expected a body of at most ${options.maxBodyBytes} bytes (--max-body-bytes); split the import`),
    }),
  );
  const importBody = s.importBody(options.maxImportEntries);

  app.onError((err, c) => {
    if (err instanceof HTTPException) {
      return errorResponse(c, err.status as 400, err.status === 400 ? 'BAD_REQUEST' : 'HTTP_ERROR', err.message);
    }
    logger.error({ err }, 'unhandled error');
    return errorResponse(c, 500, 'INTERNAL', err.message);
  });
  app.notFound((c) => errorResponse(c, 404, 'ROUTE_NOT_FOUND', `no route for ${c.req.method} ${c.req.path}`));

  const read = async (c: Context, task: Parameters<Executor['read']>[0], whenMissing?: string) => {
    const outcome = await executor.read(task);
    if (!outcome.ok) return dbFailureResponse(c, outcome.failure);
    if (outcome.value === null && whenMissing !== undefined) return errorResponse(c, 404, 'NOT_FOUND', whenMissing);
    return c.json(outcome.value as object);
  };

  app.post(
    '/api/marketplace/sources/:sourceId/import',
    valid('param', s.sourceParam),
    valid('query', s.importQuery),
    jsonBody(),
    valid('json', importBody),
    async (c) => {
      const { sourceId } = c.req.valid('param');
      const query = c.req.valid('query');
      const { entries } = c.req.valid('json');
      const mode = query.mode ?? options.importMode;
      const batchSize = query.batchSize ?? options.batchSize;
      const failBatches = query.failBatches ?? new Set<number>();
      const batches = s.batchCount(mode, entries.length, batchSize);
      const outOfRange = [...failBatches].filter((i) => i >= batches);
      if (outOfRange.length > 0) {
        return errorResponse(c, 400, 'VALIDATION_FAILED', `invalid query: failBatches: batch ${outOfRange.join(', ')} out of range; this import has ${batches} batch(es), indexes 0 to ${batches - 1}`);
      }
      const exists = await executor.read({ op: 'readSourceExists', sourceId });
      if (!exists.ok) return dbFailureResponse(c, exists.failure);
      if (exists.value !== true) return errorResponse(c, 404, 'NOT_FOUND', `marketplace source ${sourceId} does not exist`);
      const importId = `imp_${randomUUID()}`;
      const result = await runImport(
        {
          importId,
          requestId: importId,
          sourceId,
          mode,
          batchSize,
          entries,
          startedAt: Date.now(),
          failBatches,
        },
        writes,
        { prepareMs: options.prepareMs, writeMs: options.writeMs },
      );
      const slow = result.batches.filter((b) => b.lockHoldMs > SLOW_BATCH_WARN_MS);
      const log = slow.length > 0 || result.status !== 'completed' ? logger.warn.bind(logger) : logger.info.bind(logger);
      log(
        { importId, sourceId, status: result.status, imported: result.imported, failed: result.failed, durationMs: result.durationMs, maxLockHoldMs: result.maxLockHoldMs, batches: result.batches.length, slowBatches: slow.length },
        'import finished',
      );
      const { status, retryAfter } = importResponseStatus(result);
      if (retryAfter) c.header('Retry-After', String(RETRY_AFTER_SECONDS));
      return c.json(result, status);
    },
  );

  app.get('/api/imports/:importId', valid('param', s.importParam), (c) =>
    read(c, { op: 'readImport', importId: c.req.valid('param').importId }, `import ${c.req.valid('param').importId} does not exist`),
  );

  app.get('/api/marketplace/sources', async (c) => {
    const outcome = await executor.read({ op: 'readSources' });
    return outcome.ok ? c.json({ items: outcome.value }) : dbFailureResponse(c, outcome.failure);
  });

  app.get('/api/marketplace/catalog', valid('query', s.catalogQuery), async (c) => {
    const outcome = await executor.read({ op: 'readCatalog', limit: c.req.valid('query').limit });
    return outcome.ok ? c.json({ items: outcome.value }) : dbFailureResponse(c, outcome.failure);
  });

  app.patch('/api/marketplace/catalog/:entryId', valid('param', s.catalogParam), jsonBody(), valid('json', s.catalogBody), async (c) => {
    const { entryId } = c.req.valid('param');
    const body = c.req.valid('json');
    const outcome = await writes.write({ op: 'catalogUpdate', entryId, ...body }, `cat_${randomUUID()}`);
    return outcome.ok ? c.json(outcome.value as object) : dbFailureResponse(c, outcome.failure);
  });

  app.post('/api/workflows/:workflowId/executions', valid('param', s.workflowParam), jsonBody({ optional: true }), valid('json', s.executionBody), async (c) => {
    const executionId = `exe_${randomUUID()}`;
    const outcome = await writes.write({ op: 'createExecution', executionId, workflowId: c.req.valid('param').workflowId }, executionId);
    return outcome.ok ? c.json(outcome.value as object, 201) : dbFailureResponse(c, outcome.failure);
  });

  app.patch('/api/workflow-executions/:id/steps/:index', valid('param', s.stepParam), jsonBody(), valid('json', s.stepBody), async (c) => {
    const { id, index } = c.req.valid('param');
    const outcome = await writes.write({ op: 'updateStep', executionId: id, index, status: c.req.valid('json').status }, id);
    return outcome.ok ? c.json(outcome.value as object) : dbFailureResponse(c, outcome.failure);
  });

  app.get('/api/artifacts', valid('query', s.artifactsQuery), (c) => {
    const { sourceId, limit } = c.req.valid('query');
    return read(c, { op: 'readArtifacts', limit, ...(sourceId === undefined ? {} : { sourceId }) });
  });

  app.get('/api/health', (c) =>
    c.json({ status: 'ok', pid: process.pid, uptimeMs: Math.round(process.uptime() * 1000), writeQueue: deps.scheduler.queued, config: options }),
  );

  app.get('/api/health/locks', valid('query', s.locksQuery), (c) => {
    const { sinceMs, spans } = c.req.valid('query');
    const report = recorder.report(sinceMs);
    return c.json({ ...report, walBytes: walBytes(options.dbPath), ...(spans === 'false' ? { spans: [] } : {}) });
  });

  app.get('/metrics', async (c) => {
    c.header('Content-Type', registry.contentType);
    return c.body(await registry.metrics());
  });

  return app;
}

import { randomUUID } from 'node:crypto';
import { statSync } from 'node:fs';
import { Hono, type Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { zValidator } from '@hono/zod-validator';
import type { Registry } from 'prom-client';
import type { Logger } from 'pino';
import type { z } from 'zod';
import type { TargetOptions } from '../options.ts';
import type { Executor } from '../executor/executor.ts';
import type { WriteScheduler } from '../scheduler.ts';
import type { LockRecorder } from '../locks/recorder.ts';
import type { WritePath } from '../writes.ts';
import { importHttpStatus, runImport } from '../imports/service.ts';
import { dbFailureResponse, errorResponse, RETRY_AFTER_SECONDS } from './errors.ts';
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
    valid('json', s.importBody),
    async (c) => {
      const { sourceId } = c.req.valid('param');
      const query = c.req.valid('query');
      const { entries } = c.req.valid('json');
      const exists = await executor.read({ op: 'readSourceExists', sourceId });
      if (!exists.ok) return dbFailureResponse(c, exists.failure);
      if (exists.value !== true) return errorResponse(c, 404, 'NOT_FOUND', `marketplace source ${sourceId} does not exist`);
      const importId = `imp_${randomUUID()}`;
      const result = await runImport(
        {
          importId,
          requestId: importId,
          sourceId,
          mode: query.mode ?? options.importMode,
          batchSize: query.batchSize ?? options.batchSize,
          entries,
          startedAt: Date.now(),
          failBatches: query.failBatches ?? new Set(),
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
      const status = importHttpStatus(result);
      if (status === 503) c.header('Retry-After', String(RETRY_AFTER_SECONDS));
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

  app.patch('/api/marketplace/catalog/:entryId', valid('param', s.catalogParam), valid('json', s.catalogBody), async (c) => {
    const { entryId } = c.req.valid('param');
    const body = c.req.valid('json');
    const outcome = await writes.write({ op: 'catalogUpdate', entryId, ...body }, `cat_${randomUUID()}`);
    return outcome.ok ? c.json(outcome.value as object) : dbFailureResponse(c, outcome.failure);
  });

  app.post('/api/workflows/:workflowId/executions', valid('param', s.workflowParam), valid('json', s.executionBody), async (c) => {
    const executionId = `exe_${randomUUID()}`;
    const outcome = await writes.write({ op: 'createExecution', executionId, workflowId: c.req.valid('param').workflowId }, executionId);
    return outcome.ok ? c.json(outcome.value as object, 201) : dbFailureResponse(c, outcome.failure);
  });

  app.patch('/api/workflow-executions/:id/steps/:index', valid('param', s.stepParam), valid('json', s.stepBody), async (c) => {
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

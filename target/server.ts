import type { AddressInfo } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import { pino, type Logger } from 'pino';
import { Registry, collectDefaultMetrics } from 'prom-client';
import type { Hono } from 'hono';
import { resolveTargetOptions, type TargetOptions, type TargetOptionsInput } from './options.ts';
import { initDatabase, type ConnectionSettings } from './db/connection.ts';
import { createExecutor } from './executor/executor.ts';
import { createWriteScheduler } from './scheduler.ts';
import { LockRecorder } from './locks/recorder.ts';
import { WritePath } from './writes.ts';
import { createApp, type AppDeps } from './http/app.ts';

/** How long in-flight requests may finish on shutdown, in milliseconds. */
export const SHUTDOWN_GRACE_MS = 2000;

function closeConnections(server: ReturnType<typeof createAdaptorServer>, which: 'idle' | 'all'): void {
  const http = server as { closeIdleConnections?: () => void; closeAllConnections?: () => void };
  if (which === 'idle') http.closeIdleConnections?.();
  else http.closeAllConnections?.();
}

/** A target that is built but not yet listening. */
export interface Target {
  options: TargetOptions;
  app: Hono;
  deps: AppDeps;
  /** Listens on the configured host and port; resolves once connections are accepted. */
  start(): Promise<RunningTarget>;
  /** Stops the DB workers (and the server, if started). */
  close(): Promise<void>;
}

export interface RunningTarget {
  url: string;
  port: number;
}

export function connectionSettings(options: TargetOptions): ConnectionSettings {
  return {
    busyTimeoutMs: options.busyTimeoutMs,
    synchronous: options.synchronous,
    walAutocheckpoint: options.walAutocheckpoint,
    cacheSize: options.cacheSize,
    mmapSize: options.mmapSize,
  };
}

/** Logs go to stderr: stdout carries only the ready line. */
export function createLogger(level: TargetOptions['logLevel']): Logger {
  return pino({ level, base: { pid: process.pid, name: 'lockbench-target' } }, pino.destination(2));
}

/** Creates and seeds the database, starts the DB executor and builds the app; call `start()` to listen. */
export function createTarget(input: TargetOptionsInput, logger?: Logger): Target {
  const options = resolveTargetOptions(input);
  const log = logger ?? createLogger(options.logLevel);
  const settings = connectionSettings(options);
  initDatabase(options.dbPath, settings);
  const executor = createExecutor(options.executor, {
    dbPath: options.dbPath,
    settings,
    begin: options.begin,
    connections: options.connections,
    poolSize: options.poolSize,
  });
  const scheduler = createWriteScheduler(options.scheduler);
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'lockbench_target_' });
  const recorder = new LockRecorder(registry);
  const deps: AppDeps = { options, executor, scheduler, writes: new WritePath(executor, scheduler, recorder), recorder, registry, logger: log };
  const app = createApp(deps);
  const server = createAdaptorServer({ fetch: app.fetch });
  let listening = false;
  let closed: Promise<void> | undefined;

  return {
    options,
    app,
    deps,
    start: async () => {
      await executor.warmUp();
      return new Promise<RunningTarget>((resolve, reject) => {
        server.once('error', reject);
        server.listen(options.port, options.host, () => {
          listening = true;
          server.off('error', reject);
          const { port } = server.address() as AddressInfo;
          const host = options.host.includes(':') ? `[${options.host}]` : options.host;
          resolve({ url: `http://${host}:${port}`, port });
        });
      });
    },
    close: () =>
      (closed ??= (async () => {
        if (listening) {
          const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
          closeConnections(server, 'idle');
          // Requests still running after the grace period are cut rather than keeping the process alive.
          const cut = setTimeout(() => closeConnections(server, 'all'), SHUTDOWN_GRACE_MS);
          await stopped;
          clearTimeout(cut);
        }
        await executor.close();
      })()),
  };
}

import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { createAdaptorServer } from '@hono/node-server';
import { pino, type Logger } from 'pino';
import { Registry, collectDefaultMetrics } from 'prom-client';
import type { Hono } from 'hono';
import { resolveTargetOptions, type TargetOptions, type TargetOptionsInput } from './options.ts';
import { dbPathProblem, initDatabase, type ConnectionSettings } from './db/connection.ts';
import { failureKind } from './locks/errors.ts';
import { RETRY_AFTER_SECONDS } from './http/errors.ts';
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

/** Why a target could not start; each reason is something the person starting it must fix. */
export type StartFailureReason = 'port-in-use' | 'port-denied' | 'database';

/** A start that failed for a reason the user can fix; its message is one line that says how. */
export class StartError extends Error {
  constructor(
    readonly reason: StartFailureReason,
    message: string,
  ) {
    super(message);
    this.name = 'StartError';
  }
}

function listenError(err: NodeJS.ErrnoException, options: TargetOptions): Error {
  const where = `port ${options.port} on ${options.host}`;
  if (err.code === 'EADDRINUSE') {
    return new StartError('port-in-use', `${where} is already in use; stop what holds it or choose another port (--port 0 picks a free one)`);
  }
  if (err.code === 'EACCES' || err.code === 'EADDRNOTAVAIL') {
    return new StartError('port-denied', `cannot listen on ${where} (${err.code}); choose another --port or --host`);
  }
  return err;
}

/** What SQLite's failure to create or open the database means, with the path it was about. */
function databaseError(err: unknown, dbPath: string): Error {
  const code = (err as { code?: unknown }).code;
  if (typeof code !== 'string' || !code.startsWith('SQLITE_')) return err as Error;
  const meaning: Record<ReturnType<typeof failureKind>, string> = {
    'lock-timeout': 'another process holds a lock on it (e.g. PRAGMA locking_mode=EXCLUSIVE); stop it or raise --busy-timeout-ms',
    'disk-full': 'the disk is full',
    'read-only': 'it is read-only',
    unavailable: 'it cannot be opened, or is not an SQLite database',
    other: 'SQLite refused it',
  };
  return new StartError('database', `cannot use the database ${dbPath}: ${meaning[failureKind(code)]} (${code}: ${(err as Error).message})`);
}

/**
 * Requests Node's HTTP parser rejects before any route sees them (a malformed request line, headers over
 * Node's size limit) still get the target's error shape rather than a bare status line.
 */
function answerClientError(err: NodeJS.ErrnoException, socket: Duplex): void {
  if (!socket.writable || (err as { code?: string }).code === 'ECONNRESET') {
    socket.destroy();
    return;
  }
  const tooLarge = err.code === 'HPE_HEADER_OVERFLOW';
  const [status, code, message] = tooLarge
    ? ['431 Request Header Fields Too Large', 'HEADERS_TOO_LARGE', 'expected request headers of at most 16 KiB in all']
    : ['400 Bad Request', 'MALFORMED_REQUEST', `expected an HTTP/1.1 request; the parser refused it (${err.code ?? err.message})`];
  const body = JSON.stringify({ error: { code, message } });
  socket.end(`HTTP/1.1 ${status}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}

/** Answer while the database is created after the port is bound; no client that waits for the ready line sees it. */
function startingResponse(): Response {
  const body = { error: { code: 'STARTING', message: 'the target is starting; retry once it has printed its ready line' } };
  return Response.json(body, { status: 503, headers: { 'Retry-After': String(RETRY_AFTER_SECONDS) } });
}

/** A target that is built but not yet listening. */
export interface Target {
  options: TargetOptions;
  app: Hono;
  deps: AppDeps;
  /**
   * Binds the port first, then creates and seeds the database and starts the DB workers, so a port
   * already in use leaves no database file behind. Resolves once requests are served; a failure the
   * user can fix rejects with {@link StartError}.
   */
  start(): Promise<RunningTarget>;
  /** Stops the server (if started), then closes every DB connection and the workers. */
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

/** Builds the app and the DB executor without touching the database file; call `start()` to serve. */
export function createTarget(input: TargetOptionsInput, logger?: Logger): Target {
  const options = resolveTargetOptions(input);
  const log = logger ?? createLogger(options.logLevel);
  const settings = connectionSettings(options);
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
  let ready = false;
  const server = createAdaptorServer({ fetch: (request, env) => (ready ? app.fetch(request, env) : startingResponse()) });
  server.on('clientError', answerClientError);
  let listening = false;
  let closed: Promise<void> | undefined;
  const listen = () =>
    new Promise<RunningTarget>((resolve, reject) => {
      const failed = (err: NodeJS.ErrnoException) => reject(listenError(err, options));
      server.once('error', failed);
      server.listen(options.port, options.host, () => {
        listening = true;
        server.off('error', failed);
        const { port } = server.address() as AddressInfo;
        const host = options.host.includes(':') ? `[${options.host}]` : options.host;
        resolve({ url: `http://${host}:${port}`, port });
      });
    });

  const target: Target = {
    options,
    app,
    deps,
    start: async () => {
      const problem = dbPathProblem(options.dbPath);
      if (problem !== undefined) throw new StartError('database', problem);
      const running = await listen();
      try {
        initDatabase(options.dbPath, settings);
        await executor.warmUp();
      } catch (err) {
        throw databaseError(err, options.dbPath);
      }
      ready = true;
      return running;
    },
    close: () =>
      (closed ??= (async () => {
        // Work in hand rolls back first, so the requests waiting on it are answered and the server can close.
        executor.stop();
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
  return target;
}

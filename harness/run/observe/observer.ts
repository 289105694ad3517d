import { spawn } from 'node:child_process';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { ObserverChildEvent } from './child.ts';
import { Errors, ObserveError, type ObserveErrorCode } from './errors.ts';
import { inspectDatabase } from './layout.ts';
import { entryPoint } from '../../shared/entry-points.ts';
import { resolveObserveOptions, type ObserveOptions } from './options.ts';
import { resolveLockAbi } from './platform.ts';
import type { Observation, ObserveProgress, RunningObservation } from '../../model/lock-observation.ts';

const CHILD_FILE = fileURLToPath(new URL('./child.ts', import.meta.url));

/** Default time allowed for the observer process to start and take its first sample, in milliseconds. */
export const defaultReadyTimeoutMs = 15_000;
/** Default time allowed between stop() and the result, in milliseconds; then the process is killed. */
export const defaultStopTimeoutMs = 10_000;
/** Lines of the observer's stderr kept for error messages. */
const STDERR_TAIL_LINES = 20;

export interface StartObserverOptions extends ObserveOptions {
  /** Called with who holds what, every `progressEveryMs`. */
  onProgress?: (progress: ObserveProgress) => void;
  /** Default {@link defaultReadyTimeoutMs}. */
  readyTimeoutMs?: number;
  /** Default {@link defaultStopTimeoutMs}. */
  stopTimeoutMs?: number;
}

/** An observer running in its own process. */
export interface ObserverHandle extends RunningObservation {
  /** Pid of the observer process (never one of the lock holders it reports). */
  readonly pid: number;
}

/**
 * Starts an observer of `dbPath`'s locks in a separate process and resolves once it has taken its first
 * sample: locks taken after that are seen being taken. With `waitForConnection` that first sample may
 * find no `-shm` yet; it resolves all the same, and locks are seen from the first connection on. Rejects with an ObserveError (DB_MISSING,
 * SHM_MISSING, UNSUPPORTED_PLATFORM, ...) checked here before anything is spawned, or reported by the
 * observer process. A separate process polls without competing with the caller's event loop or
 * threads, and stays outside every writer it watches.
 */
export async function startObserver(input: StartObserverOptions): Promise<ObserverHandle> {
  const { onProgress, readyTimeoutMs = defaultReadyTimeoutMs, stopTimeoutMs = defaultStopTimeoutMs, ...observe } = input;
  const options = resolveObserveOptions(observe);
  resolveLockAbi();
  // Checked here, before anything is spawned, only when not waiting: reading the header opens and closes
  // the database file, and closing any descriptor of a file drops every POSIX lock this process holds on
  // it, SQLite's included (the harness's workflow writers are threads of this process). A waiting
  // observer is checked in its own process, which holds no locks, and reports the same errors from there.
  if (!options.waitForConnection) inspectDatabase(options.dbPath, { waitForConnection: false });

  const entry = entryPoint(CHILD_FILE, { inherited: [] });
  const args = [...entry.execArgv, entry.file, '--options', JSON.stringify(options)];
  if (onProgress) args.push('--progress');
  const child = spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'pipe'] });

  const stderrTail: string[] = [];
  readline.createInterface({ input: child.stderr }).on('line', (line) => {
    stderrTail.push(line);
    if (stderrTail.length > STDERR_TAIL_LINES) stderrTail.shift();
  });
  const exitDetail = (code: number | null, signal: NodeJS.Signals | null) =>
    `observer process exited (code ${code}, signal ${signal})${stderrTail.length ? `: ${stderrTail.join('\n')}` : ''}`;

  let settleReady!: { resolve: (event: Extract<ObserverChildEvent, { event: 'ready' }>) => void; reject: (err: Error) => void };
  const ready = new Promise<Extract<ObserverChildEvent, { event: 'ready' }>>((resolve, reject) => (settleReady = { resolve, reject }));
  let settleFinished!: { resolve: (result: Observation) => void; reject: (err: Error) => void };
  const finished = new Promise<Observation>((resolve, reject) => (settleFinished = { resolve, reject }));
  finished.catch(() => undefined); // a caller that never awaits `finished` must not crash the process
  const fail = (err: Error) => {
    settleReady.reject(err);
    settleFinished.reject(err);
  };

  readline.createInterface({ input: child.stdout }).on('line', (line) => {
    let event: ObserverChildEvent;
    try {
      event = JSON.parse(line) as ObserverChildEvent;
    } catch {
      return; // not a protocol line
    }
    if (event.event === 'ready') settleReady.resolve(event);
    else if (event.event === 'progress') onProgress?.(event.progress);
    else if (event.event === 'result') settleFinished.resolve(event.result);
    else fail(new ObserveError(event.code as ObserveErrorCode, event.message));
  });
  const exited = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      fail(Errors.observerFailed(exitDetail(code, signal))); // no effect once ready and result arrived
      resolve();
    }),
  );
  child.once('error', (err) => fail(Errors.observerFailed(`could not start the observer process: ${err.message}`)));

  const kill = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  const readyTimer = setTimeout(() => {
    fail(Errors.observerFailed(`the observer did not start within ${readyTimeoutMs} ms`));
    kill();
  }, readyTimeoutMs);
  let started: Extract<ObserverChildEvent, { event: 'ready' }>;
  try {
    started = await ready;
  } catch (err) {
    kill();
    await exited;
    throw err;
  } finally {
    clearTimeout(readyTimer);
  }

  let stopping: Promise<Observation> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      child.stdin.end();
      const timer = setTimeout(() => {
        fail(Errors.observerFailed(`the observer did not return a result within ${stopTimeoutMs} ms of stop()`));
        kill();
      }, stopTimeoutMs);
      try {
        const result = await finished;
        await exited;
        return result;
      } finally {
        clearTimeout(timer);
      }
    })();
    return stopping;
  };
  return { pid: started.pid, shmPath: started.shmPath, command: started.command, finished, stop };
}

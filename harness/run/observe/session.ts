import { fileURLToPath } from 'node:url';
import { MessageChannel } from 'node:worker_threads';
import { Piscina } from 'piscina';
import { Errors, ObserveError } from './errors.ts';
import { inspectDatabase } from './layout.ts';
import { entryPoint } from '../../shared/entry-points.ts';
import { resolveObserveOptions, type ObserveOptions, type ResolvedObserveOptions } from './options.ts';
import { resolveLockAbi } from './platform.ts';
import type { PollLoopOutcome } from './poll-loop.ts';
import type { PollPortMessage, PollTask, PollTaskResult } from './poll-worker.ts';
import { spanMs } from '../../shared/lock-span.ts';
import type { JournalMode, Observation, ObserveProgress, RunningObservation } from '../../model/lock-observation.ts';

const WORKER_FILE = fileURLToPath(new URL('./poll-worker.ts', import.meta.url));

/** An observation running on a worker thread of this process. */
export interface ObserverSession extends RunningObservation {
  readonly dbPath: string;
  /** As the database header said when observing began. */
  readonly journalMode: JournalMode;
}

/** What a finished poll loop observed. */
function toObservation(
  outcome: PollLoopOutcome,
  options: ResolvedObserveOptions,
  files: { shmPath: string; command: string },
): Observation {
  const durationMs = outcome.endedAtMs - outcome.startedAtMs;
  const cpuMs = outcome.cpu.userMs + outcome.cpu.systemMs;
  return {
    dbPath: options.dbPath,
    shmPath: files.shmPath,
    command: files.command,
    intervalUs: options.intervalUs,
    startedAtMs: outcome.startedAtMs,
    endedAtMs: outcome.endedAtMs,
    durationMs,
    samples: outcome.samples,
    sampleGaps: outcome.sampleGaps,
    shmReopens: outcome.shmReopens,
    noConnectionMs: outcome.noConnectionSpans.reduce((sum, span) => sum + spanMs(span), 0),
    noConnectionSpans: outcome.noConnectionSpans,
    journalModes: outcome.journalModes,
    processes: outcome.processes,
    cpu: { ...outcome.cpu, percentOfOneCore: durationMs > 0 ? (cpuMs / durationMs) * 100 : 0 },
    writeSpans: outcome.writeSpans,
    commitSpans: outcome.commitSpans,
    checkpointSpans: outcome.checkpointSpans,
    recoverSpans: outcome.recoverSpans,
    readLocks: outcome.readLocks,
  };
}

/**
 * Starts polling the database's locks (on `<db>-shm` in WAL mode, on the file itself with a rollback journal) on a worker thread of this process. Checks the platform and the database
 * first and rejects with an ObserveError (DB_MISSING, SHM_MISSING, UNSUPPORTED_PLATFORM, ...) before any
 * thread starts; with `waitForConnection` only what waiting cannot fix is refused (see inspectDatabase). Locks held by this process itself are seen too when the kernel has F_OFD_GETLK, but
 * the harness runs this in a process of its own (see startObserver) so polling competes with no one's
 * event loop.
 */
export async function startObserverSession(
  input: ObserveOptions,
  onProgress?: (progress: ObserveProgress) => void,
): Promise<ObserverSession> {
  const options = resolveObserveOptions(input);
  resolveLockAbi();
  const { shmPath, journalMode } = inspectDatabase(options.dbPath, { waitForConnection: options.waitForConnection });

  const stopBuffer = new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT);
  const stopFlag = new Int32Array(stopBuffer);
  // One thread that runs one long task. Piscina loads a TypeScript task file the way the rest of the
  // project does (a raw Worker on a .ts file does not get tsx's hooks).
  const worker = entryPoint(WORKER_FILE);
  const pool = new Piscina<PollTask, PollTaskResult>({
    filename: worker.file,
    minThreads: 1,
    maxThreads: 1,
    idleTimeout: 0,
    execArgv: worker.execArgv,
  });
  const channel = new MessageChannel();
  const task: PollTask = {
    dbPath: options.dbPath,
    waitForConnection: options.waitForConnection,
    intervalUs: options.intervalUs,
    durationMs: options.durationMs,
    progressEveryMs: options.progressEveryMs,
    stopBuffer,
    port: channel.port2,
    reportProgress: onProgress !== undefined,
  };

  let command = '';
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  channel.port1.on('message', (message: PollPortMessage) => {
    if (message.type === 'ready') {
      command = message.command;
      markReady();
    } else {
      onProgress?.(message.progress);
    }
  });

  const finished = pool
    .run(task, { transferList: [channel.port2] })
    .then(
      (result) => {
        if (!result.ok) throw new ObserveError(result.code, result.message);
        return toObservation(result.outcome, options, { shmPath, command });
      },
      (err: Error) => {
        throw Errors.observerFailed(`the polling thread failed: ${err.message}`);
      },
    )
    .finally(() => {
      channel.port1.close();
      void pool.destroy();
    });
  finished.catch(() => undefined); // a caller that never awaits `finished` must not crash the process

  // Either the probe opened (ready) or the task already failed (finished rejects with its reason).
  await Promise.race([ready, finished]);
  const stop = () => {
    Atomics.store(stopFlag, 0, 1);
    Atomics.notify(stopFlag, 0);
    return finished;
  };
  return { dbPath: options.dbPath, shmPath, journalMode, command, finished, stop };
}

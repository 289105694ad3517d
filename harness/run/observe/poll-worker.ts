import type { MessagePort } from 'node:worker_threads';
import { isObserveError, type ObserveErrorCode } from './errors.ts';
import { runPollLoop, type PollLoopConfig, type PollLoopOutcome } from './poll-loop.ts';
import { openLockProbe } from './probe.ts';
import type { ObserveProgress } from '../../model/lock-observation.ts';

/** The one task the session runs on its polling thread. */
export interface PollTask extends PollLoopConfig {
  dbPath: string;
  /** Start without the database or its -shm instead of failing with DB_MISSING or SHM_MISSING. */
  waitForConnection: boolean;
  stopBuffer: SharedArrayBuffer;
  /** Receives `ready` after the first sample, then progress reports when asked for. */
  port: MessagePort;
  reportProgress: boolean;
}

export type PollPortMessage = { type: 'ready'; command: string } | { type: 'progress'; progress: ObserveProgress };

export type PollTaskResult = { ok: true; outcome: PollLoopOutcome } | { ok: false; code: ObserveErrorCode; message: string };

/** Opens the probe and polls until stopped; failures come back as data so their code survives the thread hop. */
export default function poll(task: PollTask): PollTaskResult {
  const { port } = task;
  try {
    const probe = openLockProbe(task.dbPath, { waitForConnection: task.waitForConnection });
    try {
      const outcome = runPollLoop(probe, task, {
        stopFlag: new Int32Array(task.stopBuffer),
        onStarted: () => port.postMessage({ type: 'ready', command: probe.command } satisfies PollPortMessage),
        ...(task.reportProgress
          ? { onProgress: (progress: ObserveProgress) => port.postMessage({ type: 'progress', progress } satisfies PollPortMessage) }
          : {}),
      });
      return { ok: true, outcome };
    } finally {
      probe.close();
    }
  } catch (err) {
    return { ok: false, code: isObserveError(err) ? err.code : 'PROBE_FAILED', message: err instanceof Error ? err.message : String(err) };
  } finally {
    port.close();
  }
}

/**
 * The external lock observer (harness/observe) around each profile's k6 run: started after the workflow
 * writers and before k6, stopped right after k6, also on Ctrl-C and on errors (the caller stops it in
 * `finally`). It polls from a process of its own, since POSIX locks held by the polling process itself
 * are invisible to it and the workflow writers are threads of the harness; that process also ends by
 * itself when its stdin closes, so it cannot outlive a harness that dies.
 *
 * Neither starting nor stopping throws: an observer that cannot run here is an outcome the report states,
 * and lock-hold is then judged on the self-reported figure, labelled as such.
 */
import { isObserveError, startObserver } from './observe/index.ts';
import type { Observation } from '../model/lock-observation.ts';
import type { ObservationOutcome } from '../model/observation.ts';

/** An observer process watching one database. */
export interface RunningLockObserver {
  readonly pid: number;
  stop(): Promise<Observation>;
}

/** Starts an observer of `dbPath`; resolves once it has taken its first sample. The real one by default. */
export type StartLockObserver = (options: { dbPath: string; intervalUs: number }) => Promise<RunningLockObserver>;

/** An observation under way (or one that never started, which stops with its reason). */
export interface LockObservation {
  /** False when nothing is being observed (off or unavailable). */
  readonly running: boolean;
  /** Stops the observer (once; later calls return the same outcome). Never rejects. */
  stop(): Promise<ObservationOutcome>;
}

export interface LockObservationOptions {
  /** False for `--no-observer`. */
  enabled: boolean;
  dbPath: string;
  /** Poll interval, in microseconds. */
  intervalUs: number;
  /** Default: harness/observe's startObserver (a separate process). */
  start?: StartLockObserver;
}

// The harness always waits for a connection: a target whose connections come and go (a NullPool) has
// no -shm between requests, and the observer must follow it across every removal and re-creation.
const defaultStart: StartLockObserver = (options) => startObserver({ ...options, waitForConnection: true });

function describeError(err: unknown): string {
  if (isObserveError(err)) return `${err.code}: ${err.message}`;
  return err instanceof Error ? err.message : String(err);
}

const settled = (outcome: ObservationOutcome): LockObservation => ({ running: false, stop: () => Promise.resolve(outcome) });

/** Starts observing `dbPath` unless disabled; a failure to start becomes an `unavailable` outcome. */
export async function startLockObservation(options: LockObservationOptions): Promise<LockObservation> {
  if (!options.enabled) return settled({ status: 'off', reason: 'observer turned off (--no-observer)' });
  let observer: RunningLockObserver;
  try {
    observer = await (options.start ?? defaultStart)({ dbPath: options.dbPath, intervalUs: options.intervalUs });
  } catch (err) {
    return settled({ status: 'unavailable', reason: `the lock observer could not start: ${describeError(err)}` });
  }
  let stopping: Promise<ObservationOutcome> | undefined;
  return {
    running: true,
    stop: () =>
      (stopping ??= observer.stop().then(
        (result): ObservationOutcome => ({ status: 'observed', result, observerPid: observer.pid }),
        (err: unknown): ObservationOutcome => ({ status: 'failed', reason: `the lock observer failed: ${describeError(err)}` }),
      )),
  };
}

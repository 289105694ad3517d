import path from 'node:path';
import { defaultIntervalUs, maxIntervalUs, minIntervalUs } from '../../plan/observer-interval.ts';
import { Errors } from './errors.ts';

/** What to observe and how finely. */
export interface ObserveOptions {
  /** The SQLite database file; its `-shm` file is what is watched. */
  dbPath: string;
  /** Time between two polls of the lock bytes, in microseconds. Default {@link defaultIntervalUs}. */
  intervalUs?: number;
  /** Stop by itself after this many milliseconds; omitted or null: observe until stopped. */
  durationMs?: number | null;
  /** Time between two progress reports, in milliseconds. Default {@link defaultProgressEveryMs}. */
  progressEveryMs?: number;
  /**
   * Wait for the database and its `<db>-shm` to appear instead of refusing to start without them. For an
   * application that opens a connection per request (SQLAlchemy's NullPool on a SQLite file), where
   * `-shm` exists only while a request runs, and for an observer started before its application. Either
   * way the observer follows `-shm` across any number of removals and re-creations and reports the time
   * with no connection open (`noConnectionSpans`). Default false: refuse with SHM_MISSING.
   */
  waitForConnection?: boolean;
}

export interface ResolvedObserveOptions {
  /** Absolute path. */
  dbPath: string;
  intervalUs: number;
  durationMs: number | null;
  progressEveryMs: number;
  waitForConnection: boolean;
}

/** Default time between progress reports, in milliseconds. */
export const defaultProgressEveryMs = 200;

const KNOWN_KEYS: ReadonlyArray<keyof ObserveOptions> = [
  'dbPath',
  'intervalUs',
  'durationMs',
  'progressEveryMs',
  'waitForConnection',
];

/** Applies defaults and validates; throws BAD_OPTION naming the option and what it expects. */
export function resolveObserveOptions(input: ObserveOptions): ResolvedObserveOptions {
  for (const key of Object.keys(input)) {
    if (!(KNOWN_KEYS as readonly string[]).includes(key)) throw Errors.unknownOption(key, KNOWN_KEYS);
  }
  if (typeof input.dbPath !== 'string' || input.dbPath.length === 0) {
    throw Errors.badOption('dbPath', 'the path of an SQLite database file', input.dbPath);
  }
  const intervalUs = input.intervalUs ?? defaultIntervalUs;
  if (!Number.isFinite(intervalUs) || intervalUs < minIntervalUs || intervalUs > maxIntervalUs) {
    throw Errors.badOption('intervalUs', `a number of microseconds from ${minIntervalUs} to ${maxIntervalUs}`, input.intervalUs);
  }
  const durationMs = input.durationMs ?? null;
  if (durationMs !== null && (!Number.isFinite(durationMs) || durationMs <= 0)) {
    throw Errors.badOption('durationMs', 'a positive number of milliseconds (or omitted, to observe until stopped)', input.durationMs);
  }
  const progressEveryMs = input.progressEveryMs ?? defaultProgressEveryMs;
  if (!Number.isFinite(progressEveryMs) || progressEveryMs <= 0) {
    throw Errors.badOption('progressEveryMs', 'a positive number of milliseconds', input.progressEveryMs);
  }
  const waitForConnection = input.waitForConnection ?? false;
  if (typeof waitForConnection !== 'boolean') throw Errors.badOption('waitForConnection', 'true or false', input.waitForConnection);
  return { dbPath: path.resolve(input.dbPath), intervalUs, durationMs, progressEveryMs, waitForConnection };
}

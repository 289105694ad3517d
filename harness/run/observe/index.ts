/**
 * External observer of an SQLite database's locks: polls fcntl(F_OFD_GETLK / F_GETLK) on the lock bytes
 * of <db>-shm (WAL) or of the database file (rollback journal) from a process of its own, never opening
 * the database with SQLite and never taking a lock.
 *
 *   const observer = await startObserver({ dbPath, intervalUs: 250 });
 *   ... run the load ...
 *   const observed = await observer.stop();
 *
 * What it observed is all it returns: the figures drawn from it are analysis (./summary.ts, ./compare.ts)
 * and their words reports (./render.ts), put together by whoever runs the observer (scripts/observe.ts).
 */
export { startObserver, defaultReadyTimeoutMs, defaultStopTimeoutMs, type ObserverHandle, type StartObserverOptions } from './observer.ts';
export { startObserverSession, type ObserverSession } from './session.ts';
export { resolveObserveOptions, type ObserveOptions, type ResolvedObserveOptions } from './options.ts';
export { ObserveError, isObserveError, type ObserveErrorCode } from './errors.ts';
export { inspectDatabase, readJournalMode } from './layout.ts';
export { checkOutputDir, writeObserveJson, OBSERVE_JSON } from './output.ts';

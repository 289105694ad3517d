/**
 * External observer of an SQLite database's locks: polls fcntl(F_OFD_GETLK / F_GETLK) on the lock bytes
 * of <db>-shm (WAL) or of the database file (rollback journal) from a process of its own, never opening
 * the database with SQLite and never taking a lock.
 *
 *   const observer = await startObserver({ dbPath, intervalUs: 250 });
 *   ... run the load ...
 *   const observed = await observer.stop();
 *
 * What it observed is all it returns: the figures drawn from it are analysis
 * (harness/analyze/observation-summary.ts, lock-comparison.ts) and their words reports
 * (harness/reports/observe.ts), put together by whoever runs the observer (scripts/observe.ts).
 *
 * This file is the one door to this folder: it exports this folder's own modules only. The types of what
 * the observer returns are imported from where they live (harness/model/lock-observation.ts,
 * harness/shared/lock-span.ts), the default interval from harness/plan/observer-interval.ts.
 */
export { startObserver, defaultReadyTimeoutMs, defaultStopTimeoutMs, type ObserverHandle, type StartObserverOptions } from './observer.ts';
export { startObserverSession, type ObserverSession } from './session.ts';
export { resolveObserveOptions, type ObserveOptions, type ResolvedObserveOptions } from './options.ts';
export { ObserveError, isObserveError, type ObserveErrorCode } from './errors.ts';
export { inspectDatabase, readJournalMode } from './layout.ts';
export { checkOutputDir, writeObserveJson, OBSERVE_JSON } from './output.ts';

/**
 * The seam for observers that watch the database from outside while k6 runs (the external lock
 * observer plugs in here). Each is started after the workflow writers and before k6, and stopped
 * right after k6; what it returns goes into the profile's `observers` in results.json.
 */
export interface LoadObserverContext {
  profile: string;
  dbPath: string;
  targetUrl: string;
  targetPid: number;
  /** The run's report folder, for any file the observer writes. */
  runDir: string;
  /** Aborted on Ctrl-C. */
  signal: AbortSignal;
}

export interface RunningObserver {
  /** Stops observing; the result must be plain JSON data. */
  stop(): Promise<unknown>;
}

export interface LoadObserver {
  name: string;
  start(context: LoadObserverContext): Promise<RunningObserver>;
}

import { afterEach, beforeEach } from 'vitest';
import { startObserver, type ObserverHandle, type StartObserverOptions } from '../observer.ts';
import { startLockHolder, type LockHolder } from './holder-client.ts';
import { createTempDir, type TempDir } from './temp-dir.ts';

/**
 * Per-test temporary folder, lock-holder processes and observers, all cleaned up after each test
 * (observers stopped, holders closed, files removed) whether it passed or not.
 */
export function useObserveFixture() {
  let dir: TempDir | undefined;
  const holders: LockHolder[] = [];
  const observers: ObserverHandle[] = [];
  beforeEach(() => {
    dir = createTempDir();
  });
  afterEach(async () => {
    await Promise.all(observers.splice(0).map((o) => o.stop().catch(() => undefined)));
    await Promise.all(holders.splice(0).map((h) => h.close()));
    dir?.remove();
  });
  const holderProcess = async (): Promise<LockHolder> => {
    const holder = await startLockHolder();
    holders.push(holder);
    return holder;
  };
  return {
    /** A path in this test's folder. */
    file(name: string): string {
      if (!dir) throw new Error('useObserveFixture(): file() is for use inside a test');
      return dir.file(name);
    },
    /** A lock-holder process with no database open yet. */
    holderProcess,
    /** A lock-holder process with `dbPath` open. */
    async holder(dbPath: string, options: { journalMode?: 'wal' | 'delete'; busyTimeoutMs?: number } = {}): Promise<LockHolder> {
      const holder = await holderProcess();
      await holder.request({ op: 'open', dbPath, journalMode: options.journalMode ?? 'wal', ...(options.busyTimeoutMs ? { busyTimeoutMs: options.busyTimeoutMs } : {}) }, 'opened');
      return holder;
    },
    async observe(options: StartObserverOptions): Promise<ObserverHandle> {
      const observer = await startObserver(options);
      observers.push(observer);
      return observer;
    },
  };
}

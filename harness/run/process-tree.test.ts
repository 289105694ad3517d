/**
 * A forking server (a master and its workers, as gunicorn or node cluster run) is the target as a whole:
 * every hold of a worker, replaced ones included, is the target's, named by command and pid; a process
 * outside the tree is "other".
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { useObserveFixture } from './observe/testing/fixture.ts';
import { startProtocolChild } from './observe/testing/holder-client.ts';
import type { ForkingServerCommand, ForkingServerEvent } from './observe/testing/forking-server.ts';
import { observedLocks, observedSpansFile } from '../analyze/observed-locks.ts';
import { holderName } from '../reports/holder-name.ts';

const FORKING_SERVER = fileURLToPath(new URL('./observe/testing/forking-server.ts', import.meta.url));
const WORKERS = 2;
const HOLD_MS = 30;

describe.each(['delete', 'wal'] as const)('a forking server as the target (journal_mode %s)', (journalMode) => {
  const fixture = useObserveFixture();

  it('attributes the holds of every worker, a replaced one and its replacement included, to the target; another process is other', async () => {
    const dbPath = fixture.file('forking.db');
    const server = await startProtocolChild<ForkingServerCommand, ForkingServerEvent>(FORKING_SERVER, [dbPath, String(WORKERS), journalMode]);
    try {
      const ready = await server.next('ready');
      const outsider = await fixture.holder(dbPath, { journalMode });
      const observer = await fixture.observe({ dbPath });

      const hold = async (worker: number) => server.request({ op: 'hold', worker, ms: HOLD_MS }, 'released');
      await hold(0);
      await hold(1);
      const replaced = await server.request({ op: 'replace', worker: 0 }, 'replaced');
      await hold(0);
      outsider.send({ op: 'hold-write', ms: HOLD_MS });
      await outsider.next('holding');
      await outsider.next('released');
      const result = await observer.stop();

      const workerPids = [...ready.workers, replaced.newPid];
      expect(replaced.oldPid).toBe(ready.workers[0]);
      const pids = { target: ready.pid, workflowWriters: process.pid };
      const observed = observedLocks({ outcome: { status: 'observed', result, observerPid: observer.pid }, intervalUs: 250, pids, targetSpans: null, targetReportsLocks: false, writerSpans: null });
      if (observed?.status !== 'observed') throw new Error('observed');
      const holderOf = (pid: number) => observed.holders.find((h) => h.pid === pid);

      for (const pid of workerPids) {
        expect(holderOf(pid)).toMatchObject({ role: 'target', command: 'node', parentPid: ready.pid, worker: true });
        expect(holderOf(pid)!.observed.spanCount).toBeGreaterThanOrEqual(1);
        expect(holderName(holderOf(pid)!)).toBe(`node worker ${pid}`);
      }
      expect(holderOf(outsider.pid)).toMatchObject({ role: 'other', command: 'node', worker: false });
      // The master never opens the database: it holds nothing, and is the target all the same.
      expect(holderOf(ready.pid)).toMatchObject({ role: 'target', observed: { spanCount: 0 } });

      const spans = observedSpansFile({ status: 'observed', result, observerPid: observer.pid }, pids);
      const rolesByPid = new Map(spans!.writeSpans.map((s) => [s.pid, s.holder]));
      expect(workerPids.map((pid) => rolesByPid.get(pid))).toEqual(workerPids.map(() => 'target'));
      expect(rolesByPid.get(outsider.pid)).toBe('other');
    } finally {
      await server.close();
    }
  });
});

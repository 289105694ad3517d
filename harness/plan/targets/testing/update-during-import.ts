/**
 * The end-to-end case the multi-process examples share: an example started from its description, one
 * import that holds the write lock for seconds, and a read-then-write catalog update sent while it does,
 * with the lock watched from outside. Returns what each request answered and who held the lock; the
 * tests assert on it. Everything started here is stopped before it returns.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildImportEntries } from '../../../../scenarios/lib/payload.ts';
import { startObserver } from '../../../run/observe/observer.ts';
import { progressFeed } from '../../../run/observe/testing/progress-feed.ts';
import { journalModeOf } from '../../../analyze/observation-summary.ts';
import { observedLocks } from '../../../analyze/observed-locks.ts';
import { isAlive } from '../../../testing/process.ts';
import { settingsToProcess, type SettingValues, type StartPlan } from '../../launch-plan.ts';
import { freePort, planLaunch, startDescribedTarget } from '../../../run/launch.ts';
import type { LoadedTargetDescription } from '../load.ts';
import { mapRequest } from '../mapping.ts';
import type { ScenarioRequest } from '../../../../scenarios/lib/contract.ts';

/** An answer as the test sees it: status, parsed JSON body, and sent-to-answered time in ms. */
export interface Answer {
  status: number;
  body: unknown;
  ms: number;
}

export interface UpdateDuringImport {
  imported: Answer;
  update: Answer;
  /** The pid the observer saw holding the write lock when the update was sent: the importing process. */
  importerPid: number;
  /** The journal mode the observer found the database in. */
  journalMode: string;
  observed: Extract<ReturnType<typeof observedLocks>, { status: 'observed' }>;
  targetPid: number;
  /** Whether the started process was still alive after it was stopped. */
  aliveAfterStop: boolean;
}

async function send(loaded: LoadedTargetDescription, baseUrl: string, request: ScenarioRequest): Promise<Answer> {
  const mapped = mapRequest(loaded.description, request);
  const started = performance.now();
  const res = await fetch(`${baseUrl}${mapped.path}`, { method: mapped.method, headers: mapped.headers, body: mapped.body ?? null });
  const body = await res.json();
  return { status: res.status, body, ms: performance.now() - started };
}

/** Runs the case on a fresh database in a temporary folder, removed afterwards. `entries` imported artifacts. */
export async function updateDuringImport(loaded: LoadedTargetDescription, settings: SettingValues, entries: number): Promise<UpdateDuringImport> {
  const workDir = mkdtempSync(join(tmpdir(), `lockbench-${loaded.description.name}-`));
  try {
    const plan = planLaunch(loaded, { workDir, port: await freePort(), settings: settingsToProcess(loaded.description, settings) }) as StartPlan;
    const target = await startDescribedTarget(plan, { logFile: join(workDir, 'target.log') });
    const feed = progressFeed();
    const observer = await startObserver({ dbPath: plan.database, waitForConnection: true, progressEveryMs: 5, onProgress: feed.onProgress });
    let run: Omit<UpdateDuringImport, 'aliveAfterStop'>;
    try {
      const importing = send(loaded, target.url, { kind: 'import', sourceId: 'src-1', entries: buildImportEntries({ prefix: 'src-1', artifacts: entries, compositeEvery: 5, children: 1 }) });
      // The import's write transaction is open (the write lock is held): now the update reads, then writes.
      const holding = await feed.until((p) => p.write !== null);
      const update = await send(loaded, target.url, { kind: 'catalogUpdate', entryId: 3, status: 'updating', title: 'Catalog entry 3 (update 1)' });
      const imported = await importing;
      const result = await observer.stop();
      const observed = observedLocks({
        outcome: { status: 'observed', result, observerPid: observer.pid },
        intervalUs: result.intervalUs,
        pids: { target: target.pid, workflowWriters: process.pid },
        targetSpans: null,
        targetReportsLocks: false,
        writerSpans: null,
      });
      if (observed?.status !== 'observed') throw new Error('the observer did not watch');
      run = { imported, update, importerPid: holding.write!.pid, journalMode: journalModeOf(result.journalModes), observed, targetPid: target.pid };
    } finally {
      await observer.stop().catch(() => undefined);
      await target.stop();
    }
    return { ...run, aliveAfterStop: isAlive(target.pid) };
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

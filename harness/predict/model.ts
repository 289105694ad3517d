/**
 * The discrete-event model of one trial: the concurrent scenario's streams as the driver schedules them,
 * the imports as the target's import mode runs them, the workflow writers as their pool runs them, all
 * contending for SQLite's one write lock through the waits of ./lock.ts. Pure and deterministic for a
 * given seed; the seed only places the workflow writers' schedule against the driver's, which a real
 * run does not control either, and draws the thread hand-over times around their measured mean.
 * The workflow writers' connections have the target's busy timeout, as the harness gives them.
 */
import { seededRandom } from '../plan/sweep.ts';
import type { TargetOptions } from '../../target/options.ts';
import type { ModelCosts } from './costs.ts';
import { Agenda } from './events.ts';
import { FifoSlots, takeOnUpgrade, takeWithBusyHandler, WriteLock, type BusyCode, type Hold, type TxKind } from './lock.ts';

/** The target settings the model reads. */
export type ModelTarget = Pick<
  TargetOptions,
  'importMode' | 'batchSize' | 'scheduler' | 'busyTimeoutMs' | 'connections' | 'executor' | 'poolSize' | 'prepareMs' | 'writeMs' | 'begin'
>;

/** The load, as the concurrent scenario and the workflow writers run it. */
export interface ModelLoad {
  imports: number;
  artifacts: number;
  /** Catalog updates per second. */
  catalogRate: number;
  /** Artifact reads per second. */
  readRate: number;
  /** Workflow writes per second. */
  workflowRate: number;
  writerThreads: number;
  /** How long the rate streams go on after the last import answered, in ms. */
  tailMs: number;
  /** The longest the rate streams run, in ms. */
  maxDurationMs: number;
  /** A catalog update or read not answered within this is a client timeout, in ms. */
  requestTimeoutMs: number;
  /** An import not answered within this is a client timeout, in ms. */
  importTimeoutMs: number;
}

export interface SimulationInput {
  target: ModelTarget;
  load: ModelLoad;
  costs: ModelCosts;
  seed: number;
}

/** How an arrival ended: answered and succeeded, answered with an error, or not answered in time. */
export type Ending = 'done' | 'error' | 'timeout';

export interface ImportRecord {
  startMs: number;
  endMs: number;
  status: 'completed' | 'partial' | 'failed';
  ending: Ending;
}

export interface RequestRecord {
  stream: 'catalog' | 'reads';
  sentMs: number;
  endMs: number;
  ending: Ending;
}

export interface WorkflowRecord {
  scheduledMs: number;
  endMs: number;
  ending: Ending;
}

/** Everything one simulated trial did, in ms from the driver's start. */
export interface SimulationRecord {
  holds: Hold[];
  imports: ImportRecord[];
  requests: RequestRecord[];
  workflow: WorkflowRecord[];
  /** Failed lock acquisitions by code, target and workflow writers together. */
  busyErrors: Partial<Record<BusyCode, number>>;
  /** Arrivals that have not ended when the simulation stopped (none, unless the model is wrong). */
  unfinished: number;
}

/** The workflow writers start this long before the driver, so their schedule is in its steady state; in ms. */
export const WRITERS_LEAD_MS = 1_000;

/** One write transaction as a DB thread runs it. */
interface TxSpec {
  owner: string;
  kind: TxKind;
  /** From the lock held to COMMIT returned, in ms. */
  holdMs: number;
  /** Deferred only: the transaction's work before its first write, which takes no lock, in ms. */
  beforeWriteMs: number;
  /**
   * It reads before its first write (the target's import batches and catalog updates do). Deferred, such
   * a write is an upgrade that fails at once on a held lock; a deferred transaction that writes first
   * waits in the busy handler like an immediate one.
   */
  readsFirst: boolean;
}

type TxOutcome = { ok: true } | { ok: false; code: BusyCode };

/** The hold of an import transaction of `size` entries and the part of it before the first write. */
export function importTxTiming(target: ModelTarget, costs: ModelCosts, size: number): { holdMs: number; beforeWriteMs: number } {
  const prepareInside = target.importMode === 'staged' ? 0 : target.prepareMs;
  const waitsPerEntry = (prepareInside > 0 ? 1 : 0) + (target.writeMs > 0 ? 1 : 0);
  const perEntry = prepareInside + target.writeMs + costs.entryMs + waitsPerEntry * costs.waitOvershootMs;
  return {
    holdMs: costs.batchBaseMs + size * perEntry,
    beforeWriteMs: prepareInside > 0 ? prepareInside + costs.waitOvershootMs : 0,
  };
}

/** The entries of each of an import's transactions, as the import mode groups them. */
export function batchSizes(target: ModelTarget, artifacts: number): number[] {
  const size = target.importMode === 'monolithic' ? artifacts : target.batchSize;
  const sizes: number[] = [];
  for (let left = artifacts; left > 0; left -= size) sizes.push(Math.min(size, left));
  return sizes;
}

export function simulate(input: SimulationInput): SimulationRecord {
  const { target, load, costs } = input;
  const agenda = new Agenda();
  const lock = new WriteLock(agenda);
  const random = seededRandom(input.seed);
  const dbThreads = new FifoSlots(target.executor === 'inline' ? 1 : target.poolSize);
  const writeQueue = target.scheduler === 'fifo' ? new FifoSlots(1) : null;
  const writerThreads = new FifoSlots(load.writerThreads);
  const busyErrors: SimulationRecord['busyErrors'] = {};
  const imports: ImportRecord[] = [];
  const requests: RequestRecord[] = [];
  const workflow: WorkflowRecord[] = [];
  let pending = 0;

  /** One leg of a thread hand-over (main thread to DB thread, or back): exponential around half the measured mean. */
  const handoverMs = () => -Math.log(1 - random()) * (costs.handoffMs / 2);

  function runTx(tx: TxSpec, begin: ModelTarget['begin'], timeoutMs: number, done: (outcome: TxOutcome) => void): void {
    const hold = (holdMs: number) =>
      agenda.after(holdMs, () => {
        lock.release(tx.owner);
        done({ ok: true });
      });
    const fail = (code: BusyCode) => {
      busyErrors[code] = (busyErrors[code] ?? 0) + 1;
      done({ ok: false, code });
    };
    const wait = (holdMs: number) =>
      takeWithBusyHandler(agenda, lock, { owner: tx.owner, kind: tx.kind, timeoutMs, sleepOvershootMs: costs.waitOvershootMs }, (outcome) =>
        outcome.ok ? hold(holdMs) : fail(outcome.code),
      );
    if (begin === 'immediate') return wait(tx.holdMs);
    if (!tx.readsFirst) return agenda.after(tx.beforeWriteMs, () => wait(Math.max(0, tx.holdMs - tx.beforeWriteMs)));
    agenda.after(tx.beforeWriteMs, () => {
      // The read just before the first write starts the snapshot the upgrade needs.
      const outcome = takeOnUpgrade(lock, tx.owner, tx.kind, agenda.nowMs);
      if (outcome.ok) hold(Math.max(0, tx.holdMs - tx.beforeWriteMs));
      else fail(outcome.code);
    });
  }

  /** A write of the target: its write queue (fifo), a DB thread, the transaction, and back to the main thread. */
  function targetWrite(tx: TxSpec, done: (outcome: TxOutcome) => void): void {
    const onThread = (answer: (outcome: TxOutcome) => void) =>
      dbThreads.enter(() => {
        const connectMs = target.connections === 'per-request' ? costs.connectionOpenMs : 0;
        agenda.after(handoverMs() + connectMs, () =>
          runTx(tx, target.begin, target.busyTimeoutMs, (outcome) => {
            dbThreads.leave();
            agenda.after(handoverMs(), () => answer(outcome));
          }),
        );
      });
    if (writeQueue === null) onThread(done);
    else
      writeQueue.enter(() =>
        onThread((outcome) => {
          writeQueue.leave();
          done(outcome);
        }),
      );
  }

  // The rate streams and the writers run until the imports have answered plus the tail.
  let importsAnswered = 0;
  let lastImportEndMs = Number.NEGATIVE_INFINITY;
  const streamsOpen = (atMs: number) => atMs <= load.maxDurationMs && !(importsAnswered === load.imports && atMs > lastImportEndMs + load.tailMs);

  function runImport(index: number): void {
    const owner = `import-${index}`;
    const startMs = agenda.nowMs;
    const sizes = batchSizes(target, load.artifacts);
    const results: boolean[] = [];
    pending += 1;
    const answer = () =>
      agenda.after(costs.importOverheadMs / 2, () => {
        pending -= 1;
        const committed = results.filter(Boolean).length;
        const status = committed === sizes.length ? 'completed' : committed === 0 ? 'failed' : 'partial';
        const timedOut = agenda.nowMs - startMs > load.importTimeoutMs;
        imports.push({
          startMs,
          endMs: timedOut ? startMs + load.importTimeoutMs : agenda.nowMs,
          status,
          ending: timedOut ? 'timeout' : status === 'completed' ? 'done' : 'error',
        });
        importsAnswered += 1;
        lastImportEndMs = Math.max(lastImportEndMs, agenda.nowMs);
      });
    const finish = () => {
      if (results.every(Boolean)) return answer();
      // A failed batch: one more short transaction records it (target/imports/service.ts).
      targetWrite({ owner, kind: 'import-job', holdMs: costs.batchBaseMs, beforeWriteMs: 0, readsFirst: false }, () => answer());
    };
    const writeBatch = (k: number, then: () => void) => {
      const timing = importTxTiming(target, costs, sizes[k]!);
      targetWrite({ owner, kind: target.importMode === 'monolithic' ? 'import' : 'import-batch', ...timing, readsFirst: true }, (outcome) => {
        results[k] = outcome.ok;
        then();
      });
    };
    agenda.after(costs.importOverheadMs / 2, () => {
      if (target.importMode !== 'staged') {
        const next = (k: number): void => (k < sizes.length ? writeBatch(k, () => next(k + 1)) : finish());
        next(0);
        return;
      }
      // Staged: preparation on the event loop, batch after batch; each batch is written once prepared
      // and once the batch before it is written (target/imports/strategies.ts).
      const stepMs = target.prepareMs > 0 ? target.prepareMs + costs.prepareOvershootMs : 0;
      let prepared = 0;
      let writing = false;
      let written = 0;
      const writeNext = (): void => {
        if (writing) return;
        if (written === sizes.length) return finish();
        if (written >= prepared) return;
        writing = true;
        writeBatch(written, () => {
          writing = false;
          written += 1;
          writeNext();
        });
      };
      let entries = 0;
      for (const size of sizes) {
        entries += size;
        agenda.after(entries * stepMs, () => {
          prepared += 1;
          writeNext();
        });
      }
    });
  }

  function catalogUpdate(sentMs: number): void {
    pending += 1;
    // The catalog's time outside the lock, less the two thread hand-overs the write path draws itself.
    const httpMs = Math.max(0, costs.catalogOverheadMs - costs.handoffMs) / 2;
    agenda.after(httpMs, () =>
      targetWrite({ owner: `catalog@${sentMs}`, kind: 'catalog-update', holdMs: costs.catalogHoldMs, beforeWriteMs: 0, readsFirst: true }, (outcome) =>
        agenda.after(httpMs, () => {
          pending -= 1;
          const timedOut = agenda.nowMs - sentMs > load.requestTimeoutMs;
          requests.push({
            stream: 'catalog',
            sentMs,
            endMs: timedOut ? sentMs + load.requestTimeoutMs : agenda.nowMs,
            ending: timedOut ? 'timeout' : outcome.ok ? 'done' : 'error',
          });
        }),
      ),
    );
  }

  function rateStream(rate: number, arrive: (atMs: number) => void): void {
    if (rate <= 0) return;
    const intervalMs = 1000 / rate;
    const next = (i: number) =>
      agenda.at(i * intervalMs, () => {
        if (!streamsOpen(agenda.nowMs)) return;
        arrive(agenda.nowMs);
        next(i + 1);
      });
    next(0);
  }

  function workflowWrites(): void {
    const intervalMs = 1000 / load.workflowRate;
    const firstMs = -WRITERS_LEAD_MS + random() * intervalMs;
    const next = (k: number) =>
      agenda.at(firstMs + k * intervalMs, () => {
        const scheduledMs = firstMs + k * intervalMs;
        if (!streamsOpen(scheduledMs)) return;
        pending += 1;
        writerThreads.enter(() =>
          agenda.after(costs.workflowOverheadMs / 2, () =>
            runTx({ owner: `writer@${k}`, kind: 'workflow-write', holdMs: costs.workflowHoldMs, beforeWriteMs: 0, readsFirst: false }, 'immediate', target.busyTimeoutMs, (outcome) => {
              writerThreads.leave();
              agenda.after(costs.workflowOverheadMs / 2, () => {
                pending -= 1;
                workflow.push({ scheduledMs, endMs: agenda.nowMs, ending: outcome.ok ? 'done' : 'error' });
              });
            }),
          ),
        );
        next(k + 1);
      });
    next(0);
  }

  // The agenda starts at the writers' first write; the driver's timeline starts at 0.
  agenda.nowMs = -WRITERS_LEAD_MS;
  if (load.workflowRate > 0) workflowWrites();
  for (let i = 0; i < load.imports; i++) agenda.at(0, () => runImport(i));
  rateStream(load.catalogRate, catalogUpdate);
  rateStream(load.readRate, (atMs) => requests.push({ stream: 'reads', sentMs: atMs, endMs: atMs, ending: 'done' }));
  agenda.runAll(load.maxDurationMs + Math.max(load.importTimeoutMs, load.requestTimeoutMs));
  return { holds: lock.holds, imports, requests, workflow, busyErrors, unfinished: pending };
}

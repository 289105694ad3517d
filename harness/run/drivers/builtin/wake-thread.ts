/**
 * A clock whose sleeps end within a fraction of a millisecond. Node's timers count whole milliseconds
 * on the loop's cached time: a timer often fires up to ~1 ms early and a further one waits out the
 * rest, so an arrival went out 0.75 ms late at the median and ~1.5 ms at the 99th percentile, even on
 * an idle machine. Here a small thread of its own keeps the wake-up times and sleeps on a futex
 * (`Atomics.wait`, microsecond timeouts) until the earliest; then it posts to the sleeping thread's
 * port, which wakes that thread's event loop at once. Neither thread spins: each wake-up costs one
 * message, as a timer costs one callback.
 */
import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import { epochNowMs } from '../../../shared/clock.ts';
import type { Clock } from './engine.ts';

/**
 * The wake thread, plain JavaScript so that it needs no loader. Wake-up times are on the monotonic
 * clock every thread of the process shares (process.hrtime), in ms; requests arrive on the port and
 * are read at once (receiveMessageOnPort) after the sender bumps the shared counter and notifies.
 */
const WAKE_THREAD_SOURCE = `
const { workerData, receiveMessageOnPort } = require('node:worker_threads');
const { port, counter } = workerData;
const flag = new Int32Array(counter);
const monotonicMs = () => Number(process.hrtime.bigint()) / 1e6;
const due = [];
for (;;) {
  const seen = Atomics.load(flag, 0);
  let message;
  while ((message = receiveMessageOnPort(port)) !== undefined) {
    if (message.message === null) process.exit(0);
    due.push(message.message);
  }
  due.sort((a, b) => a.atMs - b.atMs);
  const now = monotonicMs();
  let woken = 0;
  while (woken < due.length && due[woken].atMs <= now) port.postMessage(due[woken++].id);
  due.splice(0, woken);
  const waitMs = due.length === 0 ? Infinity : due[0].atMs - monotonicMs();
  if (waitMs > 0) Atomics.wait(flag, 0, seen, waitMs);
}
`;

export interface ThreadClock extends Clock {
  /**
   * Resolves once the wake thread runs (or has failed to start): a sleep asked for before then waits for
   * the thread's start-up, tens of ms, so a run awaits this before its first arrival is due.
   */
  ready(): Promise<void>;
  /** Ends the wake thread; sleeps still pending resolve at once. */
  close(): Promise<void>;
}

function monotonicMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

/** Epoch ms from harness/shared/clock.ts, and sleeps timed by a wake thread. */
export function createThreadClock(): ThreadClock {
  const counter = new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT);
  const flag = new Int32Array(counter);
  const channel = new MessageChannel();
  const port: MessagePort = channel.port1;
  const worker = new Worker(WAKE_THREAD_SOURCE, { eval: true, workerData: { port: channel.port2, counter }, transferList: [channel.port2] });
  const online = new Promise<void>((resolve) => {
    worker.once('online', resolve);
    worker.once('error', () => resolve());
    worker.once('exit', () => resolve());
  });
  // Neither the thread nor its port keeps the driver's thread alive while no sleep is pending.
  worker.unref();
  const pending = new Map<number, () => void>();
  let nextId = 0;
  let closed = false;
  port.on('message', (id: number) => {
    const resolve = pending.get(id);
    pending.delete(id);
    resolve?.();
    if (pending.size === 0) port.unref();
  });
  port.unref();
  const tell = (message: { id: number; atMs: number } | null) => {
    port.postMessage(message);
    Atomics.add(flag, 0, 1);
    Atomics.notify(flag, 0);
  };
  return {
    now: epochNowMs,
    ready: () => online,
    sleepUntil(epochMs, signal) {
      const remainingMs = epochMs - epochNowMs();
      if (closed || signal.aborted || remainingMs <= 0) return Promise.resolve();
      return new Promise((resolve) => {
        const id = nextId++;
        const finish = () => {
          signal.removeEventListener('abort', finish);
          pending.delete(id);
          resolve();
        };
        pending.set(id, finish);
        signal.addEventListener('abort', finish, { once: true });
        port.ref();
        tell({ id, atMs: monotonicMs() + remainingMs });
      });
    },
    async close() {
      if (closed) return;
      closed = true;
      for (const finish of [...pending.values()]) finish();
      const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
      tell(null);
      await exited;
      port.close();
    },
  };
}

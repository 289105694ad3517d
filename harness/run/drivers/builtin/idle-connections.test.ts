/**
 * The transport against a thread-per-connection target, served as gunicorn 20.1's gthread worker serves:
 * a few threads; each accepted connection takes one, which waits (with no time limit) for the
 * connection's first request and answers it; a connection idle between requests holds none, and its
 * next request waits for a free thread. A connection opened and left idle takes a thread away for as
 * long as it stays open, and one every thread waits on leaves the requests behind it unanswered.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createHttpTransport } from './http.ts';

type ConnectionState = 'waiting for a thread' | 'holding a thread' | 'idle';

interface ThreadPerConnectionTarget {
  baseUrl: string;
  /** Open connections that have not carried a request yet. */
  unused(): number;
  /**
   * Resolves true once `condition` holds (checked after every change of the target's state), false if
   * it still does not after `withinMs`: a bound for a failing run, not a wait a passing one depends on.
   */
  until(condition: () => boolean, withinMs: number): Promise<boolean>;
  close(): Promise<void>;
}

let target: ThreadPerConnectionTarget | undefined;
afterEach(async () => {
  await target?.close();
  target = undefined;
});

async function threadPerConnectionTarget(threads: number): Promise<ThreadPerConnectionTarget> {
  let free = threads;
  const queue: (() => void)[] = [];
  const state = new Map<Socket, ConnectionState>();
  const used = new WeakSet<Socket>();
  // Requests that arrived on a connection still waiting for its thread.
  const pending = new Map<Socket, () => void>();
  let watchers: (() => void)[] = [];
  const changed = () => {
    const now = watchers;
    watchers = [];
    for (const w of now) w();
  };
  const release = () => {
    const next = queue.shift();
    if (next) next();
    else free++;
    changed();
  };
  const acquire = (granted: () => void) => {
    if (free > 0) {
      free--;
      granted();
    } else queue.push(granted);
  };
  const waitForThread = (socket: Socket) => {
    state.set(socket, 'waiting for a thread');
    acquire(() => {
      if (socket.destroyed) return release();
      state.set(socket, 'holding a thread');
      const serve = pending.get(socket);
      pending.delete(socket);
      serve?.();
      changed();
    });
  };
  const server: Server = createServer((req, res) => {
    const socket = req.socket;
    used.add(socket);
    const serve = () => {
      res.on('finish', () => {
        state.set(socket, 'idle');
        release();
      });
      res.end('ok');
    };
    req.resume();
    req.on('end', () => {
      const now = state.get(socket);
      if (now === 'holding a thread') return serve();
      pending.set(socket, serve);
      if (now === 'idle') waitForThread(socket);
    });
  });
  server.on('connection', (socket: Socket) => {
    waitForThread(socket);
    socket.on('close', () => {
      // The thread reading a closed connection gets its end and is free again.
      if (state.get(socket) === 'holding a thread') release();
      state.delete(socket);
      pending.delete(socket);
      changed();
    });
    changed();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    unused: () => [...state.keys()].filter((s) => !used.has(s)).length,
    until: (condition, withinMs) =>
      new Promise((resolve) => {
        const timer = setTimeout(() => resolve(condition()), withinMs);
        const check = () => {
          if (!condition()) return watchers.push(check);
          clearTimeout(timer);
          resolve(true);
        };
        check();
      }),
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

const never = new AbortController().signal;
const get = { method: 'GET', path: '/', body: null, headers: {}, route: '/' };
/** Long enough for a busy machine; a request left without a thread runs it out. */
const TIMEOUT_MS = 10_000;

describe('the transport against a thread-per-connection target', () => {
  it('leaves no connection idle on the target once an answer is in', async () => {
    target = await threadPerConnectionTarget(2);
    const { unused, until } = target;
    // Two connections opened before the first send, as for two VUs starting at t0: each holds a thread.
    const transport = createHttpTransport(target.baseUrl, 4, { reserve: 2 });
    try {
      await transport.ready();
      expect(await until(() => unused() === 2, TIMEOUT_MS)).toBe(true);
      expect(await transport.send(get, TIMEOUT_MS, never)).toMatchObject({ status: 200, error: null });
      // The other one, and any opened in place of the one taken, would hold a thread for the whole run.
      expect(await until(() => unused() === 0, TIMEOUT_MS)).toBe(true);
      expect(await transport.send(get, TIMEOUT_MS, never)).toMatchObject({ status: 200, error: null });
      expect(unused()).toBe(0);
    } finally {
      await transport.close();
    }
  });

  // Against gunicorn 20.1 under the Django example's load, this left requests without an answer until their timeout.
  it('answers every request of bursts larger than the target\'s threads', async () => {
    target = await threadPerConnectionTarget(2);
    const transport = createHttpTransport(target.baseUrl, 8, { reserve: 3 });
    try {
      await transport.ready();
      for (let round = 0; round < 3; round++) {
        const answers = await Promise.all(Array.from({ length: 6 }, () => transport.send(get, TIMEOUT_MS, never)));
        expect(answers.map((a) => a.error)).toEqual(Array(6).fill(null));
        expect(answers.map((a) => a.status)).toEqual(Array(6).fill(200));
      }
    } finally {
      await transport.close();
    }
  });
});

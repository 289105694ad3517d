/**
 * Connections to the target opened before the load starts, for its first sends. undici connects when a
 * request finds every open connection busy, and the request's first byte goes out only once connected:
 * at a run's start every stream's first send paid for its connection. The reserve connects a socket per
 * first send ahead of t0 by undici's own connector and hands one over each time undici connects.
 *
 * It is spent, never refilled, and what is left of it is closed once the load is under way (http.ts):
 * a connection open with no request on it is not free for every server. A thread-per-connection
 * server gives each accepted connection a thread that waits for its first request (gunicorn 20.1's
 * gthread worker, Debian 12's, blocks a pool thread in that read with no time limit): each idle socket
 * held through a run takes a thread from the target, and a worker whose every thread waits on one
 * answers nothing at all, so requests that reach it time out. Refilled after each take, the seven of
 * the Django example's workload held up to seven of its twelve gunicorn threads, at the end all four of
 * one worker, whose queued requests then went unanswered until their 30 s timeout.
 */
import type { Socket } from 'node:net';
import { buildConnector } from 'undici';

export interface ConnectionReserve {
  /** undici's `connect` option: a reserved socket while one is left, else a new connection. */
  connect: buildConnector.connector;
  /** Resolves once the first sockets have connected (or failed to: requests then connect as without a reserve). */
  filled(): Promise<void>;
  /** Closes the sockets still in reserve (idempotent); from then on every connection is a new one. */
  close(): void;
}

/** The options undici's client passes its connector for `origin` (undici's client.js `connect`). */
function connectOptions(origin: URL): buildConnector.Options {
  const hostname = origin.hostname.startsWith('[') ? origin.hostname.slice(1, -1) : origin.hostname;
  return { hostname, host: origin.host, protocol: origin.protocol, port: origin.port };
}

/** Opens `size` connections to `baseUrl`'s origin ahead of need; `size` 0 opens none. */
export function createConnectionReserve(baseUrl: string, size: number, connector: buildConnector.connector = buildConnector({})): ConnectionReserve {
  const options = connectOptions(new URL(baseUrl));
  // Each reserved socket with its listener that drops it from the reserve when the target closes it.
  const reserved = new Map<Socket, () => void>();
  let closed = false;
  const open = () =>
    new Promise<void>((resolve) => {
      if (closed) return resolve();
      connector(options, (err, socket) => {
        if (err !== null || socket === null) return resolve();
        if (closed) socket.destroy();
        else {
          const drop = () => reserved.delete(socket);
          reserved.set(socket, drop);
          socket.once('close', drop);
        }
        resolve();
      });
    });
  const take = (): Socket | undefined => {
    for (const [socket, drop] of reserved) {
      reserved.delete(socket);
      socket.off('close', drop);
      if (!socket.destroyed) return socket;
    }
    return undefined;
  };
  const first = Promise.all(Array.from({ length: size }, open)).then(() => undefined);
  return {
    connect(requested, callback) {
      const socket = requested.protocol === options.protocol && requested.host === options.host ? take() : undefined;
      if (socket === undefined) {
        connector(requested, callback);
        return;
      }
      // undici's client must not be called back inside its own connect (it resumes its queue afterwards);
      // a microtask later, in the order the connections were asked for.
      queueMicrotask(() => callback(null, socket));
    },
    filled: () => first,
    close() {
      closed = true;
      for (const socket of reserved.keys()) socket.destroy();
      reserved.clear();
    },
  };
}

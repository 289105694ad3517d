/**
 * Connections to the target opened ahead of need. undici connects when a request finds every open
 * connection busy, and the request's first byte goes out only once connected: at a run's start every
 * stream's first send paid for its connection, and while a blocked target holds earlier requests every
 * catalog update paid for a new one (0.5-10 ms of send lag). The reserve keeps a few sockets connected
 * by undici's own connector and hands one over when undici connects; each one taken is replaced at once,
 * so the next need finds one too. An idle socket in the reserve costs the target nothing but a file
 * descriptor; one it closes leaves the reserve, and a request then connects as it would without one.
 */
import type { Socket } from 'node:net';
import { buildConnector } from 'undici';

export interface ConnectionReserve {
  /** undici's `connect` option: a reserved socket when one is open, else a new connection. */
  connect: buildConnector.connector;
  /** Resolves once the first sockets have connected (or failed to: requests then connect as without a reserve). */
  filled(): Promise<void>;
  /** Closes the sockets still in reserve and opens no more. */
  close(): void;
}

/** The options undici's client passes its connector for `origin` (undici's client.js `connect`). */
function connectOptions(origin: URL): buildConnector.Options {
  const hostname = origin.hostname.startsWith('[') ? origin.hostname.slice(1, -1) : origin.hostname;
  return { hostname, host: origin.host, protocol: origin.protocol, port: origin.port };
}

/** Keeps `size` connections to `baseUrl`'s origin open ahead of need; `size` 0 keeps none. */
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
      // The replacement connects after the sends in hand, not between them.
      setImmediate(() => void open());
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

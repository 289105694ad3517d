/** Connections opened ahead of need, against a local server that tells which connection each request came on. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildConnector } from 'undici';
import { createConnectionReserve } from './connection-reserve.ts';
import { createHttpTransport } from './http.ts';

let server: Server;
let baseUrl: string;
/** Every connection the server accepted, in order, by the client's port. */
let accepted: number[];
let onAccept: (() => void)[];
/** When set, the server closes every new connection at once. */
let refuseIdle: boolean;

beforeEach(async () => {
  accepted = [];
  onAccept = [];
  refuseIdle = false;
  server = createServer((req, res) => res.end(String(req.socket.remotePort)));
  server.on('connection', (socket: Socket) => {
    accepted.push(socket.remotePort!);
    if (refuseIdle) socket.destroy();
    for (const f of onAccept.splice(0)) f();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterEach(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

/** Resolves once the server has accepted `n` connections. */
function accepting(n: number): Promise<void> {
  return new Promise((resolve) => {
    const check = () => (accepted.length >= n ? resolve() : onAccept.push(check));
    check();
  });
}

const never = new AbortController().signal;
const get = { method: 'GET', path: '/', body: null, headers: {}, route: '/' };

describe('the connection reserve', () => {
  it('opens its connections before any request; the first request goes out on one of them', async () => {
    const transport = createHttpTransport(baseUrl, 4, { reserve: 2 });
    try {
      await transport.ready();
      await accepting(2);
      const opened = [...accepted];
      const answer = await transport.send(get, 5_000, never);
      expect(answer.status).toBe(200);
      expect(opened).toContain(Number(answer.body));
    } finally {
      await transport.close();
    }
  });

  it('opens none in place of one taken, and closes those still in reserve once the first request has ended', async () => {
    // Each connection the server accepted, by the client's port: whether it carried a request, whether it closed.
    const carried = new Set<number>();
    const closed = new Set<number>();
    server.on('request', (req: { socket: Socket }) => carried.add(req.socket.remotePort!));
    server.on('connection', (socket: Socket) => {
      const port = socket.remotePort!;
      socket.once('close', () => closed.add(port));
    });
    const idleOpen = () => accepted.filter((port) => !carried.has(port) && !closed.has(port));
    const transport = createHttpTransport(baseUrl, 4, { reserve: 3 });
    try {
      await transport.ready();
      await accepting(3);
      expect((await transport.send(get, 5_000, never)).status).toBe(200);
      await new Promise<void>((resolve) => {
        const check = () => (idleOpen().length === 0 ? resolve() : setImmediate(check));
        check();
      });
      expect((await transport.send(get, 5_000, never)).status).toBe(200);
      // Every connection ever opened either carried a request or is closed: none waits idle on the target.
      expect(idleOpen()).toEqual([]);
      expect(accepted.filter((port) => !carried.has(port)).every((port) => closed.has(port))).toBe(true);
    } finally {
      await transport.close();
    }
  });

  it('drops a connection the server closed, and the request connects anew', async () => {
    refuseIdle = true;
    const sockets: Socket[] = [];
    const connector = buildConnector({});
    const reserve = createConnectionReserve(baseUrl, 1, (options, callback) =>
      connector(options, (err, socket) => {
        if (socket) sockets.push(socket);
        callback(err as null, socket as Socket);
      }),
    );
    try {
      await reserve.filled();
      expect(sockets).toHaveLength(1);
      await new Promise((resolve) => (sockets[0]!.destroyed ? resolve(null) : sockets[0]!.once('close', resolve)));
      refuseIdle = false;
      const socket = await new Promise<Socket>((resolve, reject) =>
        reserve.connect({ hostname: '127.0.0.1', host: new URL(baseUrl).host, protocol: 'http:', port: new URL(baseUrl).port }, (err, s) => (err ? reject(err) : resolve(s as Socket))),
      );
      expect(socket).not.toBe(sockets[0]);
      expect(socket.destroyed).toBe(false);
      socket.destroy();
    } finally {
      reserve.close();
    }
  });

  it('keeps none when asked for none', async () => {
    const transport = createHttpTransport(baseUrl, 4);
    try {
      await transport.ready();
      expect(accepted).toHaveLength(0);
      expect((await transport.send(get, 5_000, never)).status).toBe(200);
      expect(accepted).toHaveLength(1);
    } finally {
      await transport.close();
    }
  });
});

/** The built-in driver's HTTP transport against a local server: answers, timeouts, refusals and resets are samples, not crashes. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HttpCall } from '../../../../scenarios/lib/requests.ts';
import { createHttpTransport, SEQUENCE_HEADER } from './http.ts';

let server: Server;
let baseUrl: string;
const seen: string[] = [];
beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push(String(req.headers[SEQUENCE_HEADER]));
    if (req.url === '/slow') return; // never answers
    if (req.url === '/reset') return req.socket.destroy();
    if (req.url === '/slow-body') {
      // The status line and the first half at once, the last byte 150 ms later.
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.write('{"ok":');
      setTimeout(() => res.end('true}'), 150);
      return;
    }
    if (req.url === '/busy') {
      res.writeHead(503, { 'Retry-After': '1' }).end('{"error":{"code":"SQLITE_BUSY"}}');
      return;
    }
    setTimeout(() => res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"ok":true}'), 20);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const get = (path: string): HttpCall => ({ method: 'GET', path, body: null, headers: {}, route: path });
const never = new AbortController().signal;

describe('the HTTP transport', () => {
  it('times an answer from the first byte sent to the last byte read', async () => {
    const transport = createHttpTransport(baseUrl, 4);
    const result = await transport.send(get('/ok'), 5_000, never);
    await transport.close();
    expect(result).toMatchObject({ status: 200, body: '{"ok":true}', error: null });
    expect(result.sentMs).not.toBeNull();
    expect(result.endMs - result.sentMs!).toBeGreaterThanOrEqual(15);
    expect(seen.at(-1)).toMatch(/^\d+-\d+$/);
  });

  it('ends the time at the last byte of the answer, not at its status line', async () => {
    const transport = createHttpTransport(baseUrl, 4);
    const result = await transport.send(get('/slow-body'), 5_000, never);
    await transport.close();
    expect(result).toMatchObject({ status: 200, body: '{"ok":true}', error: null });
    expect(result.endMs - result.sentMs!).toBeGreaterThanOrEqual(140);
  });

  it('takes the end when the answer is parsed, before the body is handed on', async () => {
    // A clock that counts its reads: the end is the read taken at the parser's completion event, so
    // reads made afterwards (as the body's stream and promises resolve) do not move it.
    let reads = 0;
    const counting = { now: () => ++reads, sleepUntil: () => Promise.resolve() };
    const transport = createHttpTransport(baseUrl, 4, { clock: counting });
    const result = await transport.send(get('/ok'), 5_000, never);
    const readsAfter = reads;
    await transport.close();
    expect(result.error).toBeNull();
    expect(result.sentMs).toBe(1);
    expect(result.endMs).toBe(2);
    expect(readsAfter).toBe(2);
  });

  it('records a 5xx as an answer with its status', async () => {
    const transport = createHttpTransport(baseUrl, 4);
    const result = await transport.send(get('/busy'), 5_000, never);
    await transport.close();
    expect(result).toMatchObject({ status: 503, error: null });
  });

  it('ends a request that outlives its timeout as a timeout with no answer', async () => {
    const transport = createHttpTransport(baseUrl, 4);
    const result = await transport.send(get('/slow'), 200, never);
    await transport.close();
    expect(result).toMatchObject({ status: 0, body: null, error: 'timeout' });
    expect(result.sentMs).not.toBeNull();
  });

  it('names a reset connection and a refused one', async () => {
    const transport = createHttpTransport(baseUrl, 4);
    expect(await transport.send(get('/reset'), 5_000, never)).toMatchObject({ status: 0, error: 'reset' });
    await transport.close();
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const refused = createHttpTransport(`http://127.0.0.1:${port}`, 1);
    const result = await refused.send(get('/ok'), 5_000, never);
    await refused.close();
    expect(result).toMatchObject({ status: 0, error: 'refused', sentMs: null });
  });

  it('records a request cancelled by the run as aborted', async () => {
    const transport = createHttpTransport(baseUrl, 4);
    const cancel = new AbortController();
    setTimeout(() => cancel.abort(), 100);
    const result = await transport.send(get('/slow'), 10_000, cancel.signal);
    await transport.close();
    expect(result).toMatchObject({ status: 0, error: 'aborted' });
  });
});

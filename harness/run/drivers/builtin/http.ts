/**
 * The built-in driver's HTTP transport on undici: a keep-alive connection pool sized to the run's
 * concurrency, and latency from the first byte sent to the last byte read, as k6 measures
 * `http_req_duration`. The send time is taken from undici's `undici:client:sendHeaders` diagnostics
 * channel, published when a request's headers are written to its socket, so neither a wait for a free
 * connection nor connecting counts as latency; the end from `undici:request:trailers`, published when
 * the answer's last byte is parsed. Each request carries a sequence header to find its event.
 */
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { epochNowMs } from '../../../shared/clock.ts';
import { Agent, request } from 'undici';
import type { HttpCall } from '../../../../scenarios/lib/requests.ts';
import { createConnectionReserve } from './connection-reserve.ts';
import type { Clock, Transport, TransportResult } from './engine.ts';

/** The header that ties a request to its send event. */
export const SEQUENCE_HEADER = 'x-lockbench-seq';
const SEND_HEADERS_CHANNEL = 'undici:client:sendHeaders';
const COMPLETE_CHANNEL = 'undici:request:trailers';
/** How long an idle keep-alive connection is kept, in ms. */
const KEEP_ALIVE_MS = 30_000;

/** Client error codes as samples name them: undici's and the socket's codes folded into a few classes. */
export function classifyClientError(err: unknown, cancelled: boolean): string {
  if (cancelled) return 'aborted';
  const e = err as { name?: string; code?: string; cause?: { code?: string } };
  if (e?.name === 'TimeoutError') return 'timeout';
  const code = e?.code ?? e?.cause?.code ?? '';
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'ETIMEDOUT') return 'timeout';
  if (code === 'ECONNREFUSED') return 'refused';
  if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'UND_ERR_SOCKET' || code === 'UND_ERR_CLOSED') return 'reset';
  return code === '' ? (e?.name ?? 'error') : code;
}

export interface HttpTransport extends Transport {
  /** Resolves once the connections kept ahead of need have connected: await it before the first send is due. */
  ready(): Promise<void>;
  close(): Promise<void>;
}

/** Options of {@link createHttpTransport}; every field is optional. */
export interface HttpTransportOptions {
  /** The clock send and end times are read on. Default: harness/shared/clock.ts. */
  clock?: Pick<Clock, 'now'>;
  /**
   * Connections opened before the first send, for the sends that go out before any answer is in
   * (connection-reserve.ts); those left when the first request ends are closed. Default 0: connect when needed.
   */
  reserve?: number;
}

let transports = 0;

/** A transport to `baseUrl` with at most `connections` keep-alive connections. */
export function createHttpTransport(baseUrl: string, connections: number, options: HttpTransportOptions = {}): HttpTransport {
  const clock = options.clock ?? { now: epochNowMs };
  const reserve = createConnectionReserve(baseUrl, Math.min(connections, options.reserve ?? 0));
  const agent = new Agent({ connections, keepAliveTimeout: KEEP_ALIVE_MS, pipelining: 1, connect: reserve.connect });
  // Several transports may share a thread (and the channels): sequence values are unique per transport.
  const prefix = `${++transports}-`;
  const sentAt = new Map<string, number>();
  const completedAt = new Map<string, number>();
  // undici's request objects of this transport's requests, to their sequence values.
  const sequenceOf = new WeakMap<object, string>();
  const onSendHeaders = (message: unknown) => {
    const now = clock.now();
    const request = (message as { request?: { headers?: unknown } }).request;
    const headers = request?.headers;
    if (!Array.isArray(headers)) return;
    for (let i = 0; i < headers.length; i += 2) {
      if (String(headers[i]).toLowerCase() === SEQUENCE_HEADER) {
        const seq = String(headers[i + 1]);
        if (!seq.startsWith(prefix)) return;
        sentAt.set(seq, now);
        sequenceOf.set(request!, seq);
        return;
      }
    }
  };
  // Published when the parser has read the answer's last byte, before the body's stream and promises
  // hand it on: the end of the service time, as the send event is its start.
  const onComplete = (message: unknown) => {
    const now = clock.now();
    const request = (message as { request?: object }).request;
    const seq = request === undefined ? undefined : sequenceOf.get(request);
    if (seq !== undefined) completedAt.set(seq, now);
  };
  subscribe(SEND_HEADERS_CHANNEL, onSendHeaders);
  subscribe(COMPLETE_CHANNEL, onComplete);
  let sequence = 0;
  // Each request's own controller, and the run's signal that cancels it. One listener per run signal
  // aborts them all: per request, AbortSignal.any with AbortSignal.timeout cost ~25 us of CPU (and a
  // timer kept alive for the whole timeout), a tenth of a request's cost on a bare route.
  const inFlight = new Map<AbortController, AbortSignal>();
  const watched = new WeakSet<AbortSignal>();
  const watch = (cancel: AbortSignal) => {
    if (watched.has(cancel)) return;
    watched.add(cancel);
    cancel.addEventListener(
      'abort',
      () => {
        for (const [controller, signal] of inFlight) if (signal === cancel) controller.abort(cancel.reason);
      },
      { once: true },
    );
  };

  return {
    async send(call: HttpCall, timeoutMs: number, cancel: AbortSignal): Promise<TransportResult> {
      const seq = `${prefix}${++sequence}`;
      const controller = new AbortController();
      if (cancel.aborted) controller.abort(cancel.reason);
      else {
        watch(cancel);
        inFlight.set(controller, cancel);
      }
      const timer = setTimeout(() => controller.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError')), timeoutMs);
      const signal = controller.signal;
      let status = 0;
      let body: string | null = null;
      let error: string | null = null;
      try {
        const res = await request(`${baseUrl}${call.path}`, {
          method: call.method,
          headers: { ...call.headers, [SEQUENCE_HEADER]: seq },
          body: call.body,
          dispatcher: agent,
          signal,
          // The request's own timeout (the signal) bounds it; undici's defaults would cut it at 300 s.
          headersTimeout: 0,
          bodyTimeout: 0,
        });
        status = res.statusCode;
        body = await res.body.text();
      } catch (err) {
        error = classifyClientError(err, cancel.aborted);
      } finally {
        clearTimeout(timer);
        inFlight.delete(controller);
        // A request has ended, so a connection is free again: from here on the load finds its connections
        // in the pool, and a reserved socket left idle would only hold a thread of a thread-per-connection
        // target (connection-reserve.ts).
        reserve.close();
      }
      const endMs = (error === null ? completedAt.get(seq) : undefined) ?? clock.now();
      const sentMs = sentAt.get(seq) ?? null;
      sentAt.delete(seq);
      completedAt.delete(seq);
      // A request that failed has no answer, even when its status line had arrived.
      return { status: error === null ? status : 0, body: error === null ? body : null, sentMs, endMs, error };
    },
    ready: () => reserve.filled(),
    async close() {
      reserve.close();
      unsubscribe(SEND_HEADERS_CHANNEL, onSendHeaders);
      unsubscribe(COMPLETE_CHANNEL, onComplete);
      await agent.close().catch(() => agent.destroy());
    },
  };
}

/** Most requests sent to warm a transport up before a run: enough for the JIT to compile the send path. */
export const MAX_WARM_UP_REQUESTS = 200;

/**
 * Sends requests through a transport of its own to a responder in this thread on 127.0.0.1, never to
 * the target. The first requests of a thread compile undici's HTTP parser (WebAssembly) and its send
 * path: tens of ms in which a run's first arrivals went out late.
 */
export async function warmUpTransport(requests = MAX_WARM_UP_REQUESTS): Promise<void> {
  const { createServer } = await import('node:http');
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}'));
  });
  server.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const { port } = server.address() as { port: number };
  const transport = createHttpTransport(`http://127.0.0.1:${port}`, 1);
  const signal = new AbortController().signal;
  try {
    for (let i = 0; i < requests; i++) {
      await transport.send({ method: 'PATCH', path: `/warm-up/${i}`, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ status: 'published', title: `warm-up ${i}` }), route: 'warm-up' }, 5_000, signal);
    }
  } finally {
    await transport.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

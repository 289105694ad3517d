/**
 * k6/http's request, synchronous as k6's is: each request is sent by a Node child process (fetch) while
 * this thread waits, so a test's target in another thread answers it. Records `http_req_duration` with
 * the VU's metadata, as k6 does.
 */
import { execFileSync } from 'node:child_process';
import { fake } from './state.ts';

const SEND = `
const input = JSON.parse(require('node:fs').readFileSync(0, 'utf8'));
const started = performance.now();
fetch(input.url, { method: input.method, headers: input.headers, body: input.body ?? undefined, signal: AbortSignal.timeout(input.timeoutMs) })
  .then(async (res) => ({ status: res.status, body: await res.text() }), () => ({ status: 0, body: null }))
  .then((answer) => process.stdout.write(JSON.stringify({ ...answer, duration: performance.now() - started })));
`;

interface Params {
  headers?: Record<string, string>;
  timeout?: string;
  tags?: Record<string, string>;
}

function request(method: string, url: string, body: string | null, params: Params = {}) {
  const timeoutMs = Number(/^(\d+)ms$/.exec(params.timeout ?? '60000ms')?.[1] ?? 60_000);
  const out = execFileSync(process.execPath, ['-e', SEND], { input: JSON.stringify({ method, url, body, headers: params.headers ?? {}, timeoutMs }), encoding: 'utf8' });
  const answer = JSON.parse(out) as { status: number; body: string | null; duration: number };
  fake.samples.push({ metric: 'http_req_duration', value: answer.duration, tags: { ...params.tags, scenario: fake.scenario.name, status: String(answer.status) }, metadata: { ...fake.metadata } });
  return { status: answer.status, body: answer.body, timings: { duration: answer.duration } };
}

export default { request };

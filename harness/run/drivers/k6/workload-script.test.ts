/**
 * A workload's k6 script, without k6: it parses as JavaScript, carries the workload's executors as
 * options.scenarios and one function per request stream, and, run under a fake of k6's modules against a
 * real target on 127.0.0.1, sends the requests the built-in driver would send and records each answer's
 * class where the harness reads it back.
 */
import { execFileSync } from 'node:child_process';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { k6WorkloadPlan } from '../../../plan/workload/k6.ts';
import { loadWorkload, parseWorkload } from '../../../plan/workload/load.ts';
import { renderRequest } from '../../../plan/workload/render.ts';
import type { HttpAction, Workload } from '../../../model/workload-plan.ts';
import { DOC_DIR, shop } from '../../../plan/workload/testing/bad-workloads.ts';
import type { RecordedSample } from './testing/fake-k6/state.ts';
import { runScriptFunctions, type ScriptCall } from './testing/run-script.ts';
import { workloadRecordsFromK6Csv } from './workload-answers.ts';
import { ANSWER_METRIC, META } from './workload-protocol.ts';
import { k6WorkloadScript, scriptWorkload } from './workload-script.ts';

const file = (path: string) => fileURLToPath(new URL(`../../../../${path}`, import.meta.url));
const GENERATORS = file('harness/run/drivers/k6/fixtures/generators.workload.yaml');

/** Every workload the project ships or documents, by where it is. */
const WORKLOADS: Record<string, () => Workload> = {
  'examples/django-gunicorn': () => loadWorkload(file('examples/django-gunicorn/workload.yaml')).workload,
  'examples/fastapi-sqlalchemy': () => loadWorkload(file('examples/fastapi-sqlalchemy/workload.yaml')).workload,
  'examples/node-cluster': () => loadWorkload(file('examples/node-cluster/workload.yaml')).workload,
  'scenarios/concurrent.workload.json': () => loadWorkload(file('scenarios/concurrent.workload.json')).workload,
  'the shop of docs/workload.md': () => parseWorkload(shop(), 'shop', DOC_DIR).workload,
  'fixtures/generators.workload.yaml': () => loadWorkload(GENERATORS).workload,
};

const httpNames = (w: Workload) => w.streams.filter((s) => s.action.kind === 'http').map((s) => s.name);

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'lockbench-k6-workload-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.each(Object.entries(WORKLOADS))('the k6 script of %s', (name, load) => {
  const workload = load();
  const plan = k6WorkloadPlan(workload);

  it('maps its request streams, parses as JavaScript and exports one function per request stream with the scenarios', { timeout: 60_000 }, async () => {
    // The seed's SQL stream, the built-in target's own procedure, is the side writers' (refused on a described target when the run is planned).
    expect(plan.issues).toEqual([]);
    const script = await k6WorkloadScript(workload, plan, name);
    const path = join(dir, `${name.replace(/[^A-Za-z0-9]+/g, '-')}.mjs`);
    writeFileSync(path, script);
    // Node's own parser: throws (and fails the test) on a syntax error.
    execFileSync(process.execPath, ['--check', path]);
    expect(script).toMatch(/^\/\/ The workload /);
    expect(script).not.toMatch(/from ["'](?!k6)/);
    const run = await runScriptFunctions(script, { BASE_URL: 'http://127.0.0.1:9' }, []);
    // setup() says when k6 starts the scenarios: the SQL streams beside k6 start from it.
    expect(run.functions.sort()).toEqual([...Object.values(plan.exec), 'handleSummary', 'setup'].sort());
    const options = run.options as { scenarios: Record<string, { exec: string; executor: string }>; maxRedirects: number };
    expect(Object.keys(options.scenarios)).toEqual(httpNames(workload));
    for (const stream of httpNames(workload)) {
      expect(options.scenarios[stream]).toEqual(plan.scenarios[stream]);
      expect(options.scenarios[stream]!.exec).toBe(plan.exec[stream]);
      expect(options.scenarios[stream]!.executor).toBe(workload.streams.find((s) => s.name === stream)!.executor.type);
    }
    expect(options.maxRedirects).toBe(0);
  });
});

describe('options.scenarios of the workloads', () => {
  it('stop k6 from the harness where a stream ends after another one\'s iterations (the examples and the seed)', () => {
    for (const name of ['examples/django-gunicorn', 'examples/fastapi-sqlalchemy', 'examples/node-cluster']) {
      const plan = k6WorkloadPlan(WORKLOADS[name]!());
      expect(plan.stop, name).toEqual({ stream: 'source-imports', iterations: 5, tailMs: 1_000 });
      expect(plan.scenarios['source-imports']).toMatchObject({ executor: 'per-vu-iterations', vus: 5, iterations: 1, maxDuration: '120000ms', startTime: '0ms' });
      expect(plan.scenarios['catalog-edits']).toMatchObject({ executor: 'constant-arrival-rate', rate: 20, timeUnit: '1000ms', duration: '120000ms', startTime: '0ms' });
      expect(plan.scenarios['artifact-listing']).toMatchObject({ executor: 'constant-arrival-rate', rate: 5, duration: '120000ms' });
      expect(plan.scenarios).not.toHaveProperty('workflow-executions');
    }
    const seed = k6WorkloadPlan(WORKLOADS['scenarios/concurrent.workload.json']!());
    expect(seed.stop).toEqual({ stream: 'imports', iterations: 5, tailMs: 1_000 });
    // The workflow writers end after the imports: told once their five iteration-done lines are read.
    expect(seed.streamEnds).toEqual([{ stream: 'imports', iterations: 5 }]);
    expect(seed.exec).toEqual({ imports: 'stream_imports', catalog: 'stream_catalog', reads: 'stream_reads' });
    expect(seed.scenarios.catalog).toMatchObject({ rate: 20, duration: '120000ms', gracefulStop: '65000ms' });
  });

  it('give every stream its own end where one can be worked out: durations, a later start, a ramp', () => {
    const shopPlan = k6WorkloadPlan(WORKLOADS['the shop of docs/workload.md']!());
    expect(shopPlan.stop).toBeNull();
    expect(shopPlan.exec).toEqual({ orders: 'stream_orders', restocks: 'stream_restocks', 'product-reads': 'stream_product_reads' });
    expect(shopPlan.scenarios.restocks).toMatchObject({ executor: 'constant-arrival-rate', rate: 1, timeUnit: '2000ms', duration: '60000ms' });
    const plan = k6WorkloadPlan(WORKLOADS['fixtures/generators.workload.yaml']!());
    expect(plan.stop).toBeNull();
    expect(plan.scenarios.browse).toMatchObject({
      executor: 'ramping-arrival-rate',
      startRate: 1,
      startTime: '2000ms',
      stages: [{ target: 5, duration: '4000ms' }, { target: 0, duration: '2000ms' }],
      maxVUs: 10,
    });
    // Ends 2 s after orders (10 s from the start), having started at 1 s: it runs 11 s, not its 30 s.
    expect(plan.scenarios.checkout).toMatchObject({ executor: 'constant-vus', vus: 2, startTime: '1000ms', duration: '11000ms' });
  });
});

describe('what k6 cannot run, refused at its field', () => {
  const withImports = () => {
    const w = shop();
    w.streams.imports = { executor: 'per-vu-iterations', vus: 2, request: { method: 'POST', path: '/imports' } };
    return w;
  };

  it('a stream cut by the stop another stream needs, a ramp that should end after another, two different stops, a chain', () => {
    const w = withImports();
    w.streams.orders.endsAfter = { stream: 'imports', tail: '1s' };
    w.streams.restocks.endsAfter = { stream: 'imports', tail: '3s' };
    w.streams['product-reads'] = { executor: 'ramping-arrival-rate', stages: [{ target: 5, duration: '10s' }], endsAfter: { stream: 'orders' }, request: { method: 'GET', path: '/p' } };
    w.streams.browse = { executor: 'constant-vus', vus: 1, duration: '10s', endsAfter: { stream: 'orders' }, request: { method: 'GET', path: '/b' } };
    const issues = k6WorkloadPlan(parseWorkload(w, 'shop', DOC_DIR).workload).issues;
    expect(issues.map((i) => i.path)).toEqual(['streams.restocks.endsAfter', 'streams.product-reads.endsAfter', 'streams.browse.endsAfter.stream']);
    expect(issues[0]!.message).toMatch(/k6 is stopped once, when "imports" has answered plus 1000 ms/);
    expect(issues[1]!.message).toMatch(/ramping-arrival-rate stream ends with its stages/);
    expect(issues[2]!.message).toMatch(/"orders" ends when its iterations have answered/);
  });

  it('a stream with its own duration that stopping k6 for another would cut', () => {
    const w = withImports();
    w.streams.orders.endsAfter = { stream: 'imports' };
    const issues = k6WorkloadPlan(parseWorkload(w, 'shop', DOC_DIR).workload).issues;
    expect(issues.map((i) => i.path)).toEqual(['streams.restocks', 'streams.product-reads']);
    expect(issues[0]!.message).toMatch(/would cut this stream/);
  });

  it("an SQL stream's later start, its deferred transactions and a request stream's later start run beside k6", () => {
    const w = shop();
    w.streams.orders.startTime = '5s';
    w.streams.report.startTime = '5s';
    w.streams.report.sql.transaction = 'deferred';
    const plan = k6WorkloadPlan(parseWorkload(w, 'shop', DOC_DIR).workload);
    expect(plan.issues).toEqual([]);
    expect(plan.streamEnds).toEqual([]);
  });

  it('an SQL stream ends after a stream whose end the harness learns beside k6, and is refused after one it cannot', () => {
    const w = withImports();
    // After a stream of a duration: its end worked out before the run (a later start plus its 60 s).
    w.streams.orders.startTime = '2s';
    w.streams.report.endsAfter = { stream: 'orders', tail: '1s' };
    // After an SQL stream, and after a per-vu-iterations stream: its iterations' done lines.
    w.streams.audit = { executor: 'constant-arrival-rate', rate: 1, duration: '60s', endsAfter: { stream: 'report' }, sql: { hold: '10ms' } };
    w.streams.sweep = { executor: 'constant-arrival-rate', rate: 1, duration: '60s', endsAfter: { stream: 'imports' }, sql: { hold: '10ms' } };
    const workload = parseWorkload(w, 'shop', DOC_DIR).workload;
    const plan = k6WorkloadPlan(workload);
    expect(plan.issues).toEqual([]);
    expect(plan.streamEnds).toEqual([{ stream: 'orders', atMs: 62_000 }, { stream: 'imports', iterations: 2 }]);
    // The script prints the imports' iteration-done lines, for the harness to count, although no request stream ends after them.
    expect(plan.stop).toBeNull();
    expect(scriptWorkload(workload, plan).streams.imports!.followed).toBe(true);
    expect(scriptWorkload(workload, plan).streams.orders!.followed).toBe(false);

    // After a request stream that itself ends after another's iterations: k6 does not say when that is.
    w.streams.restocks.endsAfter = { stream: 'imports' };
    w.streams.orders.endsAfter = { stream: 'imports' };
    w.streams['product-reads'].endsAfter = { stream: 'imports' };
    w.streams.report.endsAfter = { stream: 'restocks', tail: '1s' };
    const refused = k6WorkloadPlan(parseWorkload(w, 'shop', DOC_DIR).workload).issues;
    expect(refused.map((i) => i.path)).toEqual(['streams.report.endsAfter.stream']);
    expect(refused[0]!.message).toMatch(/k6 does not tell when "restocks" ends/);
  });
});

describe('a request stream that ends after an SQL stream, under k6', () => {
  it("takes the SQL stream's end worked out before the run as its duration, through a chain of SQL streams", () => {
    const w = shop();
    // The report writes from 2 s for 10 s (ends at 12 s); the audit ends 1 s after it (13 s).
    w.streams.report.startTime = '2s';
    w.streams.report.duration = '10s';
    w.streams.audit = { executor: 'constant-arrival-rate', rate: 1, duration: '60s', endsAfter: { stream: 'report', tail: '1s' }, sql: { hold: '10ms' } };
    w.streams.orders.endsAfter = { stream: 'report', tail: '500ms' };
    w.streams.orders.startTime = '1s';
    w.streams['product-reads'].endsAfter = { stream: 'audit', tail: '2s' };
    const plan = k6WorkloadPlan(parseWorkload(w, 'shop', DOC_DIR).workload);
    expect(plan.issues).toEqual([]);
    expect(plan.stop).toBeNull();
    // From its own start at 1 s to 12.5 s; from 0 to 15 s; restocks keep their 60 s.
    expect(plan.scenarios.orders).toMatchObject({ startTime: '1000ms', duration: '11500ms' });
    expect(plan.scenarios['product-reads']).toMatchObject({ startTime: '0ms', duration: '15000ms' });
    expect(plan.scenarios.restocks).toMatchObject({ duration: '60000ms' });
  });

  it('is refused at its field when the SQL stream ends after a stream whose end depends on answers', () => {
    const w = shop();
    w.streams.imports = { executor: 'per-vu-iterations', vus: 2, request: { method: 'POST', path: '/imports' } };
    w.streams.report.endsAfter = { stream: 'imports', tail: '1s' };
    w.streams.orders.endsAfter = { stream: 'report' };
    const issues = k6WorkloadPlan(parseWorkload(w, 'shop', DOC_DIR).workload).issues;
    expect(issues.map((i) => i.path)).toEqual(['streams.orders.endsAfter.stream']);
    expect(issues[0]!.message).toMatch(/k6 cannot be told when the SQL stream "report" ends: it ends after "imports"/);
  });
});

/** A recording target: each request's method, path, headers and JSON body; orders answered by their iteration. */
function startRecorder(): Promise<{ server: Server; url: string; seen: { method: string; url: string; headers: IncomingMessage['headers']; body: unknown }[] }> {
  const seen: { method: string; url: string; headers: IncomingMessage['headers']; body: unknown }[] = [];
  const server = createServer((req, res) => {
    let text = '';
    req.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
    req.on('end', () => {
      seen.push({ method: req.method!, url: req.url!, headers: req.headers, body: text === '' ? null : JSON.parse(text) });
      // The second order meets a locked database; every other one stores its two lines.
      if (req.url!.startsWith('/orders/') && req.headers['x-order'] === 'order-001') {
        res.writeHead(500, { 'content-type': 'text/plain' }).end('OperationalError: database is locked');
      } else if (req.url!.startsWith('/orders/')) {
        res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ stored: 2 }));
      } else {
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      }
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen })));
}

/** Recorded samples written as k6 writes its CSV (the columns the harness reads, metadata as key=value&...). */
function asK6Csv(samples: readonly RecordedSample[], streamOf: (s: RecordedSample) => string): string {
  const header = 'metric_name,timestamp,metric_value,check,error,error_code,expected_response,group,method,name,proto,scenario,service,status,subproto,tls_version,url,extra_tags,metadata';
  const pairs = (r: Record<string, unknown>) => Object.entries(r).map(([k, v]) => `${k}=${String(v)}`).join('&');
  const rows = samples.map((s, i) => {
    const { status = '', ...extra } = s.tags;
    const isRequest = s.metric === 'http_req_duration';
    return [s.metric, 1_800_000_000_000_000 + i * 1000, Number(s.value).toFixed(6), '', '', '', '', '', '', '', '', streamOf(s), '', isRequest ? status : '', '', '', '', isRequest ? '' : pairs(extra), pairs(s.metadata)].join(',');
  });
  return [header, ...rows].join('\n');
}

describe('the script run under a fake k6 against a real target on 127.0.0.1', () => {
  it('sends the requests the built-in driver renders, its values drawn inside the script, and records each answer\'s class', { timeout: 120_000 }, async () => {
    const workload = WORKLOADS['fixtures/generators.workload.yaml']!();
    const plan = k6WorkloadPlan(workload);
    const script = await k6WorkloadScript(workload, plan, GENERATORS);
    const recorder = await startRecorder();
    try {
      const calls: ScriptCall[] = [
        ...[0, 1, 2, 3].map((n) => ({ stream: 'orders', exec: plan.exec.orders!, n })),
        ...[0, 1].map((n) => ({ stream: 'browse', exec: plan.exec.browse!, n })),
        { stream: 'checkout', exec: plan.exec.checkout!, n: 5 },
      ];
      const run = await runScriptFunctions(script, { BASE_URL: recorder.url }, calls);

      expect(recorder.seen).toHaveLength(calls.length);
      calls.forEach((call, i) => {
        const action = workload.streams.find((s) => s.name === call.stream)!.action as HttpAction;
        const expected = renderRequest(action, workload.seed, call.stream, call.n);
        const got = recorder.seen[i]!;
        expect(got.method).toBe(expected.method);
        expect(got.url).toBe(expected.path);
        expect(got.body).toEqual(expected.body);
        for (const [k, v] of Object.entries(expected.headers)) expect(got.headers[k.toLowerCase()]).toBe(v);
      });
      // The values are drawn per iteration: a sequence, a pick in turn, CSV rows in turn, a UUID, a list.
      const orders = recorder.seen.slice(0, 4).map((r) => r.body as Record<string, unknown>);
      expect(orders.map((b) => b.number)).toEqual([100, 110, 120, 100]);
      expect(orders.map((b) => b.colour)).toEqual(['red', 'green', 'blue', 'red']);
      expect(orders.map((b) => (b.customer as { id: string }).id)).toEqual(['c-1', 'c-2', 'c-3', 'c-1']);
      expect((orders[0]!.customer as { city: string }).city).toBe('Paris, France');
      expect(orders.every((b) => Array.isArray(b.lines) && b.lines.length === 2)).toBe(true);
      const refs = recorder.seen.slice(0, 4).map((r) => new URL(r.url, 'http://x').searchParams.get('ref'));
      for (const ref of refs) expect(ref).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(new Set(refs).size).toBe(4);
      expect(recorder.seen[6]!.url).toBe('/carts/5');

      // One answer sample per request, tagged with its class, joined to its request by the iteration.
      const answers = run.samples.filter((s) => s.metric === ANSWER_METRIC);
      expect(answers.map((a) => [a.tags.outcome, a.tags.lock_failure, a.metadata[META.iteration], a.metadata[META.acknowledged]])).toEqual([
        ['success', '', 0, 2],
        ['lock-error', 'fast', 1, undefined],
        ['success', '', 2, 2],
        ['success', '', 3, 2],
        ['success', '', 0, undefined],
        ['success', '', 1, undefined],
        ['success', '', 5, undefined],
      ]);
      const requests = run.samples.filter((s) => s.metric === 'http_req_duration');
      expect(requests.map((r) => r.metadata[META.iteration])).toEqual(calls.map((c) => c.n));
      expect(requests.every((r) => r.metadata[META.acknowledged] === undefined)).toBe(true);

      // The harness reads them back from k6's CSV as the built-in driver's answers.
      const streamOf = (s: RecordedSample) => (s.metric === 'http_req_duration' ? s.tags.scenario! : calls[answers.indexOf(s)]!.stream);
      const csvRows = run.samples.filter((s) => s.metric === 'http_req_duration' || s.metric === ANSWER_METRIC);
      const records = workloadRecordsFromK6Csv(asK6Csv(csvRows, streamOf));
      expect(records.unclassified).toBe(0);
      expect(records.samples.map((s) => [s.stream, s.status])).toEqual(calls.map((c, i) => [c.stream, i === 1 ? 500 : c.stream === 'orders' ? 201 : 200]));
      expect(records.answers.map((a) => [a.stream, a.outcome, a.lockFailure, a.acknowledged])).toEqual([
        ['orders', 'success', null, 2],
        ['orders', 'lock-error', 'fast', null],
        ['orders', 'success', null, 2],
        ['orders', 'success', null, 2],
        ['browse', 'success', null, null],
        ['browse', 'success', null, null],
        ['checkout', 'success', null, null],
      ]);
    } finally {
      await new Promise((resolve) => recorder.server.close(resolve));
    }
  });
});

import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_IMPORT_ENTRIES } from '../options.ts';
import { MAX_CHILDREN, MAX_ID_LENGTH, MAX_NAME_LENGTH } from './schemas.ts';
import { countRows, footprint, makeEntries, postImport, startTarget, type TestTarget } from '../testing/support.ts';

let t: TestTarget;
beforeAll(async () => {
  t = await startTarget({ prepareMs: 0, writeMs: 0 });
});
afterAll(() => t.close());

const typed = (method: string, contentType: string | undefined, body: RequestInit['body']): RequestInit => ({
  method,
  headers: contentType === undefined ? {} : { 'content-type': contentType },
  body,
});
const json = (method: string, body: unknown) => typed(method, 'application/json', typeof body === 'string' ? body : JSON.stringify(body));
const entries = makeEntries(3);
const one = entries[1]!;
const IMPORT = '/api/marketplace/sources/src-1/import';
const importWith = (body: unknown, query = '') => ({ path: `${IMPORT}${query}`, init: json('POST', body) });
const importEntry = (patch: Record<string, unknown>) => importWith({ entries: [{ ...one, ...patch }] });
const long = (n: number) => 'x'.repeat(n);
/** A body streamed without Content-Length, so the limit must be enforced while reading. */
function chunked(bytes: number): RequestInit {
  const chunk = new Uint8Array(64 * 1024).fill(0x20);
  let sent = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent >= bytes) return controller.close();
      sent += chunk.length;
      controller.enqueue(chunk);
    },
  });
  return { method: 'POST', headers: { 'content-type': 'application/json' }, body, duplex: 'half' } as RequestInit;
}

interface Case {
  name: string;
  path: string;
  init?: RequestInit;
  status: number;
  code?: string;
  message: RegExp;
  allow?: string;
}

let executionId = '';

/** Every class of bad input, one or more cases each; see target/BAD-INPUT.md. */
const cases = (): Case[] => [
  // The body as bytes: parse errors, content type, size.
  { name: 'import: malformed JSON', ...importWith('{"entries": ['), status: 400, code: 'MALFORMED_JSON', message: /expected a JSON object .* not valid JSON/ },
  { name: 'import: trailing garbage', ...importWith('{"entries": []} x'), status: 400, code: 'MALFORMED_JSON', message: /not valid JSON/ },
  { name: 'import: empty body', ...importWith(''), status: 400, code: 'EMPTY_BODY', message: /expected a JSON object/ },
  { name: 'import: blank body', ...importWith(' \n '), status: 400, code: 'EMPTY_BODY', message: /expected a JSON object/ },
  { name: 'import: text/plain', path: IMPORT, init: typed('POST', 'text/plain', JSON.stringify({ entries })), status: 415, code: 'UNSUPPORTED_MEDIA_TYPE', message: /expected a JSON body with Content-Type: application\/json.*text\/plain/ },
  { name: 'import: no content type', path: IMPORT, init: typed('POST', undefined, new Blob([JSON.stringify({ entries })])), status: 415, message: /no Content-Type/ },
  { name: 'import: form encoded', path: IMPORT, init: typed('POST', 'application/x-www-form-urlencoded', 'entries=1'), status: 415, message: /application\/json/ },
  { name: 'import: latin-1 charset', path: IMPORT, init: typed('POST', 'application/json; charset=iso-8859-1', JSON.stringify({ entries })), status: 415, message: /UTF-8/ },
  { name: 'import: bytes that are not UTF-8', path: IMPORT, init: typed('POST', 'application/json', new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d])), status: 400, code: 'INVALID_UTF8', message: /UTF-8/ },
  { name: 'import: body over the limit', ...importWith({ entries: [{ ...one, name: long(DEFAULT_MAX_BODY_BYTES) }] }), status: 413, code: 'BODY_TOO_LARGE', message: new RegExp(`at most ${DEFAULT_MAX_BODY_BYTES} bytes`) },
  { name: 'import: streamed body over the limit', path: IMPORT, init: chunked(DEFAULT_MAX_BODY_BYTES + 1), status: 413, code: 'BODY_TOO_LARGE', message: /--max-body-bytes/ },
  // The body as JSON: wrong shapes, wrong types, missing fields.
  { name: 'import: null', ...importWith('null'), status: 400, code: 'VALIDATION_FAILED', message: /request: .*expected object/ },
  { name: 'import: an array', ...importWith([]), status: 400, message: /expected object/ },
  { name: 'import: a string', ...importWith('"entries"'), status: 400, message: /expected object/ },
  { name: 'import: no entries field', ...importWith({}), status: 400, message: /entries: .*expected array/ },
  { name: 'import: entries not an array', ...importWith({ entries: {} }), status: 400, message: /entries: .*expected array/ },
  { name: 'import: no entries', ...importWith({ entries: [] }), status: 400, message: /entries: must hold at least one entry/ },
  { name: 'import: missing name', ...importWith({ entries: [{ externalId: 'x', type: 'skill' }] }), status: 400, message: /entries\.0\.name/ },
  { name: 'import: name a number', ...importEntry({ name: 7 }), status: 400, message: /entries\.0\.name: .*expected string/ },
  { name: 'import: externalId null', ...importEntry({ externalId: null }), status: 400, message: /entries\.0\.externalId/ },
  { name: 'import: externalId empty', ...importEntry({ externalId: '' }), status: 400, message: /externalId: must not be empty/ },
  { name: 'import: name blank', ...importEntry({ name: '   ' }), status: 400, message: /name: must not be empty/ },
  { name: 'import: externalId too long', ...importEntry({ externalId: long(MAX_ID_LENGTH + 1) }), status: 400, message: new RegExp(`externalId: must be at most ${MAX_ID_LENGTH} characters`) },
  { name: 'import: name very long', ...importEntry({ name: long(100_000) }), status: 400, message: new RegExp(`name: must be at most ${MAX_NAME_LENGTH} characters`) },
  { name: 'import: lone surrogate', ...importEntry({ externalId: 'a\ud800b' }), status: 400, message: /valid Unicode text/ },
  { name: 'import: control character', ...importEntry({ name: 'a\u0000b' }), status: 400, message: /control characters/ },
  { name: 'import: children not an array', ...importEntry({ children: 'none' }), status: 400, message: /children/ },
  { name: 'import: too many children', ...importEntry({ children: makeEntries(MAX_CHILDREN + 1, 'c', Infinity) }), status: 400, message: new RegExp(`at most ${MAX_CHILDREN} children`) },
  { name: 'import: unknown key', ...importWith({ entries, force: true }), status: 400, message: /force/ },
  { name: 'import: unknown entry key', ...importEntry({ priority: 1 }), status: 400, message: /entries\.0.*priority/ },
  // Duplicates and counts.
  { name: 'import: duplicate externalId', ...importWith({ entries: [one, one] }), status: 400, message: /entries\.1\.externalId: duplicate entry externalId/ },
  { name: 'import: duplicate once trimmed', ...importWith({ entries: [one, { ...one, externalId: ` ${one.externalId} ` }] }), status: 400, message: /duplicate entry externalId/ },
  { name: 'import: duplicate child', ...importEntry({ children: [entries[2], entries[2]] }), status: 400, message: /duplicate child externalId/ },
  { name: 'import: thousands of entries over the limit', ...importWith({ entries: makeEntries(DEFAULT_MAX_IMPORT_ENTRIES + 1, 'big', Infinity) }), status: 400, message: new RegExp(`at most ${DEFAULT_MAX_IMPORT_ENTRIES} entries \\(--max-import-entries\\)`) },
  { name: 'import: thousands of bad entries', ...importWith({ entries: Array.from({ length: 3000 }, () => ({ externalId: 1 })) }), status: 400, message: /and \d+ more$/ },
  // Query parameters.
  { name: 'import: unknown mode', ...importWith({ entries }, '?mode=fast'), status: 400, message: /mode: .*monolithic.*batched.*staged/ },
  { name: 'import: mode in capitals', ...importWith({ entries }, '?mode=BATCHED'), status: 400, message: /mode/ },
  ...['0', '-1', '1.5', 'abc', '0x10', '1e1', '', ' 5'].map((v) => ({
    name: `import: batchSize=${v}`, ...importWith({ entries }, `?batchSize=${encodeURIComponent(v)}`), status: 400, message: /batchSize: must be (a whole number in decimal digits|at least 1)/,
  })),
  { name: 'import: batchSize twice', ...importWith({ entries }, '?batchSize=1&batchSize=2'), status: 400, message: /batchSize/ },
  { name: 'import: failBatches not a list', ...importWith({ entries }, '?failBatches=x'), status: 400, message: /failBatches: must be a comma-separated list/ },
  { name: 'import: failBatches empty', ...importWith({ entries }, '?failBatches='), status: 400, message: /failBatches: must be a comma-separated list/ },
  { name: 'import: failBatches negative', ...importWith({ entries }, '?failBatches=-1'), status: 400, message: /failBatches/ },
  { name: 'import: failBatches out of range', ...importWith({ entries }, '?failBatches=99'), status: 400, message: /failBatches: batch 99 out of range; this import has 1 batch\(es\), indexes 0 to 0/ },
  { name: 'import: failBatches out of range when batched', ...importWith({ entries }, '?batchSize=1&failBatches=1,3'), status: 400, message: /batch 3 out of range; this import has 3 batch/ },
  { name: 'import: unknown query parameter', ...importWith({ entries }, '?force=1'), status: 400, message: /force/ },
  // Path parameters.
  { name: 'import: unknown source', path: '/api/marketplace/sources/nope/import', init: json('POST', { entries }), status: 404, message: /source nope does not exist/ },
  { name: 'import: non-ASCII unknown source', path: `/api/marketplace/sources/${encodeURIComponent('sourcé-日本')}/import`, init: json('POST', { entries }), status: 404, message: /sourcé-日本 does not exist/ },
  { name: 'import: source id too long', path: `/api/marketplace/sources/${long(MAX_ID_LENGTH + 1)}/import`, init: json('POST', { entries }), status: 400, message: /sourceId: must be at most/ },
  { name: 'import status: unknown import', path: '/api/imports/imp_missing', status: 404, message: /does not exist/ },
  { name: 'import status: id too long', path: `/api/imports/${long(5000)}`, status: 400, message: /importId: must be at most/ },
  { name: 'catalog list: limit=-1', path: '/api/marketplace/catalog?limit=-1', status: 400, message: /limit: must be a whole number in decimal digits/ },
  { name: 'catalog list: limit=0x10', path: '/api/marketplace/catalog?limit=0x10', status: 400, message: /limit: must be a whole number/ },
  { name: 'catalog list: limit too big', path: '/api/marketplace/catalog?limit=5000', status: 400, message: /limit: must be at most 1000/ },
  ...['0x10', '1e1', 'abc', '0', '-1', '1.5', '99999999999999999999', '%20%201'].map((id) => ({
    name: `catalog update: id ${id}`, path: `/api/marketplace/catalog/${id}`, init: json('PATCH', { status: 'draft' }), status: 400, message: /entryId: must be (a whole number in decimal digits|at least 1|at most)/,
  })),
  { name: 'catalog update: missing entry', path: '/api/marketplace/catalog/99999', init: json('PATCH', { status: 'draft' }), status: 404, message: /99999 does not exist/ },
  { name: 'catalog update: empty object', path: '/api/marketplace/catalog/1', init: json('PATCH', {}), status: 400, message: /at least one of status, title/ },
  { name: 'catalog update: empty body', path: '/api/marketplace/catalog/1', init: json('PATCH', ''), status: 400, code: 'EMPTY_BODY', message: /expected a JSON object/ },
  { name: 'catalog update: text/plain', path: '/api/marketplace/catalog/1', init: typed('PATCH', 'text/plain', '{"status":"draft"}'), status: 415, message: /application\/json/ },
  { name: 'catalog update: status a number', path: '/api/marketplace/catalog/1', init: json('PATCH', { status: 3 }), status: 400, message: /status: .*expected string/ },
  { name: 'catalog update: title too long', path: '/api/marketplace/catalog/1', init: json('PATCH', { title: long(MAX_NAME_LENGTH + 1) }), status: 400, message: /title: must be at most/ },
  { name: 'catalog update: malformed JSON', path: '/api/marketplace/catalog/1', init: json('PATCH', '{"status":'), status: 400, code: 'MALFORMED_JSON', message: /not valid JSON/ },
  { name: 'execution: unknown workflow', path: '/api/workflows/wf-999/executions', init: json('POST', {}), status: 404, message: /wf-999 does not exist/ },
  { name: 'execution: unknown key', path: '/api/workflows/wf-1/executions', init: json('POST', { priority: 1 }), status: 400, message: /priority/ },
  { name: 'execution: a body that is not JSON', path: '/api/workflows/wf-1/executions', init: typed('POST', 'text/plain', 'go'), status: 415, message: /application\/json/ },
  { name: 'step: bad status', path: `/api/workflow-executions/${executionId}/steps/0`, init: json('PATCH', { status: 'done' }), status: 400, message: /status/ },
  { name: 'step: index 0x1', path: `/api/workflow-executions/${executionId}/steps/0x1`, init: json('PATCH', { status: 'running' }), status: 400, message: /index: must be a whole number/ },
  { name: 'step: index -1', path: `/api/workflow-executions/${executionId}/steps/-1`, init: json('PATCH', { status: 'running' }), status: 400, message: /index/ },
  { name: 'step: missing step', path: `/api/workflow-executions/${executionId}/steps/99`, init: json('PATCH', { status: 'running' }), status: 404, message: /has no step 99/ },
  { name: 'step: unknown execution', path: '/api/workflow-executions/exe_missing/steps/0', init: json('PATCH', { status: 'running' }), status: 404, message: /has no step/ },
  { name: 'artifacts: bad limit', path: '/api/artifacts?limit=5000', status: 400, message: /limit/ },
  { name: 'locks: sinceMs a word', path: '/api/health/locks?sinceMs=yesterday', status: 400, message: /sinceMs: must be epoch milliseconds/ },
  { name: 'locks: sinceMs negative', path: '/api/health/locks?sinceMs=-1', status: 400, message: /sinceMs/ },
  // Methods and routes.
  { name: 'import: GET', path: IMPORT, status: 405, code: 'METHOD_NOT_ALLOWED', message: /GET is not allowed .* expected one of POST/, allow: 'POST' },
  { name: 'catalog update: DELETE', path: '/api/marketplace/catalog/1', init: { method: 'DELETE' }, status: 405, message: /expected one of PATCH/, allow: 'PATCH' },
  { name: 'health: POST', path: '/api/health', init: json('POST', {}), status: 405, message: /expected one of GET, HEAD/, allow: 'GET, HEAD' },
  { name: 'import status: PUT', path: '/api/imports/imp_x', init: json('PUT', {}), status: 405, message: /not allowed/, allow: 'GET, HEAD' },
  { name: 'unknown route', path: '/api/nothing', status: 404, code: 'ROUTE_NOT_FOUND', message: /no route/ },
];

describe('bad input', () => {
  beforeAll(async () => {
    const res = await fetch(`${t.url}/api/workflows/wf-1/executions`, json('POST', {}));
    executionId = ((await res.json()) as { id: string }).id;
  });

  it('gets a 4xx with {"error":{"code","message"}} saying what was expected, writes nothing, and the target keeps serving', async () => {
    const before = footprint(t.dbPath);
    const table = cases();
    for (const c of table) {
      const res = await fetch(`${t.url}${c.path}`, c.init);
      const body = (await res.json()) as { error?: { code?: unknown; message?: unknown } };
      expect(res.status, c.name).toBe(c.status);
      expect(Object.keys(body), c.name).toEqual(['error']);
      expect(typeof body.error?.code, c.name).toBe('string');
      if (c.code !== undefined) expect(body.error?.code, c.name).toBe(c.code);
      expect(String(body.error?.message), c.name).toMatch(c.message);
      if (c.allow !== undefined) expect(res.headers.get('allow'), c.name).toBe(c.allow);
    }
    expect(footprint(t.dbPath)).toEqual(before);
    expect((await fetch(`${t.url}/api/health`)).status).toBe(200);
    expect(table.length).toBeGreaterThanOrEqual(80);
  });
});

describe('requests the HTTP parser refuses', () => {
  /** Sends raw bytes and returns the status line and the body of the answer. */
  async function raw(request: string): Promise<{ statusLine: string; body: string }> {
    const { port } = new URL(t.url);
    const socket = connect(Number(port), '127.0.0.1');
    socket.end(request);
    let text = '';
    for await (const chunk of socket) text += String(chunk);
    const [head = '', body = ''] = text.split('\r\n\r\n');
    return { statusLine: head.split('\r\n')[0] ?? '', body };
  }

  it.each([
    ['a malformed request line', 'NOT HTTP AT ALL\r\n\r\n', /^HTTP\/1\.1 400/, 'MALFORMED_REQUEST'],
    ['headers over the limit', `GET /api/health HTTP/1.1\r\nHost: x\r\nX-Big: ${'y'.repeat(20_000)}\r\n\r\n`, /^HTTP\/1\.1 431/, 'HEADERS_TOO_LARGE'],
    ['a bad Content-Length', 'POST /api/marketplace/sources/src-1/import HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n', /^HTTP\/1\.1 400/, 'MALFORMED_REQUEST'],
  ])('%s gets the error shape too, and the target keeps serving', async (_, request, statusLine, code) => {
    const before = footprint(t.dbPath);
    const answer = await raw(request);
    expect(answer.statusLine).toMatch(statusLine);
    expect(JSON.parse(answer.body)).toMatchObject({ error: { code, message: expect.stringMatching(/^expected /) } });
    expect(footprint(t.dbPath)).toEqual(before);
    expect((await fetch(`${t.url}/api/health`)).status).toBe(200);
  });
});

describe('input at the edge of what is accepted', () => {
  it(`accepts ${DEFAULT_MAX_IMPORT_ENTRIES} entries, the most one import may carry`, async () => {
    const { status, body } = await postImport(t.url, 'src-2', makeEntries(DEFAULT_MAX_IMPORT_ENTRIES, 'many', 100), '?batchSize=1000');
    expect(status).toBe(200);
    expect(body).toMatchObject({ status: 'completed', imported: DEFAULT_MAX_IMPORT_ENTRIES });
  });

  it('accepts a batch size larger than the import, as one batch', async () => {
    const { status, body } = await postImport(t.url, 'src-3', makeEntries(3, 'one-batch'), '?batchSize=1000000');
    expect(status).toBe(200);
    expect(body.batches.map((b) => b.size)).toEqual([3]);
  });

  it('accepts non-ASCII text and stores it exactly', async () => {
    const unicode = [
      { externalId: 'café-ü', name: 'Crème brûlée', type: 'skill' },
      { externalId: '日本語-1', name: '資料 🚀', type: 'エージェント' },
      { externalId: 'עברית', name: 'ﷺ مرحبا', type: 'skill', children: [{ externalId: '👩‍👩‍👧', name: 'family', type: 'agent' }] },
    ];
    const { status, body } = await postImport(t.url, 'src-4', unicode);
    expect(status).toBe(200);
    expect(body.imported).toBe(3);
    for (const e of unicode) {
      expect(countRows(t.dbPath, 'SELECT count(*) AS n FROM artifacts WHERE source_id = ? AND external_id = ? AND name = ? AND type = ?', 'src-4', e.externalId, e.name, e.type)).toBe(1);
    }
    expect(countRows(t.dbPath, "SELECT count(*) AS n FROM composite_children WHERE external_id = '👩‍👩‍👧'")).toBe(1);
  });

  it('takes a workflow execution with no body at all', async () => {
    const res = await fetch(`${t.url}/api/workflows/wf-2/executions`, { method: 'POST' });
    expect(res.status).toBe(201);
  });
});

describe('limits set by option', () => {
  let small: TestTarget;
  beforeAll(async () => {
    small = await startTarget({ prepareMs: 0, writeMs: 0, poolSize: 1, maxImportEntries: 10, maxBodyBytes: 4096 });
  });
  afterAll(() => small.close());

  it('--max-import-entries and --max-body-bytes: up to the limit is accepted, one more is refused', async () => {
    const plain = (n: number, prefix: string) => makeEntries(n, prefix, Infinity);
    expect((await postImport(small.url, 'src-1', plain(10, 'ten'))).status).toBe(200);
    const eleven = await postImport(small.url, 'src-1', plain(11, 'eleven'));
    expect(eleven.status).toBe(400);
    expect(JSON.stringify(eleven.body)).toMatch(/at most 10 entries \(--max-import-entries\)/);

    const sized = (bytes: number) => {
      const body = JSON.stringify({ entries: [{ externalId: 'sized', name: 'n', type: 't' }] });
      return `${body}${' '.repeat(bytes - body.length)}`;
    };
    const send = (body: string) => fetch(`${small.url}/api/marketplace/sources/src-2/import`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect((await send(sized(4096))).status).toBe(200);
    const over = await send(sized(4097));
    expect(over.status).toBe(413);
    expect(await over.json()).toMatchObject({ error: { code: 'BODY_TOO_LARGE', message: 'expected a body of at most 4096 bytes (--max-body-bytes); split the import' } });
    expect(countRows(small.dbPath, "SELECT count(*) AS n FROM artifacts WHERE source_id = 'src-1'")).toBe(10);
  });
});

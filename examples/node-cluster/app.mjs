/**
 * The routes, on plain node:http, written the way a small Node service writes them: each write in one
 * transaction, reading before it writes. A database error is the 500 a Node app's error handler answers,
 * with SQLite's code and message in the body.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { inTransaction, withConnection } from './db.mjs';

/** Most entries one import may carry. */
export const MAX_ARTIFACTS = 5000;
/** Largest request body read, in bytes. */
const MAX_BODY_BYTES = 8 * 1024 * 1024;

class HttpError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

const badRequest = (message) => new HttpError(400, 'BAD_REQUEST', message);
const notFound = (message) => new HttpError(404, 'NOT_FOUND', message);

async function readJson(req) {
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, 'TOO_LARGE', `request body over ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8') || 'null');
  } catch {
    throw badRequest('expected a JSON body');
  }
}

function entryProblem(entry, where) {
  if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) return `${where} must be an object`;
  for (const field of ['external_id', 'name', 'kind']) {
    if (typeof entry[field] !== 'string' || entry[field] === '') return `${where}.${field} must be a non-empty string`;
  }
  if (entry.children !== undefined && !Array.isArray(entry.children)) return `${where}.children must be a list`;
  return null;
}

function validateArtifacts(body) {
  const artifacts = body?.artifacts;
  if (!Array.isArray(artifacts) || artifacts.length < 1 || artifacts.length > MAX_ARTIFACTS) {
    throw badRequest(`artifacts must be a list of 1 to ${MAX_ARTIFACTS} entries`);
  }
  artifacts.forEach((entry, i) => {
    const problem = entryProblem(entry, `artifacts[${i}]`) ?? (entry.children ?? []).map((c, j) => entryProblem(c, `artifacts[${i}].children[${j}]`)).find(Boolean);
    if (problem) throw badRequest(problem);
  });
  return artifacts;
}

/** Read, then write: under a deferred transaction the read takes only a shared lock. */
async function upsert(db, sourceId, entry, parentId) {
  const found = await db.get('SELECT id FROM artifacts WHERE source_id = ? AND external_id = ?', [sourceId, entry.external_id]);
  const values = [parentId, entry.name, entry.kind, Date.now()];
  if (found) {
    await db.run('UPDATE artifacts SET parent_id = ?, name = ?, kind = ?, updated_ms = ? WHERE id = ?', [...values, found.id]);
    return found.id;
  }
  const { lastID } = await db.run('INSERT INTO artifacts (parent_id, name, kind, updated_ms, source_id, external_id) VALUES (?, ?, ?, ?, ?, ?)', [...values, sourceId, entry.external_id]);
  return lastID;
}

export function createApp(config, pool) {
  /** The long bulk write: every entry of an import in one transaction, with per-artifact work inside it. */
  async function importArtifacts(req, sourceId) {
    const artifacts = validateArtifacts(await readJson(req));
    const started = performance.now();
    await inTransaction(pool, config.transactionMode, async (db) => {
      if (!(await db.get('SELECT id FROM sources WHERE id = ?', [sourceId]))) throw notFound(`unknown source ${JSON.stringify(sourceId)}`);
      for (const entry of artifacts) {
        const parentId = await upsert(db, sourceId, entry, null);
        for (const child of entry.children ?? []) await upsert(db, sourceId, child, parentId);
        await sleep(config.artifactWorkMs);
      }
    });
    const durationMs = Math.round((performance.now() - started) * 10) / 10;
    return { source_id: sourceId, status: 'completed', requested: artifacts.length, imported: artifacts.length, duration_ms: durationMs };
  }

  /** Read-then-write: the entry is read, worked on, and written back in one transaction. */
  async function updateCatalogEntry(req, entryId) {
    const body = await readJson(req);
    const given = (field) => typeof body?.[field] === 'string' && body[field] !== '';
    if (!given('status') && !given('title')) throw badRequest('expected a JSON object with a non-empty status or title');
    return inTransaction(pool, config.transactionMode, async (db) => {
      const entry = await db.get('SELECT * FROM catalog_entries WHERE id = ?', [entryId]);
      if (!entry) throw notFound(`no catalog entry ${entryId}`);
      await sleep(config.catalogWorkMs);
      const updated = { ...entry, status: given('status') ? body.status : entry.status, title: given('title') ? body.title : entry.title, version: entry.version + 1 };
      await db.run('UPDATE catalog_entries SET status = ?, title = ?, version = ?, updated_ms = ? WHERE id = ?', [updated.status, updated.title, updated.version, Date.now(), entryId]);
      return { id: updated.id, source_id: updated.source_id, title: updated.title, status: updated.status, version: updated.version };
    });
  }

  async function listArtifacts(url) {
    const limit = Number(url.searchParams.get('limit') ?? '100');
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw badRequest('limit must be an integer from 1 to 1000');
    const sourceId = url.searchParams.get('source_id');
    const where = sourceId ? 'WHERE source_id = ?' : '';
    const params = sourceId ? [sourceId] : [];
    return withConnection(pool, async (db) => {
      const items = await db.all(`SELECT id, source_id, external_id, name, kind FROM artifacts ${where} ORDER BY id LIMIT ?`, [...params, limit]);
      const { n } = await db.get(`SELECT count(*) AS n FROM artifacts ${where}`, params);
      return { items, total: n };
    });
  }

  /** Routes as [method, pattern, handler(req, url, ...captures)]. */
  const routes = [
    ['GET', /^\/api\/health$/, () => ({ status: 'ok', pid: process.pid, config })],
    ['POST', /^\/api\/sources\/([^/]+)\/import$/, (req, _url, id) => importArtifacts(req, decodeURIComponent(id))],
    ['PATCH', /^\/api\/catalog\/(\d+)$/, (req, _url, id) => updateCatalogEntry(req, Number(id))],
    ['GET', /^\/api\/artifacts$/, (_req, url) => listArtifacts(url)],
  ];

  async function route(req) {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const matches = routes.map(([method, pattern, handler]) => ({ method, handler, m: pattern.exec(url.pathname) })).filter((r) => r.m);
    if (matches.length === 0) throw notFound(`no route ${url.pathname}`);
    const match = matches.find((r) => r.method === req.method);
    if (!match) throw new HttpError(405, 'METHOD_NOT_ALLOWED', `${req.method} not allowed on ${url.pathname}`);
    return match.handler(req, url, ...match.m.slice(1));
  }

  return async function handle(req, res) {
    let status = 200;
    let body;
    try {
      body = await route(req);
    } catch (err) {
      // HttpError is the app's own answer; anything else (SQLITE_BUSY among them) is a server error.
      status = err instanceof HttpError ? err.status : 500;
      body = { error: { code: err.code ?? 'INTERNAL', message: err.message } };
    }
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  };
}

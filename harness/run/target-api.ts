/** The few target routes the harness reads (target contract), with their answers validated. */
import type { TargetLockStats } from '../model/results.ts';
import type { LatencySummary } from '../shared/latency-histogram.ts';
import { fillText } from '../plan/targets/templates.ts';

/** The built-in target's lock figures route; a description's `locks.path` names a target's own. */

/** How long one request to the target may take before the harness gives up on it, in ms. */
export const TARGET_REQUEST_TIMEOUT_MS = 15_000;

export interface TargetHealth {
  status: string;
  pid: number;
  config: Record<string, unknown>;
}

async function getJson(url: string): Promise<unknown> {
  const res = await fetch(url, { signal: AbortSignal.timeout(TARGET_REQUEST_TIMEOUT_MS) });
  const text = await res.text();
  if (!res.ok) throw new Error(`GET ${url} answered ${res.status}: ${text.slice(0, 300)}`);
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(`GET ${url} answered with something that is not JSON: ${text.slice(0, 300)}`);
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export async function getHealth(baseUrl: string): Promise<TargetHealth> {
  const body = await getJson(`${baseUrl}/api/health`);
  if (!isObject(body) || body.status !== 'ok' || !isObject(body.config)) {
    throw new Error(`GET /api/health: expected {status:"ok", config:{...}}, got ${JSON.stringify(body).slice(0, 300)}`);
  }
  return { status: body.status, pid: Number(body.pid), config: body.config };
}

function latency(value: unknown, where: string): LatencySummary {
  if (!isObject(value) || typeof value.count !== 'number') throw new Error(`${where}: expected {count, p50Ms, p99Ms, maxMs}`);
  const ms = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);
  return { count: value.count, p50Ms: ms(value.p50Ms), p99Ms: ms(value.p99Ms), maxMs: ms(value.maxMs) };
}

/** Lock holds, waits, busy errors and spans of the write transactions that started at/after `sinceMs`. */
export async function getLockStats(baseUrl: string, sinceMs: number, pathTemplate: string): Promise<TargetLockStats> {
  const path = fillText(pathTemplate, { sinceMs: Math.floor(sinceMs) });
  const where = `GET ${path.split('?')[0]}`;
  const body = await getJson(`${baseUrl}${path}`);
  if (!isObject(body)) throw new Error(`${where}: expected an object`);
  const busyErrors: Record<string, number> = {};
  if (isObject(body.busyErrors)) {
    for (const [code, n] of Object.entries(body.busyErrors)) if (typeof n === 'number') busyErrors[code] = n;
  }
  return {
    sinceMs,
    holds: latency(body.holds, `${where} holds`),
    waits: latency(body.waits, `${where} waits`),
    busyErrors,
    walBytes: typeof body.walBytes === 'number' ? body.walBytes : null,
    spans: Array.isArray(body.spans) ? (body.spans as TargetLockStats['spans']) : [],
  };
}

/** Checks that the target is up, serves the seeded data, and runs the configuration asked for. */
export async function smokeCheck(
  baseUrl: string,
  expected: object,
  sourcesNeeded: number,
): Promise<TargetHealth> {
  const health = await getHealth(baseUrl);
  const mismatches = Object.entries(expected as Record<string, unknown>)
    .filter(([key, value]) => health.config[key] !== value)
    .map(([key, value]) => `${key}: asked for ${JSON.stringify(value)}, target runs ${JSON.stringify(health.config[key])}`);
  if (mismatches.length > 0) throw new Error(`the target does not run the profile's configuration: ${mismatches.join('; ')}`);
  const sources = await getJson(`${baseUrl}/api/marketplace/sources`);
  const items = isObject(sources) && Array.isArray(sources.items) ? (sources.items as { id?: unknown }[]) : [];
  const ids = new Set(items.map((s) => s.id));
  const missing = Array.from({ length: sourcesNeeded }, (_, i) => `src-${i + 1}`).filter((id) => !ids.has(id));
  if (missing.length > 0) throw new Error(`the target lacks the seeded sources ${missing.join(', ')}`);
  const catalog = await getJson(`${baseUrl}/api/marketplace/catalog?limit=1`);
  if (!isObject(catalog) || !Array.isArray(catalog.items) || catalog.items.length === 0) {
    throw new Error('GET /api/marketplace/catalog?limit=1 returned no entry; the catalog is not seeded');
  }
  return health;
}

/**
 * A described target's health route (its description's `health.path`): it must answer 2xx. Whatever
 * JSON object it answers is kept as the target's own account of its configuration, and a numeric
 * `pid` in it names the target's process (for a target lockbench did not start).
 */
export async function getDescribedHealth(baseUrl: string, path: string): Promise<{ pid: number | null; config: Record<string, unknown> }> {
  const body = await getJson(`${baseUrl}${path}`);
  const config = isObject(body) ? body : { answer: body };
  return { pid: typeof config.pid === 'number' && Number.isInteger(config.pid) ? config.pid : null, config };
}

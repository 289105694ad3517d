/**
 * Scenario requests onto a described target's routes: the method, path, headers and body of each
 * request, and what its HTTP status means. Pure, except {@link loadRequestMapper}, which imports a
 * description's adapter module when it has one.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ImportChild, ImportEntry, MappedRequest, RequestOutcome, ScenarioRequest } from '../../../scenarios/lib/contract.ts';
import type { TargetRoutes } from '../../../scenarios/lib/requests.ts';
import type { LoadedTargetDescription } from './load.ts';
import { scenarioMapping, type ImportRequestDescription, type RequestKind, type TargetDescription } from './schema.ts';
import type { Json } from '../../model/json.ts';
import { fillJson, fillText, type PlaceholderValue } from './templates.ts';

/** A description's adapter module: replaces the templates where they are not enough. */
export interface TargetAdapter {
  mapRequest(request: ScenarioRequest): MappedRequest;
}

export type RequestMapper = (request: ScenarioRequest) => MappedRequest;

/** The header the mapper adds to a request with a body. */
export const JSON_HEADERS = { 'content-type': 'application/json' };

function requestValues(request: ScenarioRequest): Record<string, PlaceholderValue> {
  switch (request.kind) {
    case 'import':
      return { sourceId: request.sourceId };
    case 'catalogUpdate':
      return { entryId: request.entryId, status: request.status, title: request.title };
    case 'artifactRead':
      return { sourceId: request.sourceId, limit: request.limit };
  }
}

function mapChild(template: Json | undefined, child: ImportChild, index: number): Json {
  return template === undefined ? { ...child } : fillJson(template, { ...child, index });
}

function mapEntry(request: ImportRequestDescription, entry: ImportEntry, index: number): Json {
  const children = (entry.children ?? []).map((c, i) => mapChild(request.child, c, i));
  if (request.entry === undefined) return { ...entry, ...(entry.children ? { children } : {}) } as Json;
  return fillJson(request.entry, { externalId: entry.externalId, name: entry.name, type: entry.type, index }, { children });
}

/** The HTTP request a scenario request becomes on this target, from the description's templates. */
export function mapRequest(description: TargetDescription, request: ScenarioRequest): MappedRequest {
  const { requests } = scenarioMapping(description);
  const route = requests[request.kind];
  if (!route) throw new Error(`the target description has no "${request.kind}" request`);
  if (route.method === undefined || route.path === undefined) {
    throw new Error(`requests.${request.kind} has no method/path template; this description maps requests with its adapter`);
  }
  const values = requestValues(request);
  const lists: Record<string, Json[]> =
    request.kind === 'import' ? { entries: request.entries.map((e, i) => mapEntry(requests.import, e, i)) } : {};
  const path = fillText(route.path, values, encodeURIComponent);
  const body = route.body === undefined ? undefined : JSON.stringify(fillJson(route.body, values, lists));
  return { method: route.method, path, headers: { ...(body !== undefined ? JSON_HEADERS : {}), ...route.headers }, ...(body !== undefined ? { body } : {}) };
}

/** What `status` means for a request of `kind`: the description's lists, anything else is an error. */
export function classifyStatus(description: TargetDescription, kind: RequestKind, status: number): RequestOutcome {
  const lists = scenarioMapping(description).requests[kind]?.status;
  if (!lists) return 'error';
  if (lists.success.includes(status)) return 'success';
  if (lists.partial.includes(status)) return 'partial';
  if (lists.lockTimeout.includes(status)) return 'lock-timeout';
  return 'error';
}

function fieldAt(body: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((v, key) => (v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined), body);
}

/**
 * Entries an import answer acknowledges as stored: the answer's `importedField` when the description
 * names one, else every entry on success and none on a lock timeout or error; null when unknown (a
 * partial answer without `importedField`).
 */
export function acknowledgedEntries(description: TargetDescription, request: Extract<ScenarioRequest, { kind: 'import' }>, status: number, body: unknown): number | null {
  const outcome = classifyStatus(description, 'import', status);
  if (outcome === 'error' || outcome === 'lock-timeout') return 0;
  const field = scenarioMapping(description).requests.import.importedField;
  if (field !== undefined) {
    const value = fieldAt(body, field);
    return typeof value === 'number' && Number.isFinite(value) ? value : null;
  }
  return outcome === 'success' ? request.entries.length : null;
}

function isAdapter(value: unknown): value is TargetAdapter {
  return typeof value === 'object' && value !== null && typeof (value as TargetAdapter).mapRequest === 'function';
}

/** The description's request mapping: its adapter module's `mapRequest` when it names one, else the templates. */
export async function loadRequestMapper(loaded: LoadedTargetDescription): Promise<RequestMapper> {
  const { description, baseDir } = loaded;
  if (description.adapter === undefined) return (request) => mapRequest(description, request);
  const file = resolve(baseDir, description.adapter);
  const module = (await import(pathToFileURL(file).href)) as { default?: unknown; mapRequest?: unknown };
  const adapter = isAdapter(module.default) ? module.default : isAdapter(module) ? module : undefined;
  if (!adapter) throw new Error(`${file}: an adapter must export mapRequest(request) (named or on its default export)`);
  return (request) => adapter.mapRequest(request);
}

/** The `name` tag of a request kind's samples: the route's method and path template, or the kind where an adapter maps it. */
export function routeName(description: TargetDescription, kind: RequestKind): string {
  const route = scenarioMapping(description).requests[kind];
  return route?.method !== undefined && route.path !== undefined ? `${route.method} ${route.path.split('?')[0]}` : kind;
}

/** The description's routes as the scenarios' iterations use them (scenarios/lib/requests.ts). */
export async function loadTargetRoutes(loaded: LoadedTargetDescription): Promise<TargetRoutes> {
  const { description } = loaded;
  const map = await loadRequestMapper(loaded);
  return {
    map,
    outcome: (kind, status) => classifyStatus(description, kind, status),
    acknowledged: (request, status, body) => acknowledgedEntries(description, request, status, body),
    routeName: (kind) => routeName(description, kind),
  };
}

/**
 * What one iteration of a stream sends and how its answers are judged, shared by both drivers: the k6
 * scripts send these calls with k6/http, the built-in driver with undici. An iteration is one call, or a
 * short chain of calls where a later one depends on an earlier answer (the smoke check). No k6 imports.
 *
 * Against lockbench's own target the calls are its routes and its import answers are judged by their
 * contract (classifyImport). Against a foreign target the driver passes the target's routes (a target
 * description, harness/targets): each iteration's scenario request is mapped onto them and its answer
 * judged by the description's status lists and acknowledged count.
 */
import {
  classifyImport,
  type ImportOutcome,
  type ImportResponse,
  type MappedRequest,
  type RequestOutcome,
  type ScenarioRequest,
} from './contract.ts';
import { DEFAULT_SMOKE_CATALOG_ENTRY, DEFAULT_SMOKE_SOURCE } from './defaults.ts';
import { buildImportEntries, type ImportShape } from './payload.ts';
import type { RequestKind, ScenarioSettings } from './scenario.ts';

/** Route names, the `name` tag of every request (one per route, so ids do not multiply URLs in metrics). */
export const ROUTE = {
  import: 'POST /api/marketplace/sources/:sourceId/import',
  getImport: 'GET /api/imports/:importId',
  catalogUpdate: 'PATCH /api/marketplace/catalog/:entryId',
  artifacts: 'GET /api/artifacts',
} as const;

const JSON_HEADERS: Readonly<Record<string, string>> = { 'Content-Type': 'application/json' };

/** One HTTP request, relative to the target's base URL. */
export interface HttpCall {
  method: string;
  path: string;
  body: string | null;
  headers: Readonly<Record<string, string>>;
  /** The route's name, for the `name` tag. */
  route: string;
}

/** One answer as a driver saw it: status 0 and body null when there was none (timeout, refused, reset). */
export interface HttpAnswer {
  status: number;
  body: string | null;
  /** Client clock, epoch ms: just before the call and when its answer was read. */
  startEpochMs: number;
  endEpochMs: number;
}

/** An import as the client saw it, for the imports summary. */
export interface ImportAttempt {
  sourceId: string;
  requested: number;
  outcome: ImportOutcome;
  startEpochMs: number;
  endEpochMs: number;
}

/** How one iteration went. */
export interface IterationOutcome {
  /** One entry per request that counts toward request success: did it do all it asked for? */
  successes: boolean[];
  /** Set for iterations that import. */
  import?: ImportAttempt;
  /** Named checks (the smoke check): passed or not. */
  checks?: Record<string, boolean>;
}

/** One iteration: its first call, the call after each answer (null when done), and the verdict. */
export interface Iteration {
  first: HttpCall;
  next(answers: readonly HttpAnswer[]): HttpCall | null;
  outcome(answers: readonly HttpAnswer[]): IterationOutcome;
}

/** A foreign target's routes, from its description: how a scenario request is sent and its answer judged. */
export interface TargetRoutes {
  map(request: ScenarioRequest): MappedRequest;
  outcome(kind: ScenarioRequest['kind'], status: number): RequestOutcome;
  /** Entries the answer acknowledges as stored; null when it does not say. */
  acknowledged(request: Extract<ScenarioRequest, { kind: 'import' }>, status: number, body: unknown): number | null;
  /** The `name` tag of the kind's requests. */
  routeName(kind: ScenarioRequest['kind']): string;
}

/** The shape of the imports a scenario sends into `sourceId`, with ids prefixed so scenarios never share rows. */
export function importShape(settings: ScenarioSettings, prefix: string): ImportShape {
  return { prefix, artifacts: settings.artifacts, compositeEvery: settings.compositeEvery, children: settings.children };
}

type ImportRequest = Extract<ScenarioRequest, { kind: 'import' }>;
type CatalogRequest = Extract<ScenarioRequest, { kind: 'catalogUpdate' }>;
type ReadRequest = Extract<ScenarioRequest, { kind: 'artifactRead' }>;

/** Import n of the concurrent scenario: into its own source src-(n+1). */
function importRequest(settings: ScenarioSettings, n: number): ImportRequest {
  const sourceId = `src-${n + 1}`;
  return { kind: 'import', sourceId, entries: buildImportEntries(importShape(settings, sourceId)) };
}

/** Catalog update n, cycling through entries 1..catalogEntries. */
function catalogRequest(settings: ScenarioSettings, n: number): CatalogRequest {
  const entryId = (n % settings.catalogEntries) + 1;
  return { kind: 'catalogUpdate', entryId, status: n % 2 === 0 ? 'updating' : 'published', title: `Catalog entry ${entryId} (update ${n})` };
}

/** Read n of the artifacts of a source being imported into. */
function readRequest(settings: ScenarioSettings, n: number): ReadRequest {
  return { kind: 'artifactRead', sourceId: `src-${(n % settings.imports) + 1}`, limit: settings.readLimit };
}

/** Import n of a soak: new rows each time (ids prefixed `soak-<n>`), into sources src-1..src-`imports` in turn. */
function rollingImportRequest(settings: ScenarioSettings, n: number): ImportRequest {
  return { kind: 'import', sourceId: `src-${(n % settings.imports) + 1}`, entries: buildImportEntries(importShape(settings, `soak-${n}`)) };
}

/** The scenario requests of each stream's kind: the same sources, entries and catalog ids on every target. */
const SCENARIO_REQUESTS: {
  readonly import: typeof importRequest;
  readonly rollingImport: typeof rollingImportRequest;
  readonly catalogUpdate: typeof catalogRequest;
  readonly artifactRead: typeof readRequest;
} = {
  import: importRequest,
  rollingImport: rollingImportRequest,
  catalogUpdate: catalogRequest,
  artifactRead: readRequest,
};

function importCall(sourceId: string, body: string): HttpCall {
  return { method: 'POST', path: `/api/marketplace/sources/${encodeURIComponent(sourceId)}/import`, body, headers: JSON_HEADERS, route: ROUTE.import };
}

function catalogCall(entryId: number, body: { status?: string; title?: string }): HttpCall {
  return { method: 'PATCH', path: `/api/marketplace/catalog/${entryId}`, body: JSON.stringify(body), headers: JSON_HEADERS, route: ROUTE.catalogUpdate };
}

function single(call: HttpCall, outcome: (answer: HttpAnswer) => IterationOutcome): Iteration {
  return {
    first: call,
    next: () => null,
    outcome: (answers) => (answers[0] ? outcome(answers[0]) : { successes: [false] }),
  };
}

function importAttempt(sourceId: string, requested: number, answer: HttpAnswer): ImportAttempt {
  return { sourceId, requested, outcome: classifyImport(answer.status, answer.body), startEpochMs: answer.startEpochMs, endEpochMs: answer.endEpochMs };
}

/** One import to the built-in target: iteration n of the concurrent scenario, or of the soak. */
function importIterationOf(request: (settings: ScenarioSettings, n: number) => ImportRequest) {
  return (settings: ScenarioSettings, n: number): Iteration => {
    const { sourceId, entries } = request(settings, n);
    return single(importCall(sourceId, JSON.stringify({ entries })), (answer) => {
      const attempt = importAttempt(sourceId, entries.length, answer);
      return { successes: [attempt.outcome.kind === 'completed'], import: attempt };
    });
  };
}

/** Catalog update n, cycling through entries 1..catalogEntries. */
function catalogIteration(settings: ScenarioSettings, n: number): Iteration {
  const { entryId, status, title } = catalogRequest(settings, n);
  const call = catalogCall(entryId, { status, title });
  return single(call, (answer) => ({ successes: [answer.status === 200] }));
}

function readIteration(settings: ScenarioSettings, n: number): Iteration {
  const { sourceId, limit } = readRequest(settings, n);
  const call: HttpCall = {
    method: 'GET',
    path: `/api/artifacts?sourceId=${encodeURIComponent(sourceId)}&limit=${limit}`,
    body: null,
    headers: {},
    route: ROUTE.artifacts,
  };
  return single(call, (answer) => ({ successes: [answer.status === 200] }));
}

function jsonObject(answer: HttpAnswer | undefined): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(answer?.body ?? '');
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/**
 * The smoke check: one tiny import into its own source (ids prefixed `smoke-`, so it never touches the
 * concurrent scenario's rows), read back, then one catalog update; every answer's status and shape checked.
 */
function smokeIteration(settings: ScenarioSettings): Iteration {
  const sourceId = DEFAULT_SMOKE_SOURCE;
  const entryId = DEFAULT_SMOKE_CATALOG_ENTRY;
  const entries = buildImportEntries(importShape(settings, `smoke-${sourceId}`));
  const title = (answers: readonly HttpAnswer[]) => `Smoke check ${Math.round(answers[0]?.startEpochMs ?? 0)}`;
  const importedBody = (answers: readonly HttpAnswer[]): ImportResponse | null => {
    const outcome = answers[0] ? classifyImport(answers[0].status, answers[0].body) : null;
    return outcome && outcome.kind === 'completed' ? outcome.body : null;
  };
  return {
    first: importCall(sourceId, JSON.stringify({ entries })),
    next(answers) {
      if (answers.length === 1) {
        const body = importedBody(answers);
        if (body) return { method: 'GET', path: `/api/imports/${encodeURIComponent(body.importId)}`, body: null, headers: {}, route: ROUTE.getImport };
        return catalogCall(entryId, { title: title(answers) });
      }
      return answers.length === 2 && importedBody(answers) ? catalogCall(entryId, { title: title(answers) }) : null;
    },
    outcome(answers) {
      const attempt = answers[0] ? importAttempt(sourceId, entries.length, answers[0]) : null;
      const o = attempt?.outcome;
      const body = importedBody(answers);
      const readBack = body ? jsonObject(answers[1]) : null;
      const update = answers[answers.length - 1];
      const updated = answers.length >= 2 ? jsonObject(update) : null;
      const checks = {
        'import answers 200 with the contract shape': o?.kind === 'completed',
        'import acknowledges every entry': o !== undefined && o.kind !== 'error' && o.body.imported === entries.length && o.body.requested === entries.length,
        'import reports its batches': o !== undefined && o.kind !== 'error' && o.body.batches.length > 0 && o.body.batches.every((b) => b.status === 'committed'),
        'import can be read back': body !== null && answers[1]?.status === 200 && readBack?.importId === body.importId && readBack?.imported === entries.length,
        'catalog update answers 200': answers.length >= 2 && update?.status === 200,
        'catalog update returns the updated entry': updated?.id === entryId && updated?.title === title(answers),
      };
      return {
        successes: [o?.kind === 'completed', answers.length >= 2 && update?.status === 200],
        ...(attempt ? { import: attempt } : {}),
        checks,
      };
    },
  };
}

/** How each request kind builds iteration `n` (0-based, counted over the whole stream). */
const ITERATIONS: Readonly<Record<RequestKind, (settings: ScenarioSettings, n: number) => Iteration>> = {
  import: importIterationOf(importRequest),
  rollingImport: importIterationOf(rollingImportRequest),
  catalogUpdate: catalogIteration,
  artifactRead: readIteration,
  smoke: (settings) => smokeIteration(settings),
  workload: () => {
    throw new Error("a workload stream's requests are rendered from its templates by the driver, not built from scenario settings");
  },
};

/** How a foreign target's import outcome reads as the contract's import kinds. */
const IMPORT_KIND: Readonly<Record<Exclude<RequestOutcome, 'error'>, ImportResponse['status']>> = {
  success: 'completed',
  partial: 'partial',
  'lock-timeout': 'failed',
};

function parsedBody(answer: HttpAnswer): unknown {
  try {
    return JSON.parse(answer.body ?? '');
  } catch {
    return undefined;
  }
}

/**
 * A foreign target's import answer in the contract's terms. Only its outcome and acknowledged count are
 * known: no import id, no batches and no lock figures (the observer times its holds from outside). An
 * answer that does not say how many entries it stored counts none as acknowledged.
 */
function describedImportAttempt(routes: TargetRoutes, request: Extract<ScenarioRequest, { kind: 'import' }>, answer: HttpAnswer): ImportAttempt {
  const requested = request.entries.length;
  const outcome = answer.body === null || answer.status === 0 ? 'error' : routes.outcome('import', answer.status);
  const times = { startEpochMs: answer.startEpochMs, endEpochMs: answer.endEpochMs };
  if (outcome === 'error') {
    const reason = answer.status === 0 ? 'no answer' : `HTTP ${answer.status} is not among the description's import statuses`;
    return { sourceId: request.sourceId, requested, outcome: { kind: 'error', httpStatus: answer.status, reason }, ...times };
  }
  const imported = routes.acknowledged(request, answer.status, parsedBody(answer)) ?? 0;
  const body: ImportResponse = {
    importId: '',
    sourceId: request.sourceId,
    status: IMPORT_KIND[outcome],
    requested,
    imported,
    failed: requested - imported,
    durationMs: answer.endEpochMs - answer.startEpochMs,
    maxLockHoldMs: 0,
    batches: [],
  };
  return { sourceId: request.sourceId, requested, outcome: { kind: body.status, httpStatus: answer.status, body }, ...times };
}

/** Iteration `n` of a stream sending `kind` to a foreign target, through its routes. */
function describedIteration(routes: TargetRoutes, kind: RequestKind, settings: ScenarioSettings, n: number): Iteration {
  if (kind === 'smoke') throw new Error("the smoke check reads the built-in target's own routes; it has no mapping onto a described target");
  if (kind === 'workload') return ITERATIONS.workload(settings, n);
  const request = SCENARIO_REQUESTS[kind](settings, n);
  const mapped = routes.map(request);
  const call: HttpCall = { method: mapped.method, path: mapped.path, body: mapped.body ?? null, headers: mapped.headers, route: routes.routeName(request.kind) };
  if (request.kind === 'import') {
    return single(call, (answer) => {
      const attempt = describedImportAttempt(routes, request, answer);
      return { successes: [attempt.outcome.kind === 'completed'], import: attempt };
    });
  }
  return single(call, (answer) => ({ successes: [answer.status !== 0 && routes.outcome(request.kind, answer.status) === 'success'] }));
}

/**
 * Iteration `n` (0-based, counted over the whole stream) of a stream sending `kind`: to the built-in
 * target's routes, or through a foreign target's `routes` when given.
 */
export function iterationFor(kind: RequestKind, settings: ScenarioSettings, n: number, routes?: TargetRoutes): Iteration {
  return routes ? describedIteration(routes, kind, settings, n) : ITERATIONS[kind](settings, n);
}

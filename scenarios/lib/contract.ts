/**
 * What the scenarios send, receive and write, as plain types and pure functions. No k6 imports here:
 * the harness imports these types to read the summary files the scenarios write.
 */

/** One child of a composite artifact, as the import route takes it. */
export interface ImportChild {
  externalId: string;
  name: string;
  type: string;
}

/** One entry of an import request. */
export interface ImportEntry extends ImportChild {
  children?: ImportChild[];
}

/** What a scenario asks of a target, before a target description maps it onto routes (harness/targets). */
export type ScenarioRequest =
  | { kind: 'import'; sourceId: string; entries: readonly ImportEntry[] }
  | { kind: 'catalogUpdate'; entryId: number; status: string; title: string }
  | { kind: 'artifactRead'; sourceId: string; limit: number };

/** One HTTP request, ready for undici or k6; `path` includes the query and is relative to the base URL. */
export interface MappedRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  /** JSON text, or undefined for a request without a body. */
  body?: string;
}

/** What an answer's HTTP status means for the scenario, by a target description's status lists. */
export type RequestOutcome = 'success' | 'partial' | 'lock-timeout' | 'error';

/** One batch as the import route reports it. */
export interface ImportBatch {
  index: number;
  size: number;
  status: 'committed' | 'failed';
  lockWaitMs: number;
  lockHoldMs: number;
  error?: { code: string; message: string };
}

/** The import route's answer (target contract), for 200, 207 and 503. */
export interface ImportResponse {
  importId: string;
  sourceId: string;
  status: 'completed' | 'partial' | 'failed';
  requested: number;
  imported: number;
  failed: number;
  durationMs: number;
  maxLockHoldMs: number;
  batches: ImportBatch[];
}

/**
 * How one import request ended, from the client's side: `completed` (200), `partial` (207, some
 * batches rolled back), `failed` (503, lock timeout), or `error` (anything else: no answer, a 4xx,
 * an answer that is not the contract's shape).
 */
export type ImportOutcome =
  | { kind: 'completed' | 'partial' | 'failed'; httpStatus: number; body: ImportResponse }
  | { kind: 'error'; httpStatus: number; reason: string };

/** HTTP status the target answers for each import status. */
export const IMPORT_HTTP_STATUS: Readonly<Record<ImportResponse['status'], number>> = { completed: 200, partial: 207, failed: 503 };

const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

function isBatch(v: unknown): v is ImportBatch {
  if (typeof v !== 'object' || v === null) return false;
  const b = v as Record<string, unknown>;
  return isNumber(b.index) && isNumber(b.size) && (b.status === 'committed' || b.status === 'failed') && isNumber(b.lockWaitMs) && isNumber(b.lockHoldMs);
}

/** The contract shape of an import answer, or a reason it is not. */
export function parseImportResponse(body: unknown): ImportResponse | string {
  if (typeof body !== 'object' || body === null) return 'the answer is not a JSON object';
  const b = body as Record<string, unknown>;
  const missing = ['importId', 'sourceId'].filter((k) => typeof b[k] !== 'string');
  missing.push(...['requested', 'imported', 'failed', 'durationMs', 'maxLockHoldMs'].filter((k) => !isNumber(b[k])));
  if (b.status !== 'completed' && b.status !== 'partial' && b.status !== 'failed') missing.push('status');
  if (!Array.isArray(b.batches) || !b.batches.every(isBatch)) missing.push('batches');
  return missing.length === 0 ? (b as unknown as ImportResponse) : `missing or malformed: ${missing.join(', ')}`;
}

/** Classifies one import answer. `bodyText` is null when there was no answer (timeout, refused). */
export function classifyImport(httpStatus: number, bodyText: string | null): ImportOutcome {
  if (bodyText === null || httpStatus === 0) return { kind: 'error', httpStatus, reason: 'no answer' };
  let json: unknown;
  try {
    json = JSON.parse(bodyText);
  } catch {
    return { kind: 'error', httpStatus, reason: `HTTP ${httpStatus}, body is not JSON` };
  }
  const parsed = parseImportResponse(json);
  if (typeof parsed === 'string') {
    const error = (json as { error?: { code?: unknown } } | null)?.error?.code;
    return { kind: 'error', httpStatus, reason: typeof error === 'string' ? `HTTP ${httpStatus} ${error}` : `HTTP ${httpStatus}, ${parsed}` };
  }
  if (IMPORT_HTTP_STATUS[parsed.status] !== httpStatus) {
    return { kind: 'error', httpStatus, reason: `HTTP ${httpStatus} does not match import status ${parsed.status}` };
  }
  return { kind: parsed.status, httpStatus, body: parsed };
}

/**
 * One import as the client saw it. The scenario prints one per import (a JSON line on the k6
 * console, `event: "import-result"`); the database's import_jobs rows are the server's record.
 */
export interface ImportRecord {
  event: 'import-result';
  sourceId: string;
  outcome: ImportOutcome['kind'];
  httpStatus: number;
  importId: string | null;
  requested: number;
  imported: number;
  /** Server-reported import duration, in ms. */
  durationMs: number | null;
  maxLockHoldMs: number | null;
  failedBatches: number;
  /** Client clock, epoch ms: just before the request was sent, and when its answer was read. */
  startEpochMs: number;
  endEpochMs: number;
  reason?: string;
}

/** Latency of one scenario's requests, in ms; null when it sent none. */
export interface ScenarioLatency {
  requests: number;
  p50Ms: number | null;
  p99Ms: number | null;
  maxMs: number | null;
  /** Iterations k6 could not start because every VU was busy: requests that were never sent. */
  droppedIterations: number;
}

/** The imports of one run, as the client saw them. */
export interface ImportsSummary {
  /** Imports the scenario was set to send (IMPORTS). */
  expected: number;
  completed: number;
  partial: number;
  failed: number;
  errored: number;
  /** Entries sent in import requests. */
  artifactsRequested: number;
  /** Sum of `imported` over the answers received: artifacts the target said it committed. */
  artifactsAcknowledged: number;
  batchesFailed: number;
  /** Client clock, epoch ms: the first import's start and the last import's end. */
  firstStartEpochMs: number | null;
  lastEndEpochMs: number | null;
  /** lastEnd - firstStart, in ms; null unless every expected import got an answer. */
  wallMs: number | null;
  lockHoldMaxMs: number | null;
  lockHoldP99Ms: number | null;
  lockWaitP99Ms: number | null;
}

/** One k6 threshold and whether it held. */
export interface ThresholdResult {
  metric: string;
  expression: string;
  ok: boolean;
}

/** What the scenarios add to k6's summary data under the key `lockbench`. */
export interface LockbenchSummary {
  scenario: 'concurrent' | 'smoke' | 'soak' | 'bench';
  /** The settings the scenario resolved from the environment. */
  config: Record<string, string | number>;
  imports: ImportsSummary;
  /** Client-side latency per k6 scenario that ran (concurrent: imports, catalog, reads; smoke: smoke). */
  latency: Record<string, ScenarioLatency>;
  /** Share of requests that did all they asked for (request_success), 0..1. */
  requestSuccessRate: number | null;
  /** k6 checks (smoke): passes / all. */
  checksRate: number | null;
  thresholds: ThresholdResult[];
  thresholdsOk: boolean;
}

/** A trend, counter or rate as k6 puts it in the summary data (`values` hold the summary stats). */
export interface K6SummaryMetric {
  type: 'trend' | 'counter' | 'rate' | 'gauge';
  contains: string;
  values: Record<string, number>;
  thresholds?: Record<string, { ok: boolean }>;
}

/** The parts of k6's handleSummary data the scenarios read. */
export interface K6SummaryData {
  metrics: Record<string, K6SummaryMetric>;
  state: { testRunDurationMs: number; isStdOutTTY?: boolean };
  [key: string]: unknown;
}

/** The JSON file handleSummary writes to SUMMARY_PATH: k6's own summary data plus `lockbench`. */
export type SummaryFile = K6SummaryData & { lockbench: LockbenchSummary };

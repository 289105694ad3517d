/**
 * A starting workload from an OpenAPI document (FastAPI serves one at /openapi.json): one stream per
 * operation, its path parameters and required query parameters as values, its JSON body sampled from
 * the schema's examples or types. Written for the user to edit: rates, which operations to keep, what
 * a lock error looks like in this app, and the criteria are theirs to say.
 */
import { dereference, validate } from '@scalar/openapi-parser';
import { sample } from 'openapi-sampler';
import type { JSONSchema7 } from 'json-schema';
import { stringify } from 'yaml';
import type { Json } from '../../model/json.ts';
import { STREAM_NAME, VALUE_NAME, type WorkloadInput } from './schema.ts';

/** Arrivals per second of every stream of a starting workload: low, for the user to raise. */
export const DEFAULT_INIT_RATE = 1;
/** How long every stream of a starting workload runs. */
export const DEFAULT_INIT_DURATION = '30s';
/** The answers a starting workload counts as lock errors: what SQLite-backed frameworks say by default. */
export const DEFAULT_INIT_LOCK_ERROR = { status: [500, 503], body: 'database is locked|SQLITE_BUSY' };

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

export interface InitOptions {
  /** Arrivals per second of each stream; default {@link DEFAULT_INIT_RATE}. */
  rate?: number;
  /** How long each stream runs, a k6 duration; default {@link DEFAULT_INIT_DURATION}. */
  duration?: string;
}

export class OpenApiError extends Error {
  override readonly name = 'OpenApiError';
}

type Schema = JSONSchema7 & { example?: unknown; examples?: unknown };
interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  schema?: Schema;
  example?: unknown;
}
interface Operation {
  summary?: string;
  operationId?: string;
  parameters?: Parameter[];
  requestBody?: { content?: Record<string, { schema?: Schema; example?: unknown }> };
  responses?: Record<string, unknown>;
}

/** Lower-case words joined by dashes, starting with a letter: a stream name. */
function streamNameOf(text: string): string {
  const words = text.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase().split(/[^a-z0-9]+/).filter(Boolean);
  const name = words.join('-');
  return STREAM_NAME.test(name) ? name : `op-${name}`;
}

function valueNameOf(param: string): string {
  const name = param.replace(/[^A-Za-z0-9_]/g, '_');
  return VALUE_NAME.test(name) ? name : `_${name}`;
}

/** A generator for one parameter: its example, its enum, a UUID, a whole number, or a sampled value. */
function parameterValue(param: Parameter, doc: object): Json {
  const schema = param.schema ?? {};
  const example = param.example ?? schema.example;
  if (example !== undefined) return { pick: { from: [example as Json] } };
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return { pick: { from: schema.enum as Json[], order: 'cycle' } };
  if (schema.format === 'uuid') return { uuid: {} };
  if (schema.type === 'integer' || schema.type === 'number') {
    const min = typeof schema.minimum === 'number' ? Math.ceil(schema.minimum) : 1;
    const max = typeof schema.maximum === 'number' ? Math.floor(schema.maximum) : Math.max(min, 100);
    return { int: { min, max } };
  }
  return { pick: { from: [sample(schema, { quiet: true }, doc) as Json] } };
}

/** The 2xx statuses an operation documents; 200 when it documents none. */
function successStatuses(op: Operation): number[] {
  const statuses = Object.keys(op.responses ?? {})
    .map(Number)
    .filter((s) => s >= 200 && s < 300);
  return statuses.length > 0 ? statuses : [200];
}

function jsonBody(op: Operation, doc: object): Json | undefined {
  const content = op.requestBody?.content;
  const media = content?.['application/json'] ?? Object.entries(content ?? {}).find(([type]) => type.endsWith('+json'))?.[1];
  if (!media) return undefined;
  if (media.example !== undefined) return media.example as Json;
  return media.schema ? (sample(media.schema, { skipReadOnly: true, quiet: true }, doc) as Json) : undefined;
}

/**
 * Literal braces in sampled strings would read as placeholders; a sample never holds one of ours, so
 * text like `{id}` is left out of strings.
 */
function withoutPlaceholders(value: Json): Json {
  if (typeof value === 'string') return value.replace(/[{}]/g, '');
  if (Array.isArray(value)) return value.map(withoutPlaceholders);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k.replace(/[{}]/g, ''), withoutPlaceholders(v)]));
  return value;
}

/** The starting workload of a document (an object, or JSON or YAML text). */
export async function workloadFromOpenApi(document: string | object, options: InitOptions = {}): Promise<WorkloadInput> {
  // Validated first: dereferencing alone takes any JSON for a document with no operations.
  const checked = await validate(document as Parameters<typeof validate>[0]);
  if (!checked.valid) {
    throw new OpenApiError(`not a valid OpenAPI document: ${(checked.errors ?? []).slice(0, 5).map((e) => `${e.path?.join('.') || '(top level)'} ${e.message}`.trim()).join('; ') || 'nothing read'}`);
  }
  const result = await dereference(document as Parameters<typeof dereference>[0]);
  const doc = result.schema as unknown as { info?: { title?: string }; paths?: Record<string, Record<string, Operation>> } | undefined;
  if (!doc || (result.errors?.length ?? 0) > 0) {
    throw new OpenApiError(`not an OpenAPI document: ${(result.errors ?? []).map((e) => `${e.path?.join('.') ?? ''} ${e.message}`.trim()).join('; ') || 'nothing read'}`);
  }
  const streams: Record<string, Json> = {};
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      let name = streamNameOf(op.summary ?? op.operationId ?? `${method} ${path}`);
      for (let i = 2; name in streams; i++) name = `${streamNameOf(op.summary ?? op.operationId ?? method)}-${i}`;
      const params = [...((item as { parameters?: Parameter[] }).parameters ?? []), ...(op.parameters ?? [])];
      const values: Record<string, Json> = {};
      let template = path;
      for (const p of params.filter((p) => p.in === 'path')) {
        const value = valueNameOf(p.name);
        template = template.replaceAll(`{${p.name}}`, `{${value}}`);
        values[value] = parameterValue(p, doc);
      }
      const query = params.filter((p) => p.in === 'query' && p.required);
      for (const p of query) values[valueNameOf(p.name)] = parameterValue(p, doc);
      if (query.length > 0) template += `?${query.map((p) => `${encodeURIComponent(p.name)}={${valueNameOf(p.name)}}`).join('&')}`;
      const body = jsonBody(op, doc);
      streams[name] = {
        executor: 'constant-arrival-rate',
        rate: options.rate ?? DEFAULT_INIT_RATE,
        duration: options.duration ?? DEFAULT_INIT_DURATION,
        request: {
          method: method.toUpperCase(),
          path: template,
          ...(body === undefined ? {} : { headers: { 'Content-Type': 'application/json' }, body: withoutPlaceholders(body) }),
        },
        ...(Object.keys(values).length > 0 ? { values } : {}),
        answers: { success: { status: successStatuses(op) } },
      };
    }
  }
  return {
    name: streamNameOf(doc.info?.title ?? 'app'),
    answers: { lockError: DEFAULT_INIT_LOCK_ERROR },
    streams: streams as WorkloadInput['streams'],
    criteria: [{ id: 'no-lock-errors', type: 'outcomes', outcomes: ['lock-error'], measure: 'count', comparison: '==', threshold: 0 }],
  };
}

/** The workload as the YAML file `workload:init` writes, with a line that points editors at the schema. */
export function workloadYaml(workload: WorkloadInput, schemaPath: string, from: string): string {
  return [
    `# yaml-language-server: $schema=${schemaPath}`,
    `# A starting workload from ${from}: one stream per operation at ${DEFAULT_INIT_RATE}/s by default.`,
    '# Edit it: keep the operations that matter, set their rates, say what a lock error looks like in',
    '# this app (answers.lockError), and add the criteria you gate on (docs/workload.md).',
    stringify(workload, { lineWidth: 0 }),
  ].join('\n');
}

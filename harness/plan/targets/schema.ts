/**
 * The target description (`--target <file>`): how to start a SQLite-backed server (or where it already
 * runs), where its database file is, how each scenario request maps onto its routes, optional SQL for
 * the no-loss check and the workflow writers, and the settings a sweep may vary. Validated with zod;
 * every issue names the field and what was expected there.
 */
import { z } from 'zod';
import type { Json } from '../../model/json.ts';
import { placeholderProblems } from './templates.ts';

/** How long a started target may take to be ready, in ms. */
export const DEFAULT_READY_TIMEOUT_MS = 60_000;
/** How long a stopping target may take to exit after SIGTERM before it is killed, in ms. */
export const DEFAULT_STOP_TIMEOUT_MS = 15_000;
/** Base URL of a started target; `{port}` is a free port the harness picks. */
export const DEFAULT_BASE_URL = 'http://127.0.0.1:{port}';

/** The scenario requests a description maps onto routes. */
export const REQUEST_KINDS = ['import', 'catalogUpdate', 'artifactRead'] as const;
export type RequestKind = (typeof REQUEST_KINDS)[number];

/** Placeholders each template may use: `values` as `{name}`, `lists` as `{{name}}`. */
export const PLACEHOLDERS = {
  start: { values: ['port', 'database', 'workDir', 'node'] },
  baseUrl: { values: ['port'] },
  database: { values: ['workDir'] },
  import: { path: { values: ['sourceId'] }, body: { values: ['sourceId'], lists: ['entries'] } },
  importEntry: { values: ['externalId', 'name', 'type', 'index'], lists: ['children'] },
  importChild: { values: ['externalId', 'name', 'type', 'index'] },
  catalogUpdate: { path: { values: ['entryId'] }, body: { values: ['entryId', 'status', 'title'] } },
  artifactRead: { path: { values: ['sourceId', 'limit'] }, body: { values: ['sourceId', 'limit'] } },
  locks: { values: ['sinceMs'] },
  setting: { values: ['value'] },
} as const;

/** Named SQL parameters each query must use. */
export const SQL_PARAMETERS = {
  artifactsPerSource: ['sourceId'],
  workflowWrite: ['executionId', 'nowMs'],
  workflowCount: ['executionIdPrefix'],
} as const;

const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Setting names are identifiers, as `--vary batchSize=...` writes them. */
const SETTING_NAME = /^[A-Za-z][A-Za-z0-9]*$/;
/** Profile names appear in file names and reports. */
const PROFILE_NAME = /^[a-z][a-z0-9-]*$/;

/** Issue messages: "missing; expected X" or "expected X, got Y". */
export function expected(what: string) {
  return {
    error: (issue: { input?: unknown; code?: string; keys?: string[] }) => {
      if (issue.code === 'unrecognized_keys') return undefined;
      if (issue.input === undefined) return `missing; expected ${what}`;
      return `expected ${what}, got ${JSON.stringify(issue.input)}`;
    },
  };
}

/** A strict object whose unknown keys are reported with the fields it does know. */
export function strict<T extends z.ZodRawShape>(shape: T, what: string) {
  return z.strictObject(shape, {
    error: (issue) => {
      if (issue.code === 'unrecognized_keys') {
        return `unknown field ${issue.keys.map((k) => `"${k}"`).join(', ')}; known fields: ${Object.keys(shape).join(', ')}`;
      }
      return issue.input === undefined ? `missing; expected ${what}` : `expected ${what}, got ${JSON.stringify(issue.input)}`;
    },
  });
}

export const text = (what: string) => z.string(expected(what)).min(1, `expected ${what}, got an empty string`);
const positiveMs = (what: string) => z.int(expected(`${what}, a whole number of milliseconds > 0`)).positive(`expected ${what} > 0 ms`);

export const regex = text('a regular expression (JavaScript syntax)').refine(
  (source) => {
    try {
      new RegExp(source);
      return true;
    } catch {
      return false;
    }
  },
  { error: (issue) => `expected a valid regular expression, got ${JSON.stringify(issue.input)}` },
);

export const json: z.ZodType<Json> = z.lazy(() =>
  z.union([z.null(), z.boolean(), z.number(), z.string(), z.array(json), z.record(z.string(), json)], expected('JSON')),
);

/** Adds one issue per placeholder problem of `template` at `path`. */
function checkPlaceholders(
  ctx: z.RefinementCtx,
  template: Json | undefined,
  allowed: { values: readonly string[]; lists?: readonly string[] },
  path: PropertyKey[],
) {
  for (const message of placeholderProblems(template, allowed)) ctx.addIssue({ code: 'custom', path, message });
}

const readySchema = strict(
  {
    line: regex.optional(),
    stream: z.enum(['stdout', 'stderr', 'any'], expected('"stdout", "stderr" or "any"')).optional(),
    url: text('a path starting with "/" (on the base URL) or an http:// URL').optional(),
    timeoutMs: positiveMs('the readiness timeout').optional(),
  },
  'an object: {"line": "<regex>"} or {"url": "/health"}',
).superRefine((ready, ctx) => {
  if ((ready.line === undefined) === (ready.url === undefined)) {
    ctx.addIssue({ code: 'custom', message: 'give exactly one of "line" (a regex a log line matches) or "url" (answers 2xx when ready)' });
  }
  if (ready.stream !== undefined && ready.line === undefined) {
    ctx.addIssue({ code: 'custom', path: ['stream'], message: '"stream" only applies with "line"' });
  }
  if (ready.url !== undefined && !ready.url.startsWith('/') && !/^https?:\/\//.test(ready.url)) {
    ctx.addIssue({ code: 'custom', path: ['url'], message: `expected a path starting with "/" or an http:// URL, got ${JSON.stringify(ready.url)}` });
  }
  checkPlaceholders(ctx, ready.url, PLACEHOLDERS.baseUrl, ['url']);
});

const startSchema = strict(
  {
    command: text('the program to run, e.g. "/usr/bin/python3" or "{node}"'),
    args: z.array(text('an argument'), expected('a list of arguments')).default([]),
    cwd: text('a folder, relative to the description file').optional(),
    env: z
      .record(z.string().regex(ENV_NAME), z.string(expected('a string value')), {
        error: (issue) => (issue.code === 'invalid_key' ? `expected an environment variable name, got ${JSON.stringify(issue.input)}` : 'expected an object of environment variables'),
      })
      .default({}),
    baseUrl: text('the URL the started target answers on, e.g. "http://127.0.0.1:{port}"').default(DEFAULT_BASE_URL),
    ready: readySchema,
    stopTimeoutMs: positiveMs('the stop timeout').default(DEFAULT_STOP_TIMEOUT_MS),
  },
  'an object {command, args, cwd, env, ready}',
).superRefine((start, ctx) => {
  checkPlaceholders(ctx, start.command, PLACEHOLDERS.start, ['command']);
  start.args.forEach((arg, i) => checkPlaceholders(ctx, arg, PLACEHOLDERS.start, ['args', i]));
  for (const [name, value] of Object.entries(start.env)) checkPlaceholders(ctx, value, PLACEHOLDERS.start, ['env', name]);
  checkPlaceholders(ctx, start.baseUrl, PLACEHOLDERS.baseUrl, ['baseUrl']);
  const usesPort = [start.command, ...start.args, ...Object.values(start.env), start.baseUrl].some((t) => t.includes('{port}'));
  const urlFromLine = start.ready.line !== undefined && /\(\?<url>/.test(start.ready.line);
  if (!start.baseUrl.includes('{port}') && !urlFromLine && !usesPort) {
    ctx.addIssue({
      code: 'custom',
      path: ['baseUrl'],
      message: 'the target must be told its port: use {port} in args or env (and baseUrl), or capture the URL with a (?<url>...) group in ready.line',
    });
  }
});

const statusList = (what: string) =>
  z.array(z.int(expected('an HTTP status from 100 to 599')).min(100, 'expected an HTTP status from 100 to 599').max(599, 'expected an HTTP status from 100 to 599'), expected(`a list of HTTP statuses that mean ${what}`));

const statusSchema = strict(
  { success: statusList('success').min(1, 'expected at least one success status'), partial: statusList('partial success').default([]), lockTimeout: statusList('a lock timeout').default([]) },
  'an object {success: [200], partial?: [207], lockTimeout?: [503]}',
).superRefine((status, ctx) => {
  const seen = new Map<number, string>();
  for (const outcome of ['success', 'partial', 'lockTimeout'] as const) {
    status[outcome].forEach((code, i) => {
      const earlier = seen.get(code);
      if (earlier) ctx.addIssue({ code: 'custom', path: [outcome, i], message: `status ${code} is already listed under ${earlier}` });
      seen.set(code, outcome);
    });
  }
});

const requestShape = {
  method: z.enum(HTTP_METHODS, expected(`one of ${HTTP_METHODS.join(', ')}`)).optional(),
  path: text('a path template starting with "/"').optional(),
  headers: z.record(z.string(), z.string(expected('a header value'))).default({}),
  body: json.optional(),
  status: statusSchema,
};

const requestSchema = strict(requestShape, 'an object {method, path, body?, status}');
const importRequestSchema = strict(
  {
    ...requestShape,
    entry: json.optional(),
    child: json.optional(),
    importedField: text('a dot path into the JSON answer, e.g. "imported"').optional(),
  },
  'an object {method, path, body, entry?, child?, status}',
);

const requestsSchema = strict(
  { import: importRequestSchema, catalogUpdate: requestSchema, artifactRead: requestSchema.optional() },
  'an object {import, catalogUpdate, artifactRead?}',
);

const sqlText = (what: string) => text(`SQL: ${what}`);

const sqlSchema = strict(
  {
    artifactsPerSource: sqlText('one SELECT returning a column "n", the rows stored for :sourceId').optional(),
    workflowWrite: strict(
      {
        statements: z.array(sqlText('a statement using :executionId and :nowMs'), expected('a list of SQL statements')).min(1, 'expected at least one statement'),
        count: sqlText('one SELECT returning a column "n", the executions stored whose id starts with :executionIdPrefix'),
      },
      'an object {statements: [...], count}',
    ).optional(),
  },
  'an object {artifactsPerSource?, workflowWrite?}',
).superRefine((sql, ctx) => {
  const needs = (query: string | undefined, params: readonly string[], path: PropertyKey[]) => {
    if (query === undefined) return;
    for (const p of params) {
      if (!new RegExp(`:${p}\\b`).test(query)) ctx.addIssue({ code: 'custom', path, message: `expected the SQL to use the parameter :${p}` });
    }
  };
  needs(sql.artifactsPerSource, SQL_PARAMETERS.artifactsPerSource, ['artifactsPerSource']);
  if (sql.workflowWrite) {
    needs(sql.workflowWrite.statements.join('\n'), SQL_PARAMETERS.workflowWrite, ['workflowWrite', 'statements']);
    needs(sql.workflowWrite.count, SQL_PARAMETERS.workflowCount, ['workflowWrite', 'count']);
  }
});

const numberBounds = { min: z.number(expected('a number')).optional(), max: z.number(expected('a number')).optional() };
const settingTarget = {
  env: z.string(expected('an environment variable name')).regex(ENV_NAME, 'expected an environment variable name').optional(),
  args: z.array(text('an argument; {value} is the setting'), expected('a list of arguments using {value}')).optional(),
  description: z.string(expected('a sentence')).optional(),
};

const settingSchema = z
  .discriminatedUnion(
    'type',
    [
      strict({ type: z.literal('integer'), ...numberBounds, ...settingTarget }, 'an integer setting'),
      strict({ type: z.literal('number'), ...numberBounds, ...settingTarget }, 'a number setting'),
      strict(
        { type: z.literal('enum'), values: z.array(text('an allowed value'), expected('a list of allowed values')).min(1, 'expected at least one allowed value'), ...settingTarget },
        'an enum setting',
      ),
    ],
    { error: (issue) => (issue.code === 'invalid_union' ? `expected "type" to be one of "integer", "number", "enum"` : `expected a setting {type, env | args}`) },
  )
  .superRefine((setting, ctx) => {
    if ((setting.env === undefined) === (setting.args === undefined)) {
      ctx.addIssue({ code: 'custom', message: 'give exactly one of "env" (an environment variable) or "args" (arguments with {value})' });
    }
    if (setting.args !== undefined) {
      setting.args.forEach((arg, i) => checkPlaceholders(ctx, arg, PLACEHOLDERS.setting, ['args', i]));
      if (!setting.args.some((arg) => arg.includes('{value}'))) ctx.addIssue({ code: 'custom', path: ['args'], message: 'expected {value} in one of the arguments' });
    }
  });

type SettingValue = string | number;

const profileSchema = strict(
  {
    summary: z.string(expected('a sentence')).optional(),
    settings: z.record(z.string(), z.union([z.string(), z.number()], expected('a string or a number'))),
    gated: z.boolean(expected('true or false')).default(false),
  },
  'an object {summary?, settings, gated?}',
);

const keyedBy = <T extends z.ZodType>(value: T, what: string, pattern: RegExp, rule: string) =>
  z.record(z.string().regex(pattern), value, {
    error: (issue) => (issue.code === 'invalid_key' ? `expected a ${what} name: ${rule}, got ${JSON.stringify(issue.input)}` : `expected an object of ${what}s by name`),
  });

export const targetDescriptionSchema = strict(
  {
    name: text('a short name for reports, e.g. "fastapi-sqlalchemy"'),
    start: startSchema.optional(),
    url: z.url(expected('the http:// URL of a running target')).optional(),
    database: text('the SQLite database file ({workDir} gives each trial a fresh one)'),
    seeded: strict(
      {
        sources: z.int(expected('a count')).positive(),
        catalogEntries: z.int(expected('a count')).positive(),
      },
      'an object {sources, catalogEntries}: the seeded sources src-1..src-N and catalog entries 1..N',
    ).optional(),
    health: strict({ path: text('a path, e.g. "/api/health"') }, 'an object {path}').optional(),
    requests: requestsSchema.optional(),
    adapter: text('a TypeScript module, relative to the description file').optional(),
    sql: sqlSchema.default({}),
    settings: keyedBy(settingSchema, 'setting', SETTING_NAME, 'a letter, then letters or digits').default({}),
    profiles: keyedBy(profileSchema, 'profile', PROFILE_NAME, 'lower-case letters, digits and dashes, starting with a letter').default({}),
    locks: strict({ path: text('a path, e.g. "/api/health/locks?sinceMs={sinceMs}"') }, 'an object {path}').optional(),
  },
  'a target description object',
).superRefine((d, ctx) => {
  if ((d.start === undefined) === (d.url === undefined)) {
    ctx.addIssue({ code: 'custom', message: 'give exactly one of "start" (lockbench starts the target) or "url" (an already-running target)' });
    return;
  }
  checkPlaceholders(ctx, d.database, d.start ? PLACEHOLDERS.database : { values: [] }, ['database']);
  if (d.url !== undefined && Object.keys(d.settings).length > 0) {
    ctx.addIssue({ code: 'custom', path: ['settings'], message: 'a target given by "url" is not restarted, so it has no settings to vary; give "start" instead' });
  }
  if (d.requests) checkRequests(d.requests, d.adapter !== undefined, ctx);
  if (d.locks) checkPlaceholders(ctx, d.locks.path, PLACEHOLDERS.locks, ['locks', 'path']);
  for (const [name, profile] of Object.entries(d.profiles)) {
    for (const [key, value] of Object.entries(profile.settings)) {
      const setting = d.settings[key];
      const problem = setting ? settingValueProblem(setting, value) : `unknown setting; known settings: ${Object.keys(d.settings).join(', ') || 'none'}`;
      if (problem) ctx.addIssue({ code: 'custom', path: ['profiles', name, 'settings', key], message: problem });
    }
  }
});

function checkRequests(requests: z.output<typeof requestsSchema>, hasAdapter: boolean, ctx: z.RefinementCtx) {
  for (const kind of REQUEST_KINDS) {
    const request = requests[kind];
    if (!request) continue;
    const at = (field: string): PropertyKey[] => ['requests', kind, field];
    if (!hasAdapter) {
      if (request.method === undefined) ctx.addIssue({ code: 'custom', path: at('method'), message: `missing; expected one of ${HTTP_METHODS.join(', ')} (or an adapter)` });
      if (request.path === undefined) ctx.addIssue({ code: 'custom', path: at('path'), message: 'missing; expected a path template starting with "/" (or an adapter)' });
    }
    if (request.path !== undefined && !request.path.startsWith('/')) {
      ctx.addIssue({ code: 'custom', path: at('path'), message: `expected a path starting with "/", got ${JSON.stringify(request.path)}` });
    }
    const allowed = PLACEHOLDERS[kind];
    checkPlaceholders(ctx, request.path, allowed.path, at('path'));
    checkPlaceholders(ctx, request.body, allowed.body, at('body'));
  }
  const { entry, child } = requests.import;
  checkPlaceholders(ctx, entry, PLACEHOLDERS.importEntry, ['requests', 'import', 'entry']);
  checkPlaceholders(ctx, child, PLACEHOLDERS.importChild, ['requests', 'import', 'child']);
  if (child !== undefined && entry === undefined) {
    ctx.addIssue({ code: 'custom', path: ['requests', 'import', 'child'], message: '"child" needs an "entry" template with {{children}}' });
  }
}

/** Why `value` is not allowed for `setting`, or undefined when it is. */
export function settingValueProblem(setting: SettingDefinition, value: SettingValue): string | undefined {
  if (setting.type === 'enum') {
    return setting.values.includes(String(value)) ? undefined : `expected one of ${setting.values.join(', ')}, got ${JSON.stringify(value)}`;
  }
  const bounds = [setting.min !== undefined ? `>= ${setting.min}` : '', setting.max !== undefined ? `<= ${setting.max}` : ''].filter(Boolean).join(' and ');
  const what = `${setting.type === 'integer' ? 'an integer' : 'a number'}${bounds ? ` ${bounds}` : ''}`;
  const n = typeof value === 'number' ? value : Number(value);
  const ok =
    (typeof value === 'number' || (value.trim() !== '' && Number.isFinite(n))) &&
    (setting.type === 'number' || Number.isInteger(n)) &&
    (setting.min === undefined || n >= setting.min) &&
    (setting.max === undefined || n <= setting.max);
  return ok ? undefined : `expected ${what}, got ${JSON.stringify(value)}`;
}

/** A target description as written in the file (defaults not yet filled). */
export type TargetDescriptionInput = z.input<typeof targetDescriptionSchema>;
/** A validated target description, defaults filled. */
export type TargetDescription = z.output<typeof targetDescriptionSchema>;
export type StartDescription = NonNullable<TargetDescription['start']>;
export type ReadyDescription = StartDescription['ready'];
export type ScenarioRequests = NonNullable<TargetDescription['requests']>;
export type SeededCounts = NonNullable<TargetDescription['seeded']>;
export type RequestDescription = ScenarioRequests['catalogUpdate'];
export type ImportRequestDescription = ScenarioRequests['import'];
export type StatusDescription = RequestDescription['status'];
export type SettingDefinition = z.output<typeof settingSchema>;
export type ProfileDescription = TargetDescription['profiles'][string];
export type TargetSql = TargetDescription['sql'];

/**
 * How lockbench's built-in scenario reaches a described target: its routes (`requests`) and what it seeds
 * (`seeded`). A description may leave both out, and then runs only with a workload of its own; a run without
 * one is refused before it starts (harness/plan/options.ts), so reaching here without them is a bug.
 */
export function scenarioMapping(description: TargetDescription): { requests: ScenarioRequests; seeded: SeededCounts } {
  const { requests, seeded } = description;
  if (requests === undefined || seeded === undefined) {
    throw new Error(`target description "${description.name}" gives no "requests" and "seeded": it runs only with a --workload`);
  }
  return { requests, seeded };
}

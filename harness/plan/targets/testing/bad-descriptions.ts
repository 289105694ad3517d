/**
 * Bad target descriptions, each a change to the valid FastAPI example and the one issue it must raise.
 * The validation test runs them; README.md lists them as a table.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const EXAMPLE = fileURLToPath(new URL('../../../../examples/fastapi-sqlalchemy/target.json', import.meta.url));
export const EXAMPLE_DIR = fileURLToPath(new URL('../../../../examples/fastapi-sqlalchemy/', import.meta.url));

// The cases edit the parsed JSON freely.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Description = Record<string, any>;
export const example = (): Description => JSON.parse(readFileSync(EXAMPLE, 'utf8'));

/** A description given by URL instead of a start command. */
export function running(d: Description): Description {
  delete d.start;
  delete d.settings;
  delete d.profiles;
  d.url = 'http://127.0.0.1:8000';
  d.database = '/srv/app/marketplace.db';
  return d;
}

/** One bad description: the change to the valid example, and the issue it must raise. README.md lists them all. */
export interface BadCase {
  name: string;
  change: (d: Description) => void;
  path: string;
  message: string;
}

export const BAD_CASES: BadCase[] = [
  { name: 'both start and url', change: (d) => (d.url = 'http://127.0.0.1:8000'), path: '(top level)', message: 'give exactly one of "start" (lockbench starts the target) or "url" (an already-running target)' },
  { name: 'neither start nor url', change: (d) => delete d.start, path: '(top level)', message: 'give exactly one of "start" (lockbench starts the target) or "url" (an already-running target)' },
  { name: 'misspelled field', change: (d) => (d.adaptor = './adapter.ts'), path: '(top level)', message: 'unknown field "adaptor"; known fields: name, start, url, database' },
  { name: 'command not a string', change: (d) => (d.start.command = 3), path: 'start.command', message: 'expected the program to run, e.g. "/usr/bin/python3" or "{node}", got 3' },
  { name: 'ready by line and url', change: (d) => (d.start.ready.url = '/api/health'), path: 'start.ready', message: 'give exactly one of "line" (a regex a log line matches) or "url" (answers 2xx when ready)' },
  { name: 'ready line not a regex', change: (d) => (d.start.ready.line = 'running on ('), path: 'start.ready.line', message: 'expected a valid regular expression, got "running on ("' },
  { name: 'ready url neither path nor URL', change: (d) => ((d.start.ready = { url: 'health' })), path: 'start.ready.url', message: 'expected a path starting with "/" or an http:// URL, got "health"' },
  { name: 'readiness timeout not positive', change: (d) => (d.start.ready.timeoutMs = -5), path: 'start.ready.timeoutMs', message: 'expected the readiness timeout > 0 ms' },
  {
    name: 'port never given',
    change: (d) => ((d.start.args = ['-m', 'uvicorn', 'app.main:app']), (d.start.baseUrl = 'http://127.0.0.1:8000'), (d.start.ready.line = 'Uvicorn running')),
    path: 'start.baseUrl',
    message: 'the target must be told its port',
  },
  { name: 'unknown placeholder in args', change: (d) => (d.start.args[6] = '{prot}'), path: 'start.args.6', message: 'unknown placeholder {prot}; known here: {port}, {database}, {workDir}, {node}' },
  { name: 'bad environment variable name', change: (d) => (d.start.env['DB PATH'] = 'x'), path: 'start.env.DB PATH', message: 'expected an environment variable name' },
  { name: 'cwd missing', change: (d) => (d.start.cwd = './no-such-folder'), path: 'start.cwd', message: 'no such folder' },
  { name: 'database missing', change: (d) => delete d.database, path: 'database', message: 'missing; expected the SQLite database file ({workDir} gives each trial a fresh one)' },
  { name: 'running target with {workDir}', change: (d) => ((running(d).database = '{workDir}/app.db')), path: 'database', message: 'unknown placeholder {workDir}; known here: none' },
  { name: 'url not a URL', change: (d) => (running(d).url = 'localhost'), path: 'url', message: 'expected the http:// URL of a running target, got "localhost"' },
  { name: 'running target with settings', change: (d) => (running(d).settings = { batchSize: { type: 'integer', env: 'IMPORT_BATCH_SIZE' } }), path: 'settings', message: 'a target given by "url" is not restarted, so it has no settings to vary; give "start" instead' },
  { name: 'seeded counts not an object', change: (d) => (d.seeded = 8), path: 'seeded', message: 'expected an object {sources, catalogEntries}: the seeded sources src-1..src-N and catalog entries 1..N, got 8' },
  { name: 'unknown HTTP method', change: (d) => (d.requests.import.method = 'FETCH'), path: 'requests.import.method', message: 'expected one of GET, POST, PUT, PATCH, DELETE, got "FETCH"' },
  { name: 'path missing, no adapter', change: (d) => delete d.requests.import.path, path: 'requests.import.path', message: 'missing; expected a path template starting with "/" (or an adapter)' },
  { name: 'path without leading slash', change: (d) => (d.requests.catalogUpdate.path = 'api/catalog/{entryId}'), path: 'requests.catalogUpdate.path', message: 'expected a path starting with "/", got "api/catalog/{entryId}"' },
  { name: 'placeholder of another request', change: (d) => (d.requests.catalogUpdate.path = '/api/sources/{sourceId}/catalog'), path: 'requests.catalogUpdate.path', message: 'unknown placeholder {sourceId}; known here: {entryId}' },
  { name: 'list placeholder inside text', change: (d) => (d.requests.import.body = { artifacts: 'all: {{entries}}' }), path: 'requests.import.body', message: 'list placeholder {{entries}} must be a whole JSON string ("{{entries}}"), not part of "all: {{entries}}"' },
  { name: 'unknown entry field', change: (d) => (d.requests.import.entry.slug = '{slug}'), path: 'requests.import.entry', message: 'unknown placeholder {slug}; known here: {externalId}, {name}, {type}, {index}, {{children}}' },
  { name: 'child template without entry template', change: (d) => delete d.requests.import.entry, path: 'requests.import.child', message: '"child" needs an "entry" template with {{children}}' },
  { name: 'status out of range', change: (d) => (d.requests.import.status.success = [700]), path: 'requests.import.status.success.0', message: 'expected an HTTP status from 100 to 599' },
  { name: 'status in two lists', change: (d) => (d.requests.import.status.success = [200, 503]), path: 'requests.import.status.lockTimeout.0', message: 'status 503 is already listed under success' },
  { name: 'no success status', change: (d) => (d.requests.catalogUpdate.status.success = []), path: 'requests.catalogUpdate.status.success', message: 'expected at least one success status' },
  { name: 'catalog update missing', change: (d) => delete d.requests.catalogUpdate, path: 'requests.catalogUpdate', message: 'missing; expected an object {method, path, body?, status}' },
  { name: 'adapter file missing', change: (d) => (d.adapter = './adapter.ts'), path: 'adapter', message: 'no such file' },
  { name: 'no-loss SQL without :sourceId', change: (d) => (d.sql.artifactsPerSource = 'SELECT count(*) AS n FROM artifacts'), path: 'sql.artifactsPerSource', message: 'expected the SQL to use the parameter :sourceId' },
  { name: 'workflow write without count', change: (d) => delete d.sql.workflowWrite.count, path: 'sql.workflowWrite.count', message: 'missing; expected SQL: one SELECT returning a column "n"' },
  { name: 'setting type unknown', change: (d) => (d.settings.batchSize.type = 'int'), path: 'settings.batchSize.type', message: 'expected "type" to be one of "integer", "number", "enum"' },
  { name: 'setting by env and args', change: (d) => (d.settings.batchSize.args = ['--batch-size', '{value}']), path: 'settings.batchSize', message: 'give exactly one of "env" (an environment variable) or "args" (arguments with {value})' },
  { name: 'setting args without {value}', change: (d) => ((d.settings.batchSize = { type: 'integer', args: ['--batch-size'] })), path: 'settings.batchSize.args', message: 'expected {value} in one of the arguments' },
  { name: 'enum setting without values', change: (d) => delete d.settings.importMode.values, path: 'settings.importMode.values', message: 'missing; expected a list of allowed values' },
  { name: 'setting name not an identifier', change: (d) => (d.settings['batch-size'] = d.settings.batchSize), path: 'settings.batch-size', message: 'expected a setting name: a letter, then letters or digits, got "batch-size"' },
  { name: 'profile sets an unknown setting', change: (d) => (d.profiles.batched.settings.batchSiz = 10), path: 'profiles.batched.settings.batchSiz', message: 'unknown setting; known settings: importMode, batchSize, artifactWorkMs, busyTimeoutMs' },
  { name: 'profile value not allowed', change: (d) => (d.profiles.batched.settings.batchSize = 0), path: 'profiles.batched.settings.batchSize', message: 'expected an integer >= 1, got 0' },
  { name: 'profile enum value not allowed', change: (d) => (d.profiles.batched.settings.importMode = 'staged'), path: 'profiles.batched.settings.importMode', message: 'expected one of monolithic, batched, got "staged"' },
  { name: 'locks path placeholder unknown', change: (d) => (d.locks = { path: '/locks?since={since}' }), path: 'locks.path', message: 'unknown placeholder {since}; known here: {sinceMs}' },
];


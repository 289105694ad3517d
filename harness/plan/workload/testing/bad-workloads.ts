/**
 * Bad workloads, each a change to the valid shop workload of docs/workload.md and the one issue it must
 * raise. The loader's test runs them; docs/workload.md lists them as a table.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

export const DOC = fileURLToPath(new URL('../../../../docs/workload.md', import.meta.url));
export const DOC_DIR = fileURLToPath(new URL('../../../../docs/', import.meta.url));

/** The shop workload: the first YAML block of docs/workload.md, so the documented example is the tested one. */
export function shopYaml(): string {
  const block = /```yaml\n([\s\S]*?)```/.exec(readFileSync(DOC, 'utf8'));
  if (!block) throw new Error(`${DOC} has no YAML block`);
  return block[1]!;
}

// The cases edit the parsed YAML freely.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type WorkloadValue = Record<string, any>;
export const shop = (): WorkloadValue => parse(shopYaml());

/** One bad workload: the change to the shop, and the issue it must raise. docs/workload.md lists them all. */
export interface BadCase {
  name: string;
  change: (w: WorkloadValue) => void;
  path: string;
  message: string;
}

const criterion = (w: WorkloadValue, id: string) => w.criteria.find((c: { id: string }) => c.id === id);

export const BAD_CASES: BadCase[] = [
  { name: 'misspelled top-level field', change: (w) => (w.stream = w.streams), path: '(top level)', message: 'unknown field "stream"; known fields: $schema, name, description, seed, lockErrors, answers, streams, criteria, rank' },
  { name: 'streams missing', change: (w) => delete w.streams, path: 'streams', message: 'missing; expected the streams: a list of named streams or an object of streams by name' },
  { name: 'misspelled stream field', change: (w) => ((w.streams.orders.reqest = w.streams.orders.request), delete w.streams.orders.request), path: 'streams.orders', message: 'unknown field "reqest"; known fields: executor, rate, timeUnit, duration, endsAfter' },
  { name: 'unknown executor', change: (w) => (w.streams.orders.executor = 'constant-rate'), path: 'streams.orders.executor', message: 'expected "executor" to be one of "constant-arrival-rate", "ramping-arrival-rate", "per-vu-iterations", "constant-vus"' },
  { name: 'field of another executor', change: (w) => (w.streams.orders.vus = 10), path: 'streams.orders', message: 'unknown field "vus"' },
  { name: 'rate not positive', change: (w) => (w.streams.orders.rate = 0), path: 'streams.orders.rate', message: 'expected iterations per timeUnit > 0' },
  { name: 'duration not a duration', change: (w) => (w.streams.orders.duration = '60'), path: 'streams.orders.duration', message: 'expected how long it runs, a duration such as "500ms", "2s" or "1m30s", got "60"' },
  { name: 'stream name not a name', change: (w) => (w.streams['2orders'] = w.streams.orders), path: 'streams.2orders', message: 'expected a stream name (a letter, then letters, digits, _ or -), got "2orders"' },
  { name: 'list stream without a name', change: (w) => (w.streams = Object.entries(w.streams).map(([name, s], i) => (i === 3 ? s : { name, ...(s as object) }))), path: 'streams.3.name', message: 'missing; expected a stream name (streams given as a list are named by "name")' },
  { name: 'both request and sql', change: (w) => (w.streams.orders.sql = { hold: '1s' }), path: 'streams.orders', message: 'give exactly one of "request" (an HTTP stream) or "sql" (writes from connections of its own)' },
  { name: 'unknown HTTP method', change: (w) => (w.streams.orders.request.method = 'FETCH'), path: 'streams.orders.request.method', message: 'expected one of GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS, got "FETCH"' },
  { name: 'path without leading slash', change: (w) => (w.streams.orders.request.path = 'orders'), path: 'streams.orders.request.path', message: 'expected a path starting with "/", got "orders"' },
  { name: 'unknown value in a template', change: (w) => (w.streams['product-reads'].request.path = '/products/{prodct}'), path: 'streams.product-reads.request.path', message: 'unknown value {prodct}; known here: {n}, {product}' },
  { name: 'unknown value in a list item', change: (w) => (w.streams.restocks.values.items.list.item.productId = '{index}'), path: 'streams.restocks.values.items.list.item', message: 'unknown value {index}; known here: {n}, {i}' },
  { name: 'misspelled generator', change: (w) => (w.streams.orders.values.quantity = { integer: { min: 1, max: 3 } }), path: 'streams.orders.values.quantity', message: 'unknown field "integer"; known fields: sequence, int, pick, uuid, csv, list' },
  { name: 'two generators in one value', change: (w) => (w.streams.orders.values.quantity.sequence = {}), path: 'streams.orders.values.quantity', message: 'expected exactly one generator (sequence, int, pick, uuid, csv, list), got sequence and int' },
  { name: 'random range upside down', change: (w) => (w.streams.orders.values.quantity.int = { min: 3, max: 1 }), path: 'streams.orders.values.quantity.int', message: 'expected min <= max' },
  { name: 'CSV file missing', change: (w) => (w.streams.orders.values.customer = { csv: { file: 'customers.csv' } }), path: 'streams.orders.values.customer.csv.file', message: 'no such file' },
  { name: 'answer pattern not a regex', change: (w) => (w.answers.lockError.body = 'database is (locked'), path: 'answers.lockError.body', message: 'expected a valid regular expression, got "database is (locked"' },
  { name: 'answer class with neither status nor body', change: (w) => (w.answers.lockError = {}), path: 'answers.lockError', message: 'expected "status", "body" or both' },
  { name: 'status out of range', change: (w) => (w.answers.success.status = [700]), path: 'answers.success.status.0', message: 'expected an HTTP status from 100 to 599' },
  { name: 'ends after an unknown stream', change: (w) => (w.streams.orders.endsAfter = { stream: 'restock' }), path: 'streams.orders.endsAfter.stream', message: 'unknown stream "restock"; known streams: orders, restocks, product-reads, report' },
  { name: 'streams end after each other', change: (w) => ((w.streams.orders.endsAfter = { stream: 'restocks' }), (w.streams.restocks.endsAfter = { stream: 'orders' })), path: 'streams.orders.endsAfter.stream', message: 'the streams end after each other in a circle: orders -> restocks -> orders' },
  { name: 'a request stream and an SQL stream end after each other', change: (w) => ((w.streams.orders.endsAfter = { stream: 'report' }), (w.streams.report.endsAfter = { stream: 'orders', tail: '1s' })), path: 'streams.orders.endsAfter.stream', message: 'the streams end after each other in a circle: orders -> report -> orders' },
  { name: 'SQL stream with nothing to do', change: (w) => (w.streams.report.sql = { threads: 1 }), path: 'streams.report.sql', message: 'expected "statements", a "procedure", or a "hold" (a plain lock holder)' },
  { name: 'SQL stream not at a rate', change: (w) => (w.streams.report = { executor: 'constant-vus', vus: 1, duration: '60s', sql: { hold: '200ms' } }), path: 'streams.report.executor', message: 'an SQL stream writes at a rate: expected "constant-arrival-rate", got "constant-vus"' },
  { name: 'SQL stream with HTTP answers', change: (w) => (w.streams.report.acknowledged = 'n'), path: 'streams.report.acknowledged', message: 'an SQL stream has no HTTP answers; "acknowledged" belongs to request streams' },
  { name: 'unknown SQL parameter', change: (w) => (w.streams.report.sql = { statements: ["INSERT INTO audit (id, at) VALUES (:executionId, :nowMs)"] }), path: 'streams.report.sql.statements.0', message: 'unknown parameter :executionId; known here: :id, :n, :nowMs' },
  { name: 'procedure not in an immediate transaction', change: (w) => (w.streams.report.sql = { procedure: 'workflow-executions', transaction: 'deferred' }), path: 'streams.report.sql.transaction', message: 'the workflow-executions procedure writes in immediate transactions only, got "deferred"' },
  { name: 'unknown transaction mode', change: (w) => (w.streams.report.sql.transaction = 'IMMEDIATE'), path: 'streams.report.sql.transaction', message: 'expected one of immediate, deferred, exclusive, got "IMMEDIATE"' },
  { name: 'criterion type unknown', change: (w) => (criterion(w, 'lock-busy').type = 'duty-cycle'), path: 'criteria.5.type', message: 'expected "type" to be one of "latency", "outcomes", "throughput", "wall", "max-lock-hold", "lock-duty-cycle", "no-loss"' },
  { name: 'criterion on an unknown stream', change: (w) => (criterion(w, 'orders-p99').stream = 'order'), path: 'criteria.0.stream', message: 'unknown stream "order"; known streams: orders, restocks, product-reads, report' },
  { name: 'window of an unknown stream', change: (w) => (criterion(w, 'orders-p99').window = 'restock'), path: 'criteria.0.window', message: 'unknown stream "restock"; known streams: orders, restocks, product-reads, report' },
  { name: 'criterion id used twice', change: (w) => (criterion(w, 'lock-busy').id = 'lock-hold'), path: 'criteria.5.id', message: 'criterion id "lock-hold" is used twice' },
  { name: 'comparison unknown', change: (w) => (criterion(w, 'lock-hold').comparison = '=<'), path: 'criteria.4.comparison', message: 'expected one of < <= > >= ==, got "=<"' },
  { name: 'no-loss on a stream that acknowledges nothing', change: (w) => (criterion(w, 'restocks-stored').stream = 'orders'), path: 'criteria.6.stream', message: 'stream "orders" does not say what its answers acknowledge: give it "acknowledged" (a dot path into the answer)' },
  { name: 'no-loss SQL without n', change: (w) => (criterion(w, 'restocks-stored').count = 'SELECT count(*) FROM stock_movements'), path: 'criteria.6.count', message: 'expected the SQL to return a column named n (SELECT count(*) AS n ...)' },
  { name: 'lock errors counted, none recognised', change: (w) => (delete w.answers.lockError, w.criteria.splice(2, 1)), path: 'criteria.1.outcomes', message: 'counts lock errors, but no stream it judges says how to recognise one: give "answers.lockError" (status and/or body pattern)' },
  { name: 'fast lock errors without the busy timeout', change: (w) => ((delete w.lockErrors), w.criteria.splice(2, 1)), path: 'criteria.1.outcomes', message: 'splits lock errors into fast and timed out, which needs the app\'s busy timeout: give "lockErrors.busyTimeout"' },
  { name: 'no answer counted on an SQL stream', change: (w) => (criterion(w, 'reads-keep-up').stream = 'report', criterion(w, 'reads-keep-up').outcomes = ['no-answer']), path: 'criteria.3.outcomes', message: 'stream "report" writes SQL: every write ends with SQLite\'s answer, none is left unanswered; "no-answer" counts a request stream\'s requests' },
  { name: 'rank of no criterion', change: (w) => (w.rank = []), path: 'rank', message: 'expected at least one criterion id' },
  { name: 'rank of an unknown criterion', change: (w) => (w.rank = ['orders-p99', 'orders-p95']), path: 'rank.1', message: 'unknown criterion "orders-p95"; criteria it can rank by: orders-p99, few-timeouts, reads-keep-up, lock-hold, lock-busy' },
  { name: 'rank of a no-loss check', change: (w) => (w.rank = ['restocks-stored']), path: 'rank.0', message: '"restocks-stored" is a no-loss check, which passes or fails, with no figure to rank by; criteria it can rank by: orders-p99, few-timeouts, reads-keep-up, lock-hold, lock-busy' },
  { name: 'rank of an == criterion', change: (w) => (w.rank = ['no-fast-lock-errors']), path: 'rank.0', message: '"no-fast-lock-errors" compares with ==, so neither a lower nor a higher figure is better; criteria it can rank by: orders-p99, few-timeouts, reads-keep-up, lock-hold, lock-busy' },
  { name: 'criterion ranked twice', change: (w) => (w.rank = ['lock-hold', 'lock-hold']), path: 'rank.1', message: 'criterion "lock-hold" is ranked twice' },
  { name: 'fast line above the busy timeout', change: (w) => (w.lockErrors.fastBelow = '10s'), path: 'lockErrors.fastBelow', message: 'expected at most the busy timeout: a lock error answered after the whole timeout is not fast' },
];

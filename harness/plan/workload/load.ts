/**
 * Reads, validates and resolves a workload file (`--workload <file>`, JSON or YAML). Every problem is
 * reported at once with the field's path and what was expected there; a workload that loads has every
 * stream, value and criterion it names, so nothing is refused later in a run.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, extname, resolve } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { parse as parseYaml } from 'yaml';
import { durationMs } from '../../../scenarios/lib/env.ts';
import type { Json } from '../../model/json.ts';
import type { AnswerRules, CsvRow, Generator, LoadedWorkload, OutcomeSelector, ResolvedGenerator } from '../../model/workload-plan.ts';
import { workloadSchemaFor, type CriterionFile, type StreamFile, type WorkloadFile } from './schema.ts';
import { ITERATION, placeholdersIn } from './template.ts';
import { resolveWorkload } from './resolve.ts';
import { InvalidFileError, issuePath, type FileIssue } from '../../shared/invalid-file.ts';

/** One problem with a workload: where and what was expected. */
export type WorkloadIssue = FileIssue;

export class WorkloadError extends InvalidFileError {
  readonly code = 'BAD_WORKLOAD';
  constructor(source: string, issues: readonly WorkloadIssue[]) {
    super(source, 'workload', issues);
    this.name = 'WorkloadError';
  }
}

/** The streams as a list of [name, stream, path-in-file], whichever way the file wrote them. */
type NamedStream = { name: string; stream: StreamFile; at: PropertyKey[] };

function namedStreams(file: WorkloadFile, issues: WorkloadIssue[]): NamedStream[] {
  const out: NamedStream[] = [];
  if (Array.isArray(file.streams)) {
    file.streams.forEach((stream, i) => {
      if (stream.name === undefined) issues.push({ path: `streams.${i}.name`, message: 'missing; expected a stream name (streams given as a list are named by "name")' });
      else out.push({ name: stream.name, stream, at: ['streams', i] });
    });
  } else {
    for (const [name, stream] of Object.entries(file.streams)) {
      if (stream.name !== undefined && stream.name !== name) {
        issues.push({ path: `streams.${name}.name`, message: `a stream given by name is named by its key; got "${stream.name}" under "${name}"` });
      }
      out.push({ name, stream, at: ['streams', name] });
    }
  }
  const seen = new Set<string>();
  for (const s of out) {
    if (seen.has(s.name)) issues.push({ path: issuePath([...s.at, 'name']), message: `stream "${s.name}" is named twice` });
    seen.add(s.name);
  }
  return out;
}

/** Checks the placeholders of one template against the names its scope holds. */
function checkTemplate(template: Json | undefined, known: readonly string[], at: PropertyKey[], issues: WorkloadIssue[]): void {
  for (const p of placeholdersIn(template)) {
    if (!known.includes(p.name)) {
      issues.push({ path: issuePath(at), message: `unknown value ${p.written}; known here: ${known.map((k) => `{${k}}`).join(', ')}` });
    }
  }
}

/** Resolves a generator (reading CSV files) and checks the templates of its list items. */
function resolveGenerator(g: Generator, known: readonly string[], at: PropertyKey[], baseDir: string, issues: WorkloadIssue[]): ResolvedGenerator {
  const { csv, list, ...rest } = g;
  const out: ResolvedGenerator = { ...rest };
  if (csv) out.csv = { rows: readCsvRows(csv.file, csv.column, [...at, 'csv'], baseDir, issues), column: csv.column, order: csv.order };
  if (list) {
    const inner = [...known, list.as];
    const values = resolveValues(list.values, inner, [...at, 'list', 'values'], baseDir, issues);
    const itemKnown = [...inner, ...Object.keys(list.values)];
    checkTemplate(list.item, itemKnown, [...at, 'list', 'item'], issues);
    if (list.every) checkTemplate(list.every.item, itemKnown, [...at, 'list', 'every', 'item'], issues);
    out.list = { count: list.count, as: list.as, item: list.item, every: list.every, values };
  }
  return out;
}

function resolveValues(values: Record<string, Generator>, known: readonly string[], at: PropertyKey[], baseDir: string, issues: WorkloadIssue[]): Record<string, ResolvedGenerator> {
  const out: Record<string, ResolvedGenerator> = {};
  const seen = [...known];
  for (const [name, g] of Object.entries(values)) {
    if (known.includes(name)) issues.push({ path: issuePath([...at, name]), message: `"${name}" is already a value here; pick another name` });
    out[name] = resolveGenerator(g, seen, [...at, name], baseDir, issues);
    seen.push(name);
  }
  return out;
}

function readCsvRows(file: string, column: string | undefined, at: PropertyKey[], baseDir: string, issues: WorkloadIssue[]): CsvRow[] {
  const path = resolve(baseDir, file);
  if (!existsSync(path)) {
    issues.push({ path: issuePath([...at, 'file']), message: `no such file: ${path}` });
    return [];
  }
  let rows: CsvRow[];
  try {
    rows = parseCsv(readFileSync(path, 'utf8'), { columns: true, skip_empty_lines: true, trim: true }) as CsvRow[];
  } catch (err) {
    issues.push({ path: issuePath([...at, 'file']), message: `not a CSV file with a header row: ${(err as Error).message}` });
    return [];
  }
  if (rows.length === 0) issues.push({ path: issuePath([...at, 'file']), message: `expected at least one row below the header: ${path}` });
  else if (column !== undefined && !(column in rows[0]!)) {
    issues.push({ path: issuePath([...at, 'column']), message: `no column "${column}"; the header has: ${Object.keys(rows[0]!).join(', ')}` });
  }
  return rows;
}

/** Named parameters an SQL stream's statements may use: a unique id per write, the write's number, the time. */
export const SQL_STREAM_PARAMETERS: readonly string[] = ['id', 'n', 'nowMs'];

/** The rules a stream's answers are judged by: its own classes over the workload's, over 2xx success. */
export const DEFAULT_ANSWERS: AnswerRules = { success: { status: [200, 201, 202, 203, 204, 206] } };

function streamIssues(s: NamedStream, names: readonly string[], issues: WorkloadIssue[]): void {
  const at = (...rest: PropertyKey[]) => issuePath([...s.at, ...rest]);
  const { stream } = s;
  if ((stream.request === undefined) === (stream.sql === undefined)) {
    issues.push({ path: at(), message: 'give exactly one of "request" (an HTTP stream) or "sql" (writes from connections of its own)' });
  }
  if (stream.sql) {
    const { statements, procedure, hold } = stream.sql;
    if (statements !== undefined && procedure !== undefined) issues.push({ path: at('sql'), message: 'give "statements" or "procedure", not both' });
    // The built-in target's executions read their stages before they write (harness/plan/workflow-writers.ts).
    if (procedure !== undefined && stream.sql.transaction !== 'immediate') {
      issues.push({ path: at('sql', 'transaction'), message: `the ${procedure} procedure writes in immediate transactions only, got "${stream.sql.transaction}"` });
    }
    if (statements === undefined && procedure === undefined && hold === undefined) {
      issues.push({ path: at('sql'), message: 'expected "statements", a "procedure", or a "hold" (a plain lock holder)' });
    }
    (statements ?? []).forEach((statement, i) => {
      for (const [, param] of statement.matchAll(/(?<![:\w]):([A-Za-z_]\w*)/g)) {
        if (!SQL_STREAM_PARAMETERS.includes(param!)) {
          issues.push({ path: at('sql', 'statements', i), message: `unknown parameter :${param}; known here: ${SQL_STREAM_PARAMETERS.map((p) => `:${p}`).join(', ')}` });
        }
      }
    });
    if (stream.executor !== 'constant-arrival-rate') issues.push({ path: at('executor'), message: `an SQL stream writes at a rate: expected "constant-arrival-rate", got "${stream.executor}"` });
    for (const field of ['answers', 'acknowledged'] as const) {
      if (stream[field] !== undefined) issues.push({ path: at(field), message: `an SQL stream has no HTTP answers; "${field}" belongs to request streams` });
    }
  }
  if ('endsAfter' in stream && stream.endsAfter !== undefined) {
    const other = stream.endsAfter.stream;
    if (other === s.name) issues.push({ path: at('endsAfter', 'stream'), message: 'a stream cannot end after itself' });
    else if (!names.includes(other)) issues.push({ path: at('endsAfter', 'stream'), message: `unknown stream "${other}"; known streams: ${names.join(', ')}` });
  }
  const known = [ITERATION, ...Object.keys(stream.values)];
  if (stream.request) {
    checkTemplate(stream.request.path, known, [...s.at, 'request', 'path'], issues);
    checkTemplate(stream.request.headers, known, [...s.at, 'request', 'headers'], issues);
    checkTemplate(stream.request.body, known, [...s.at, 'request', 'body'], issues);
  }
}

/** Streams whose `endsAfter` chain comes back to themselves. */
function cycleIssues(streams: readonly NamedStream[], issues: WorkloadIssue[]): void {
  const after = new Map(streams.map((s) => [s.name, 'endsAfter' in s.stream ? s.stream.endsAfter?.stream : undefined]));
  const reported = new Set<string>();
  for (const s of streams) {
    const seen = new Set<string>([s.name]);
    let next = after.get(s.name);
    while (next !== undefined && after.has(next)) {
      if (seen.has(next)) {
        // Once per circle, at its first stream in the file.
        if (next === s.name && !reported.has(s.name)) {
          issues.push({ path: issuePath([...s.at, 'endsAfter', 'stream']), message: `the streams end after each other in a circle: ${[...seen, next].join(' -> ')}` });
          for (const member of seen) reported.add(member);
        }
        break;
      }
      seen.add(next);
      next = after.get(next);
    }
  }
}

function answersOf(stream: StreamFile, file: WorkloadFile): AnswerRules {
  return { ...DEFAULT_ANSWERS, ...file.answers, ...stream.answers };
}

const LOCK_OUTCOMES: readonly OutcomeSelector[] = ['lock-error', 'lock-error-fast', 'lock-error-timed-out'];

/** Criteria whose data the workload does not provide: refused now rather than failed after the run. */
function criterionIssues(criteria: readonly CriterionFile[], streams: readonly NamedStream[], file: WorkloadFile, issues: WorkloadIssue[]): void {
  const byName = new Map(streams.map((s) => [s.name, s.stream]));
  const names = [...byName.keys()].join(', ');
  const ids = new Set<string>();
  criteria.forEach((c, i) => {
    const at = (field?: string) => issuePath(field ? ['criteria', i, field] : ['criteria', i]);
    if (ids.has(c.id)) issues.push({ path: at('id'), message: `criterion id "${c.id}" is used twice` });
    ids.add(c.id);
    const known = (field: 'stream' | 'window', name: string | undefined): StreamFile | undefined => {
      if (name === undefined) return undefined;
      const stream = byName.get(name);
      if (!stream) issues.push({ path: at(field), message: `unknown stream "${name}"; known streams: ${names}` });
      return stream;
    };
    const stream = 'stream' in c ? known('stream', c.stream) : undefined;
    if ('window' in c) known('window', c.window);
    if (c.type === 'no-loss') {
      if (stream?.request && stream.acknowledged === undefined) {
        issues.push({ path: at('stream'), message: `stream "${c.stream}" does not say what its answers acknowledge: give it "acknowledged" (a dot path into the answer)` });
      }
      if (!/\bn\b/.test(c.count)) issues.push({ path: at('count'), message: 'expected the SQL to return a column named n (SELECT count(*) AS n ...)' });
    }
    if (c.type === 'outcomes' || c.type === 'throughput') {
      const lock = c.outcomes.filter((o) => LOCK_OUTCOMES.includes(o));
      if (lock.length > 0) {
        const judged = stream ? [stream] : c.type === 'outcomes' && c.stream === undefined ? streams.filter((s) => s.stream.request).map((s) => s.stream) : [];
        if (judged.length > 0 && judged.every((s) => s.request && answersOf(s, file).lockError === undefined)) {
          issues.push({ path: at('outcomes'), message: 'counts lock errors, but no stream it judges says how to recognise one: give "answers.lockError" (status and/or body pattern)' });
        }
        if (lock.some((o) => o !== 'lock-error') && file.lockErrors === undefined) {
          issues.push({ path: at('outcomes'), message: 'splits lock errors into fast and timed out, which needs the app\'s busy timeout: give "lockErrors.busyTimeout"' });
        }
      }
      if (c.outcomes.includes('partial') && stream?.sql) issues.push({ path: at('outcomes'), message: `stream "${c.stream}" writes SQL: its writes succeed or fail, none is partial` });
      if (c.outcomes.includes('no-answer') && stream?.sql) {
        issues.push({ path: at('outcomes'), message: `stream "${c.stream}" writes SQL: every write ends with SQLite's answer, none is left unanswered; "no-answer" counts a request stream's requests` });
      }
    }
  });
}

/**
 * A `rank` that a sweep cannot rank by: an id that names no criterion, a no-loss check (its figure is a
 * count against what was acknowledged, not better one way), an `==` criterion (no way is better), an id
 * named twice.
 */
function rankIssues(file: WorkloadFile, issues: WorkloadIssue[]): void {
  const criteria = new Map(file.criteria.map((c) => [c.id, c]));
  const rankable = file.criteria.filter((c) => c.type !== 'no-loss' && c.comparison !== '==').map((c) => c.id);
  const known = rankable.length > 0 ? `criteria it can rank by: ${rankable.join(', ')}` : 'the workload has no criterion it can rank by';
  const seen = new Set<string>();
  (file.rank ?? []).forEach((id, i) => {
    const at = issuePath(['rank', i]);
    const c = criteria.get(id);
    if (seen.has(id)) issues.push({ path: at, message: `criterion "${id}" is ranked twice` });
    else if (!c) issues.push({ path: at, message: `unknown criterion "${id}"; ${known}` });
    else if (c.type === 'no-loss') issues.push({ path: at, message: `"${id}" is a no-loss check, which passes or fails, with no figure to rank by; ${known}` });
    else if (c.comparison === '==') issues.push({ path: at, message: `"${id}" compares with ==, so neither a lower nor a higher figure is better; ${known}` });
    seen.add(id);
  });
}

/** Validates parsed JSON or YAML; `source` names it in messages, `baseDir` resolves its relative paths. */
export function parseWorkload(value: unknown, source: string, baseDir: string): LoadedWorkload {
  const parsed = workloadSchemaFor(value).safeParse(value);
  if (!parsed.success) throw new WorkloadError(source, parsed.error.issues.map((i) => ({ path: issuePath(i.path), message: i.message })));
  const file = parsed.data;
  const issues: WorkloadIssue[] = [];
  const streams = namedStreams(file, issues);
  const names = streams.map((s) => s.name);
  if (streams.length === 0 && issues.length === 0) issues.push({ path: 'streams', message: 'expected at least one stream' });
  for (const s of streams) streamIssues(s, names, issues);
  cycleIssues(streams, issues);
  const values = new Map(streams.map((s) => [s.name, resolveValues(s.stream.values, [ITERATION], [...s.at, 'values'], baseDir, issues)]));
  // A stream without its name would make every criterion that names it look wrong too.
  if (streams.length === (Array.isArray(file.streams) ? file.streams.length : streams.length)) criterionIssues(file.criteria, streams, file, issues);
  rankIssues(file, issues);
  if (file.lockErrors?.fastBelow !== undefined && durationMs(file.lockErrors.fastBelow) > durationMs(file.lockErrors.busyTimeout)) {
    issues.push({ path: 'lockErrors.fastBelow', message: 'expected at most the busy timeout: a lock error answered after the whole timeout is not fast' });
  }
  if (issues.length > 0) throw new WorkloadError(source, issues);
  return {
    workload: resolveWorkload(
      file,
      streams.map((s) => ({ name: s.name, stream: s.stream, values: values.get(s.name)!, answers: answersOf(s.stream, file) })),
    ),
    source,
    baseDir,
  };
}

/** Reads a workload file (`.json`, `.yaml` or `.yml`); a missing file, bad syntax or an invalid field throws {@link WorkloadError}. */
export function loadWorkload(path: string): LoadedWorkload {
  const file = resolve(path);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new WorkloadError(file, [{ path: '(file)', message: `cannot be read: ${(err as Error).message}` }]);
  }
  const yaml = ['.yaml', '.yml'].includes(extname(file).toLowerCase());
  let value: unknown;
  try {
    value = yaml ? parseYaml(text, { prettyErrors: true }) : JSON.parse(text);
  } catch (err) {
    throw new WorkloadError(file, [{ path: '(file)', message: `is not ${yaml ? 'YAML' : 'JSON'}: ${(err as Error).message}` }]);
  }
  return parseWorkload(value, file, dirname(file));
}

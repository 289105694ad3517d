/**
 * The workload file (`--workload <file>`, JSON or YAML): the streams a run sends, in the app's own
 * words, what each answer means, and the criteria that judge the run. This zod schema is the one
 * source of the format: the loader validates with it and `npm run workload:schema` publishes it as
 * schemas/workload.schema.json for editors. Checks across fields (a stream named by another, a
 * criterion's data) are in ./load.ts, after this shape has passed.
 */
import { z } from 'zod';
import { DURATION_PATTERN } from '../../../scenarios/lib/env.ts';
import { expected, json, regex, strict, text } from '../targets/schema.ts';
import { ANSWER_CLASSES, COMPARISONS, OUTCOMES, SQL_PROCEDURES, TRANSACTION_MODES, type Generator } from '../../model/workload-plan.ts';

/** A k6 duration: digits with ms, s, m or h, one or more parts (`1m30s`). */
/** Stream names: k6's scenario names, the `stream` column of the samples file. */
export const STREAM_NAME = /^[A-Za-z][A-Za-z0-9_-]*$/;
/** Value names, as templates write them: `{name}`. */
export const VALUE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'] as const;

const duration = (what: string) =>
  z.string(expected(`${what}, a duration such as "500ms", "2s" or "1m30s"`)).regex(DURATION_PATTERN, {
    error: (issue) => `expected ${what}, a duration such as "500ms", "2s" or "1m30s", got ${JSON.stringify(issue.input)}`,
  });
const count = (what: string, min = 1) => z.int(expected(`${what}, a whole number >= ${min}`)).min(min, `expected ${what} >= ${min}`);
const positive = (what: string) => z.number(expected(`${what}, a number > 0`)).positive(`expected ${what} > 0`);
const nameOf = (what: string, pattern: RegExp) =>
  z.string(expected(`a ${what} name`)).regex(pattern, { error: (issue) => `expected a ${what} name (a letter, then letters, digits, _ or -), got ${JSON.stringify(issue.input)}` });

// ---------------------------------------------------------------- values

const order = z.enum(['cycle', 'random'], expected('"cycle" (in turn) or "random" (seeded)'));

/** The generators a stream's `values` may use, each named by its one key. */
export const GENERATOR_KINDS = ['sequence', 'int', 'pick', 'uuid', 'csv', 'list'] as const;
export type GeneratorKind = (typeof GENERATOR_KINDS)[number];

const generatorShape = {
  sequence: strict(
    { start: z.int(expected('a whole number')).default(1), step: z.int(expected('a whole number')).default(1), cycle: count('the count after which it starts again').optional() },
    'an object {start?, step?, cycle?}: start, start+step, ... (back to start after cycle values)',
  ).optional(),
  int: strict({ min: z.int(expected('a whole number')), max: z.int(expected('a whole number')) }, 'an object {min, max}: a seeded random whole number in [min, max]')
    .refine((r) => r.min <= r.max, { error: 'expected min <= max' })
    .optional(),
  pick: strict(
    { from: z.array(json, expected('a list of values to pick from')).min(1, 'expected at least one value to pick from'), order: order.default('random') },
    'an object {from, order?}',
  ).optional(),
  uuid: strict({}, 'an empty object {}: a seeded random UUID v4').optional(),
  csv: strict(
    { file: text('a CSV file with a header row, relative to the workload file'), column: text('a column of the header row').optional(), order: order.default('cycle') },
    'an object {file, column?, order?}: a row (or one column of it) of a CSV file',
  ).optional(),
  get list() {
    return strict(
      {
        count: count('the number of items', 0),
        as: nameOf('value', VALUE_NAME).default('index'),
        item: json,
        every: strict({ n: count('n'), item: json }, 'an object {n, item}: every n-th item (n, 2n, ...) uses this template instead').optional(),
        values: z.record(nameOf('value', VALUE_NAME), generatorSchema, expected('an object of values by name')).default({}),
      },
      'an object {count, item, as?, every?, values?}: a list of count items, each the item template with {<as>} = 1..count',
    ).optional();
  },
};

/** One value generator: exactly one of the keys of {@link GENERATOR_KINDS}. */
export const generatorSchema: z.ZodType<Generator> = z.lazy(() =>
  strict(generatorShape, `one generator: an object with one of the keys ${GENERATOR_KINDS.join(', ')}`).refine((g) => GENERATOR_KINDS.filter((k) => g[k] !== undefined).length === 1, {
    // Only for an otherwise valid object: a misspelled key has already been named.
    when: (payload) => payload.issues.length === 0,
    error: (issue) => {
      const given = GENERATOR_KINDS.filter((k) => (issue.input as Generator)[k] !== undefined);
      return `expected exactly one generator (${GENERATOR_KINDS.join(', ')}), got ${given.length === 0 ? 'none' : given.join(' and ')}`;
    },
  }),
) as z.ZodType<Generator>;

const valuesSchema = z.record(nameOf('value', VALUE_NAME), generatorSchema, expected('an object of values by name')).default({});

// ---------------------------------------------------------------- answers

const statusList = z.array(
  z.int(expected('an HTTP status from 100 to 599')).min(100, 'expected an HTTP status from 100 to 599').max(599, 'expected an HTTP status from 100 to 599'),
  expected('a list of HTTP statuses'),
);

/** An answer matches a class when its status is listed (or no list is given) and its body matches the pattern (when given). */
const answerRule = strict({ status: statusList.optional(), body: regex.optional() }, 'an object {status?: [...], body?: "<regex>"}').refine(
  (r) => r.status !== undefined || r.body !== undefined,
  { error: 'expected "status", "body" or both' },
);

export const answersSchema = strict(
  { success: answerRule.optional(), partial: answerRule.optional(), lockError: answerRule.optional() },
  'an object {success?, partial?, lockError?}; any other answer is an error',
);

// ---------------------------------------------------------------- streams

const requestSchema = strict(
  {
    method: z.enum(HTTP_METHODS, expected(`one of ${HTTP_METHODS.join(', ')}`)),
    path: text('a path template starting with "/", e.g. "/orders/{id}"').refine((p) => p.startsWith('/'), { error: (i) => `expected a path starting with "/", got ${JSON.stringify(i.input)}` }),
    headers: z.record(z.string(), z.string(expected('a header value (a template)')), expected('an object of headers')).default({}),
    body: json.optional(),
    timeout: duration('how long one request may take').default('60s'),
  },
  'an object {method, path, headers?, body?, timeout?}',
);

const sqlSchema = strict(
  {
    statements: z.array(text('an SQL statement; parameters :id, :n, :nowMs'), expected('a list of SQL statements')).optional(),
    procedure: z.enum(SQL_PROCEDURES, expected(`one of ${SQL_PROCEDURES.join(', ')}`)).optional(),
    transaction: z.enum(TRANSACTION_MODES, expected(`one of ${TRANSACTION_MODES.join(', ')}`)).default('immediate'),
    hold: duration('how long each transaction stays open after its statements (a lock holder)').optional(),
    threads: count('writer threads, each with its own connection').max(64, 'expected at most 64 threads').default(2),
    busyTimeout: duration("each connection's SQLite busy timeout").optional(),
  },
  'an object {statements | procedure | hold, transaction?, threads?, busyTimeout?}',
);

const common = {
  name: nameOf('stream', STREAM_NAME).optional(),
  startTime: duration('when the stream starts, after the run starts').default('0s'),
  gracefulStop: duration('how long iterations still running when the stream ends may go on').default('30s'),
  tags: z.record(z.string(), z.string(expected('a tag value')), expected('an object of tags')).default({}),
  request: requestSchema.optional(),
  sql: sqlSchema.optional(),
  values: valuesSchema,
  answers: answersSchema.optional(),
  acknowledged: text('a dot path into the JSON answer, e.g. "imported" or "result.count"').optional(),
};

/** Ends the stream once another stream has finished, plus a tail; its `duration` is then the longest it runs. */
const endsAfter = strict(
  { stream: nameOf('stream', STREAM_NAME), tail: duration('how long it goes on after that stream').default('0s') },
  'an object {stream, tail?}',
).optional();

const arrivalVus = {
  preAllocatedVUs: count('VUs allocated up front', 0).optional(),
  maxVUs: count('the most iterations in flight').optional(),
};

const timeUnit = duration('the rate\'s time unit').default('1s');

/** The executors, with k6's names and fields. */
export const EXECUTORS = ['constant-arrival-rate', 'ramping-arrival-rate', 'per-vu-iterations', 'constant-vus'] as const;
export type ExecutorName = (typeof EXECUTORS)[number];

export const streamSchema = z.discriminatedUnion(
  'executor',
  [
    strict(
      { executor: z.literal('constant-arrival-rate'), rate: positive('iterations per timeUnit'), timeUnit, duration: duration('how long it runs'), endsAfter, ...arrivalVus, ...common },
      'a constant-arrival-rate stream {rate, duration, ...}',
    ),
    strict(
      {
        executor: z.literal('ramping-arrival-rate'),
        startRate: z.number(expected('a number >= 0')).min(0).default(0),
        timeUnit,
        stages: z
          .array(strict({ target: z.number(expected('a rate >= 0')).min(0), duration: duration('the stage\'s length') }, 'an object {target, duration}'), expected('a list of stages'))
          .min(1, 'expected at least one stage'),
        endsAfter,
        ...arrivalVus,
        ...common,
      },
      'a ramping-arrival-rate stream {stages, ...}',
    ),
    strict(
      { executor: z.literal('per-vu-iterations'), vus: count('VUs').default(1), iterations: count('iterations per VU').default(1), maxDuration: duration('the longest it runs').default('10m'), ...common },
      'a per-vu-iterations stream {vus, iterations, ...}',
    ),
    strict({ executor: z.literal('constant-vus'), vus: count('VUs'), duration: duration('how long it runs'), endsAfter, ...common }, 'a constant-vus stream {vus, duration, ...}'),
  ],
  { error: (issue) => (issue.code === 'invalid_union' ? `expected "executor" to be one of ${EXECUTORS.map((e) => `"${e}"`).join(', ')}` : 'expected a stream {executor, ...}') },
);

// ---------------------------------------------------------------- criteria

const comparison = z.enum(COMPARISONS, expected(`one of ${COMPARISONS.join(' ')}`));
const threshold = z.number(expected('a number'));
const criterionId = z.string(expected('a criterion id')).regex(/^[a-z][a-z0-9-]*$/, { error: (i) => `expected an id of lower-case letters, digits and dashes, got ${JSON.stringify(i.input)}` });
const streamRef = (what: string) => nameOf('stream', STREAM_NAME).describe(what);
const judged = { id: criterionId, description: z.string(expected('a sentence')).optional(), comparison, threshold };
/** Judges only what started between that stream's first request sent and its last answer. */
const window = streamRef('judge only what started inside this stream\'s window').optional();

export const criterionSchema = z.discriminatedUnion(
  'type',
  [
    strict(
      { type: z.literal('latency'), stream: streamRef('the stream'), percentile: z.number(expected('a percentile from 0 to 100')).min(0).max(100).default(99), window, ...judged },
      'a latency criterion {id, stream, percentile?, window?, comparison, threshold (ms)}',
    ),
    strict(
      {
        type: z.literal('outcomes'),
        stream: streamRef('the stream; every request stream when left out').optional(),
        outcomes: z.array(z.enum(OUTCOMES, expected(`one of ${OUTCOMES.join(', ')}`)), expected('a list of outcomes')).min(1, 'expected at least one outcome'),
        measure: z.enum(['rate', 'count'], expected('"rate" (share of requests, 0..1) or "count"')).default('rate'),
        window,
        ...judged,
      },
      'an outcomes criterion {id, outcomes, measure?, stream?, window?, comparison, threshold}',
    ),
    strict(
      {
        type: z.literal('throughput'),
        stream: streamRef('the stream'),
        outcomes: z.array(z.enum(OUTCOMES, expected(`one of ${OUTCOMES.join(', ')}`))).min(1).default(['success']),
        window,
        ...judged,
      },
      'a throughput criterion {id, stream, outcomes?, window?, comparison, threshold (per second)}',
    ),
    strict({ type: z.literal('wall'), stream: streamRef('the stream'), ...judged }, 'a wall criterion {id, stream, comparison, threshold (ms)}: first request sent to last answer'),
    strict({ type: z.literal('max-lock-hold'), window, ...judged }, 'a max-lock-hold criterion {id, window?, comparison, threshold (ms)}'),
    strict({ type: z.literal('lock-duty-cycle'), window, ...judged }, 'a lock-duty-cycle criterion {id, window?, comparison, threshold (0..1)}'),
    strict(
      {
        type: z.literal('no-loss'),
        id: criterionId,
        description: z.string(expected('a sentence')).optional(),
        stream: streamRef('the stream whose acknowledged total is counted'),
        count: text('SQL: one SELECT returning a column "n", what the stream\'s acknowledged requests stored'),
        integrity: z.boolean(expected('true or false')).default(true),
      },
      'a no-loss criterion {id, stream, count, integrity?}',
    ),
  ],
  {
    error: (issue) =>
      issue.code === 'invalid_union'
        ? `expected "type" to be one of "latency", "outcomes", "throughput", "wall", "max-lock-hold", "lock-duty-cycle", "no-loss"`
        : 'expected a criterion {type, id, ...}',
  },
);

// ---------------------------------------------------------------- the file

const streamsError = {
  error: (issue: { input?: unknown; code?: string }) => {
    if (issue.code === 'invalid_key') return `expected a stream name (a letter, then letters, digits, _ or -), got ${JSON.stringify(issue.input)}`;
    return issue.input === undefined ? 'missing; expected the streams: a list of named streams or an object of streams by name' : 'expected a list of named streams or an object of streams by name';
  },
};
const streamList = z.array(streamSchema, streamsError);
const streamMap = z.record(nameOf('stream', STREAM_NAME), streamSchema, streamsError);

export const workloadSchema = strict(
  {
    $schema: z.string().optional(),
    name: text('a short name for reports, e.g. "shop"'),
    description: z.string(expected('a sentence')).optional(),
    seed: z.int(expected('a whole number: the seed of every random value')).default(1),
    lockErrors: strict(
      {
        busyTimeout: duration("the app's SQLite busy timeout"),
        fastBelow: duration('lock errors answered sooner than this are fast (a refused read-to-write upgrade)').optional(),
      },
      'an object {busyTimeout, fastBelow?}',
    ).optional(),
    answers: answersSchema.optional(),
    streams: z.union([streamList, streamMap], streamsError),
    criteria: z.array(criterionSchema, expected('a list of criteria')).default([]),
    /** What a sweep ranks the points meeting every criterion by: criterion ids, the first deciding, the next among points tied on it. */
    rank: z
      .array(criterionId, expected('a list of criterion ids'))
      .min(1, 'expected at least one criterion id: the one a sweep ranks the points that meet every criterion by')
      .describe("the criteria a sweep ranks the points that meet every criterion by, in order: the best median of the first, the next among points within 5 % of it, and so on (each a numeric criterion, better lower for < <=, higher for > >=)")
      .optional(),
  },
  'a workload object {name, streams, criteria?, ...}',
);

/**
 * The schema that validates `value`: the published one, with its streams taken as a list or as an
 * object by what the file gives, so that a problem inside a stream is reported at its own path (a
 * union of both would report only that neither matched).
 */
export function workloadSchemaFor(value: unknown) {
  const streams = value !== null && typeof value === 'object' ? (value as { streams?: unknown }).streams : undefined;
  return workloadSchema.extend({ streams: Array.isArray(streams) ? streamList : streamMap });
}

/** A workload file as written (defaults not yet filled). */
export type WorkloadInput = z.input<typeof workloadSchema>;
/** A workload file as parsed, defaults filled, not yet resolved (./load.ts). */
export type WorkloadFile = z.output<typeof workloadSchema>;
export type StreamFile = z.output<typeof streamSchema>;
export type RequestTemplate = z.output<typeof requestSchema>;
export type SqlStreamFile = z.output<typeof sqlSchema>;
export type AnswersFile = z.output<typeof answersSchema>;
export type CriterionFile = z.output<typeof criterionSchema>;

/** Request validation at the boundary: what each route accepts, with messages that say what was expected. */
import { z } from 'zod';
import { IMPORT_MODES, type ImportMode } from '../options.ts';

/** Most composite children one entry may carry. */
export const MAX_CHILDREN = 200;
/** Longest id (external id, source id, workflow id), in UTF-16 code units. */
export const MAX_ID_LENGTH = 200;
/** Longest name or title, in UTF-16 code units. */
export const MAX_NAME_LENGTH = 200;
/** Longest type or status, in UTF-16 code units. */
export const MAX_TYPE_LENGTH = 50;

// A lone surrogate is valid JSON ("\ud800") but not text: SQLite would store U+FFFD instead, so two
// different ids could become one row. Control characters have no place in ids or names.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const CONTROL_CHARACTER = /\p{Cc}/u;

/** Any valid Unicode text (non-ASCII welcome) without control characters, 1 to `max` code units after trimming. */
const text = (max: number) =>
  z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`)
    .refine((v) => !LONE_SURROGATE.test(v), 'must be valid Unicode text (it holds a lone surrogate)')
    .refine((v) => !CONTROL_CHARACTER.test(v), 'must not contain control characters');

/** A whole number written in decimal digits only: `Number()` would also read "0x10", "1e1", " 7" and "1.0". */
const decimalInt = (min: number, max = Number.MAX_SAFE_INTEGER) =>
  z
    .string()
    .regex(/^\d+$/, 'must be a whole number in decimal digits, e.g. 10')
    .transform(Number)
    .pipe(z.number().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`));

const child = z.strictObject({ externalId: text(MAX_ID_LENGTH), name: text(MAX_NAME_LENGTH), type: text(MAX_TYPE_LENGTH) });

const uniqueIds = (items: readonly { externalId: string }[], ctx: z.RefinementCtx, what: string) => {
  const seen = new Set<string>();
  items.forEach((item, i) => {
    if (seen.has(item.externalId)) {
      ctx.addIssue({ code: 'custom', path: [i, 'externalId'], message: `duplicate ${what} externalId "${item.externalId}"` });
    }
    seen.add(item.externalId);
  });
};

const entry = z.strictObject({
  externalId: text(MAX_ID_LENGTH),
  name: text(MAX_NAME_LENGTH),
  type: text(MAX_TYPE_LENGTH),
  children: z.array(child).max(MAX_CHILDREN, `must hold at most ${MAX_CHILDREN} children`).superRefine((c, ctx) => uniqueIds(c, ctx, 'child')).optional(),
});

/** An import's body; `maxEntries` is the target's `--max-import-entries`. */
export const importBody = (maxEntries: number) =>
  z.strictObject({
    entries: z
      .array(entry)
      .min(1, 'must hold at least one entry')
      .max(maxEntries, `must hold at most ${maxEntries} entries (--max-import-entries); split the import`)
      .superRefine((e, ctx) => uniqueIds(e, ctx, 'entry')),
  });

const batchIndexList = z
  .string()
  .regex(/^\d+(,\d+)*$/, 'must be a comma-separated list of batch indexes, e.g. 0,3')
  .transform((s) => new Set(s.split(',').map(Number)));

export const importQuery = z.strictObject({
  mode: z.enum(IMPORT_MODES as [ImportMode, ...ImportMode[]]).optional(),
  // Larger than the import is fine: it is then written as one batch.
  batchSize: decimalInt(1).optional(),
  failBatches: batchIndexList.optional(),
});

const id = text(MAX_ID_LENGTH);
export const sourceParam = z.strictObject({ sourceId: id });
export const importParam = z.strictObject({ importId: id });

export const limitQuery = (max: number, fallback: number) => decimalInt(1, max).default(fallback);

export const catalogQuery = z.strictObject({ limit: limitQuery(1000, 100) });
export const catalogParam = z.strictObject({ entryId: decimalInt(1) });
export const catalogBody = z
  .strictObject({ status: text(MAX_TYPE_LENGTH).optional(), title: text(MAX_NAME_LENGTH).optional() })
  .refine((b) => b.status !== undefined || b.title !== undefined, 'give at least one of status, title');

export const workflowParam = z.strictObject({ workflowId: id });
export const executionBody = z.strictObject({});
export const STEP_STATUSES = ['pending', 'running', 'succeeded', 'failed'] as const;
export const stepParam = z.strictObject({ id, index: decimalInt(0) });
export const stepBody = z.strictObject({ status: z.enum(STEP_STATUSES) });

export const artifactsQuery = z.strictObject({ sourceId: id.optional(), limit: limitQuery(1000, 100) });
export const locksQuery = z.strictObject({
  sinceMs: z
    .string()
    .regex(/^\d+(\.\d+)?$/, 'must be epoch milliseconds in decimal digits, e.g. 1700000000000')
    .transform(Number)
    .default(0),
  spans: z.enum(['true', 'false']).default('true'),
});

/** Number of write transactions an import of `entries` entries takes. */
export function batchCount(mode: ImportMode, entries: number, batchSize: number): number {
  return mode === 'monolithic' ? 1 : Math.ceil(entries / batchSize);
}

/** Issues named in one message; a body with thousands of bad entries still gets a readable line. */
export const MAX_ISSUES_SHOWN = 5;

/** Turns zod's issues into one readable line: `entries.3.externalId: duplicate entry externalId "a"`. */
export function describeIssues(error: { issues: ReadonlyArray<{ path: readonly PropertyKey[]; message: string }> }): string {
  const shown = error.issues.slice(0, MAX_ISSUES_SHOWN).map((issue) => {
    const where = issue.path.length > 0 ? issue.path.map(String).join('.') : 'request';
    return `${where}: ${issue.message}`;
  });
  const more = error.issues.length - shown.length;
  return more > 0 ? `${shown.join('; ')}; and ${more} more` : shown.join('; ');
}

/** Request validation at the boundary: what each route accepts, with messages that say what was expected. */
import { z } from 'zod';
import { IMPORT_MODES, type ImportMode } from '../options.ts';

/** Most entries one import may carry. */
export const MAX_IMPORT_ENTRIES = 5_000;
/** Most composite children one entry may carry. */
export const MAX_CHILDREN = 200;

const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);

const child = z.strictObject({ externalId: text(200), name: text(200), type: text(50) });

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
  externalId: text(200),
  name: text(200),
  type: text(50),
  children: z.array(child).max(MAX_CHILDREN).superRefine((c, ctx) => uniqueIds(c, ctx, 'child')).optional(),
});

export const importBody = z.strictObject({
  entries: z
    .array(entry)
    .min(1, 'must hold at least one entry')
    .max(MAX_IMPORT_ENTRIES, `must hold at most ${MAX_IMPORT_ENTRIES} entries`)
    .superRefine((e, ctx) => uniqueIds(e, ctx, 'entry')),
});

const batchIndexList = z
  .string()
  .regex(/^\d+(,\d+)*$/, 'must be a comma-separated list of batch indexes, e.g. 0,3')
  .transform((s) => new Set(s.split(',').map(Number)));

export const importQuery = z.strictObject({
  mode: z.enum(IMPORT_MODES as [ImportMode, ...ImportMode[]]).optional(),
  batchSize: z.coerce.number().int('must be an integer').min(1).max(MAX_IMPORT_ENTRIES).optional(),
  failBatches: batchIndexList.optional(),
});

export const sourceParam = z.strictObject({ sourceId: text(100) });
export const importParam = z.strictObject({ importId: text(100) });

export const limitQuery = (max: number, fallback: number) =>
  z.coerce.number().int('must be an integer').min(1).max(max).default(fallback);

export const catalogQuery = z.strictObject({ limit: limitQuery(1000, 100) });
export const catalogParam = z.strictObject({ entryId: z.coerce.number().int('must be an integer').positive() });
export const catalogBody = z
  .strictObject({ status: text(50).optional(), title: text(200).optional() })
  .refine((b) => b.status !== undefined || b.title !== undefined, 'give at least one of status, title');

export const workflowParam = z.strictObject({ workflowId: text(100) });
export const executionBody = z.strictObject({});
export const STEP_STATUSES = ['pending', 'running', 'succeeded', 'failed'] as const;
export const stepParam = z.strictObject({ id: text(100), index: z.coerce.number().int('must be an integer').min(0) });
export const stepBody = z.strictObject({ status: z.enum(STEP_STATUSES) });

export const artifactsQuery = z.strictObject({ sourceId: text(100).optional(), limit: limitQuery(1000, 100) });
export const locksQuery = z.strictObject({
  sinceMs: z.coerce.number().min(0).default(0),
  spans: z.enum(['true', 'false']).default('true'),
});

/** Turns zod's issues into one readable line: `entries.3.externalId: duplicate entry externalId "a"`. */
export function describeIssues(error: { issues: ReadonlyArray<{ path: readonly PropertyKey[]; message: string }> }): string {
  return error.issues
    .map((issue) => {
      const where = issue.path.length > 0 ? issue.path.map(String).join('.') : 'request';
      return `${where}: ${issue.message}`;
    })
    .join('; ');
}

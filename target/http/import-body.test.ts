/**
 * Property-based tests of the import body: arbitrary JSON and corrupted valid bodies are answered 400
 * and write nothing; valid bodies of arbitrary Unicode text are accepted and stored exactly once.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_ID_LENGTH, MAX_NAME_LENGTH, MAX_TYPE_LENGTH } from './schemas.ts';
import { countRows, footprint, postImport, startTarget, type TestTarget } from '../testing/support.ts';
import type { ImportEntry } from '../db/tasks.ts';

/** Property runs per test; each is one HTTP request or two. */
const RUNS = { arbitraryJson: 300, corrupted: 300, valid: 60 } as const;

let t: TestTarget;
beforeAll(async () => {
  t = await startTarget({ prepareMs: 0, writeMs: 0, poolSize: 2 });
});
afterAll(() => t.close());

async function postRaw(body: string) {
  const res = await fetch(`${t.url}/api/marketplace/sources/src-1/import`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  return { status: res.status, body: (await res.json()) as { error?: { code: string; message: string } } };
}

const FIELD_LIMITS = { externalId: MAX_ID_LENGTH, name: MAX_NAME_LENGTH, type: MAX_TYPE_LENGTH } as const;
type Field = keyof typeof FIELD_LIMITS;
const FIELDS = Object.keys(FIELD_LIMITS) as Field[];

/** Text the target must accept: any graphemes, no control characters, not blank. */
const goodText = (max: number) =>
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: Math.min(max, 24) }).filter((s) => s.trim().length > 0 && s.length <= max && !/\p{Cc}/u.test(s));

const goodEntry = fc.record({ externalId: goodText(MAX_ID_LENGTH), name: goodText(MAX_NAME_LENGTH), type: goodText(MAX_TYPE_LENGTH) });
const goodEntries = fc.uniqueArray(goodEntry, { minLength: 1, maxLength: 8, selector: (e) => e.externalId.trim() });

/** One way to spoil a valid body; each must be caught by the schema. */
const corruption = fc.oneof(
  fc.record({ kind: fc.constant('drop' as const), field: fc.constantFrom(...FIELDS) }),
  fc.record({ kind: fc.constant('wrong type' as const), field: fc.constantFrom(...FIELDS), value: fc.oneof(fc.integer(), fc.boolean(), fc.constant(null), fc.array(fc.string(), { maxLength: 2 }), fc.object({ maxDepth: 1 })) }),
  fc.record({ kind: fc.constant('too long' as const), field: fc.constantFrom(...FIELDS), extra: fc.integer({ min: 1, max: 5000 }) }),
  fc.record({ kind: fc.constant('blank' as const), field: fc.constantFrom(...FIELDS), value: fc.constantFrom('', ' ', '\t', '   ') }),
  fc.record({ kind: fc.constant('lone surrogate' as const), field: fc.constantFrom(...FIELDS), unit: fc.integer({ min: 0xd800, max: 0xdfff }) }),
  fc.record({ kind: fc.constant('control character' as const), field: fc.constantFrom(...FIELDS), unit: fc.oneof(fc.integer({ min: 0, max: 0x1f }), fc.integer({ min: 0x7f, max: 0x9f })) }),
  fc.record({ kind: fc.constant('unknown key' as const), key: fc.string({ minLength: 1, maxLength: 10 }).filter((k) => !['externalId', 'name', 'type', 'children'].includes(k)) }),
  fc.record({ kind: fc.constant('duplicate' as const) }),
);
type Corruption = typeof corruption extends fc.Arbitrary<infer C> ? C : never;

function corrupt(entries: ImportEntry[], at: number, c: Corruption): unknown[] {
  const spoiled: Record<string, unknown>[] = entries.map((e) => ({ ...e }));
  const target = spoiled[at]!;
  switch (c.kind) {
    case 'drop':
      delete target[c.field];
      break;
    case 'wrong type':
      target[c.field] = c.value;
      break;
    case 'too long':
      target[c.field] = 'x'.repeat(FIELD_LIMITS[c.field] + c.extra);
      break;
    case 'blank':
      target[c.field] = c.value;
      break;
    case 'lone surrogate':
      target[c.field] = `a${String.fromCharCode(c.unit)}b`;
      break;
    case 'control character':
      target[c.field] = `a${String.fromCharCode(c.unit)}b`;
      break;
    case 'unknown key':
      // An own property whatever the name: `target['__proto__'] = 1` would set the prototype instead,
      // and the body would go out unspoiled.
      Object.defineProperty(target, c.key, { value: 1, enumerable: true, writable: true, configurable: true });
      break;
    case 'duplicate':
      spoiled.push({ ...target, name: 'again' });
      return spoiled;
  }
  return spoiled;
}

describe('import body, property-based', () => {
  it('answers any JSON value that is not an import body with 400 and writes nothing', async () => {
    const before = footprint(t.dbPath);
    await fc.assert(
      fc.asyncProperty(fc.json({ maxDepth: 3 }), async (text) => {
        const { status, body } = await postRaw(text);
        expect(status).toBe(400);
        expect(body.error?.code).toBe('VALIDATION_FAILED');
        expect(body.error?.message).toMatch(/^invalid body: /);
      }),
      { numRuns: RUNS.arbitraryJson },
    );
    expect(footprint(t.dbPath)).toEqual(before);
  });

  it('answers a valid body spoiled in one place with 400 naming that place, and writes nothing', async () => {
    const before = footprint(t.dbPath);
    await fc.assert(
      fc.asyncProperty(goodEntries, fc.nat(), corruption, async (entries, pick, c) => {
        const at = pick % entries.length;
        const { status, body } = await postRaw(JSON.stringify({ entries: corrupt(entries, at, c) }));
        expect(status).toBe(400);
        expect(body.error?.code).toBe('VALIDATION_FAILED');
        expect(body.error?.message).toMatch(new RegExp(`entries\\.${c.kind === 'duplicate' ? entries.length : at}`));
      }),
      {
        numRuns: RUNS.corrupted,
        // Keys an object literal treats specially are tried every run, not only when drawn.
        examples: ['__proto__', 'constructor', 'prototype'].map((key): [ImportEntry[], number, Corruption] => [[{ externalId: 'e', name: 'n', type: 't' }], 0, { kind: 'unknown key', key }]),
      },
    );
    expect(footprint(t.dbPath)).toEqual(before);
  });

  it('accepts valid bodies of any Unicode text, stores each entry once, and a re-post duplicates nothing', async () => {
    await fc.assert(
      fc.asyncProperty(goodEntries, async (entries) => {
        const first = await postImport(t.url, 'src-2', entries);
        expect(first.status).toBe(200);
        expect(first.body.imported).toBe(entries.length);
        const stored = () => countRows(t.dbPath, 'SELECT count(*) AS n FROM artifacts WHERE source_id = ?', 'src-2');
        const rowsAfterFirst = stored();
        for (const e of entries) {
          const row = countRows(t.dbPath, 'SELECT count(*) AS n FROM artifacts WHERE source_id = ? AND external_id = ? AND name = ?', 'src-2', e.externalId.trim(), e.name.trim());
          expect(row).toBe(1);
        }
        const again = await postImport(t.url, 'src-2', entries);
        expect(again.status).toBe(200);
        expect(stored()).toBe(rowsAfterFirst);
      }),
      { numRuns: RUNS.valid },
    );
  });
});

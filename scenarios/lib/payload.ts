/** Import request bodies, the same on every run so that re-posting upserts instead of adding rows. */
import type { ImportEntry } from './contract.ts';

/** Artifact types an entry cycles through (composite entries are `composite`). */
export const ARTIFACT_TYPES: readonly string[] = ['skill', 'agent', 'command', 'hook'];

/** The shape of one import. */
export interface ImportShape {
  /** Prefix of every externalId, so that different scenarios never write the same rows. */
  prefix: string;
  /** Entries (artifacts) in the import. */
  artifacts: number;
  /** Every n-th entry (n, 2n, ...) is composite; 0 = none. */
  compositeEvery: number;
  /** Children of each composite entry. */
  children: number;
}

/** Whether entry `i` (1-based) of an import of this shape is composite. */
export function isComposite(shape: ImportShape, i: number): boolean {
  return shape.compositeEvery > 0 && i % shape.compositeEvery === 0;
}

/** Composite entries in one import of this shape. */
export function compositeCount(shape: ImportShape): number {
  return shape.compositeEvery > 0 ? Math.floor(shape.artifacts / shape.compositeEvery) : 0;
}

/** Entries `<prefix>-art-0001` .. with children `<prefix>-art-0005-child-1` .. on composite ones. */
export function buildImportEntries(shape: ImportShape): ImportEntry[] {
  const entries: ImportEntry[] = [];
  for (let i = 1; i <= shape.artifacts; i++) {
    const externalId = `${shape.prefix}-art-${String(i).padStart(4, '0')}`;
    if (!isComposite(shape, i)) {
      entries.push({ externalId, name: `Artifact ${i}`, type: ARTIFACT_TYPES[i % ARTIFACT_TYPES.length] ?? 'skill' });
      continue;
    }
    const children = [];
    for (let c = 1; c <= shape.children; c++) {
      children.push({ externalId: `${externalId}-child-${c}`, name: `Artifact ${i} part ${c}`, type: ARTIFACT_TYPES[c % ARTIFACT_TYPES.length] ?? 'skill' });
    }
    entries.push({ externalId, name: `Composite artifact ${i}`, type: 'composite', children });
  }
  return entries;
}

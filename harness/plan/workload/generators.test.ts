import { describe, expect, it } from 'vitest';
import type { ResolvedGenerator } from '../../model/workload-plan.ts';
import { generate, valuesAt } from './generators.ts';

const draw = (n: number, place = 'orders.v', seed = 1) => ({ seed, place, n, scope: { n } });
const series = (g: ResolvedGenerator, count: number, place?: string, seed?: number) => Array.from({ length: count }, (_, n) => generate(g, draw(n, place, seed)));

describe('value generators', () => {
  it('counts a sequence from start by step, starting again after cycle values', () => {
    expect(series({ sequence: { start: 1, step: 1 } }, 4)).toEqual([1, 2, 3, 4]);
    expect(series({ sequence: { start: 10, step: 5, cycle: 3 } }, 7)).toEqual([10, 15, 20, 10, 15, 20, 10]);
  });

  it('draws random whole numbers inside the range, every one of them over enough draws', () => {
    const drawn = series({ int: { min: 3, max: 6 } }, 400);
    expect(new Set(drawn)).toEqual(new Set([3, 4, 5, 6]));
  });

  it('is deterministic: the same seed, place and n give the same value, in any order', () => {
    const g: ResolvedGenerator = { int: { min: 0, max: 1_000_000 } };
    const forward = series(g, 50);
    const backward = Array.from({ length: 50 }, (_, i) => generate(g, draw(49 - i))).reverse();
    expect(backward).toEqual(forward);
  });

  it('draws differently for another seed or another value', () => {
    const g: ResolvedGenerator = { int: { min: 0, max: 1_000_000 } };
    expect(series(g, 20, 'orders.v', 2)).not.toEqual(series(g, 20, 'orders.v', 1));
    expect(series(g, 20, 'orders.w')).not.toEqual(series(g, 20, 'orders.v'));
  });

  it('picks in turn or at random from the list', () => {
    expect(series({ pick: { from: ['a', 'b', 'c'], order: 'cycle' } }, 5)).toEqual(['a', 'b', 'c', 'a', 'b']);
    const random = series({ pick: { from: [1, 'x', null], order: 'random' } }, 200);
    expect(new Set(random)).toEqual(new Set([1, 'x', null]));
  });

  it('makes version-4 UUIDs, different per iteration and the same on a rerun', () => {
    const ids = series({ uuid: {} }, 100) as string[];
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Set(ids).size).toBe(100);
    expect(series({ uuid: {} }, 100)).toEqual(ids);
  });

  it('takes CSV rows in turn, or one column of them', () => {
    const rows = [{ sku: 'A1', price: '3' }, { sku: 'B2', price: '5' }];
    expect(series({ csv: { rows, order: 'cycle' } }, 3)).toEqual([rows[0], rows[1], rows[0]]);
    expect(series({ csv: { rows, column: 'sku', order: 'cycle' } }, 3)).toEqual(['A1', 'B2', 'A1']);
  });

  it('builds a list of items from a template, every n-th from another, with per-item values', () => {
    const g: ResolvedGenerator = {
      list: {
        count: 4,
        as: 'i',
        item: { id: 'item-{i:3}', kind: '{kind}', of: '{n}' },
        every: { n: 2, item: { id: 'pair-{i}' } },
        values: { kind: { pick: { from: ['x', 'y', 'z'], order: 'cycle' } } },
      },
    };
    expect(generate(g, draw(7))).toEqual([{ id: 'item-001', kind: 'x', of: 7 }, { id: 'pair-2' }, { id: 'item-003', kind: 'z', of: 7 }, { id: 'pair-4' }]);
  });

  it('lets a later value see the earlier ones, and {n}', () => {
    const values: Record<string, ResolvedGenerator> = {
      shop: { sequence: { start: 1, step: 1, cycle: 2 } },
      lines: { list: { count: 2, as: 'line', item: 'shop {shop} line {line} of order {n}', values: {} } },
    };
    expect(valuesAt(values, draw(3))).toEqual({ shop: 2, lines: ['shop 2 line 1 of order 3', 'shop 2 line 2 of order 3'] });
  });
});

/**
 * The values a stream's templates are filled from. Each value of iteration n is a pure function of the
 * workload's seed, the value's place (stream and name) and n: any driver thread, in any order, sends
 * the same requests, and a rerun with the same seed sends them again.
 */
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';
import type { Json } from '../../model/json.ts';
import type { ResolvedGenerator } from '../../model/workload-plan.ts';
import { fillJson, ITERATION, type Scope } from './template.ts';

/** FNV-1a over the text: a stable 32-bit number for a value's place. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h | 0;
}

/** The random source of one value at iteration n. */
export function randomFor(seed: number, place: string, n: number): RandomGenerator {
  return xoroshiro128plus(hash(`${seed}\u0000${place}\u0000${n}`));
}

/** A UUID v4 from 16 random bytes (RFC 9562 section 5.4: version 4, variant 10). */
function uuidV4(rng: RandomGenerator): string {
  const bytes = Array.from({ length: 16 }, () => uniformInt(rng, 0, 255));
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function chosen<T>(items: readonly T[], order: 'cycle' | 'random', n: number, rng: RandomGenerator): T {
  return items[order === 'cycle' ? n % items.length : uniformInt(rng, 0, items.length - 1)]!;
}

/** Where a value is drawn: the seed, its place (for independent streams of randomness) and the scope it sees. */
export interface Draw {
  seed: number;
  place: string;
  n: number;
  scope: Scope;
}

/** The value of `g` at iteration `draw.n`. */
export function generate(g: ResolvedGenerator, draw: Draw): unknown {
  const rng = randomFor(draw.seed, draw.place, draw.n);
  if (g.sequence) {
    const { start, step, cycle } = g.sequence;
    return start + step * (cycle === undefined ? draw.n : draw.n % cycle);
  }
  if (g.int) return uniformInt(rng, g.int.min, g.int.max);
  if (g.pick) return chosen(g.pick.from, g.pick.order, draw.n, rng);
  if (g.uuid) return uuidV4(rng);
  if (g.csv) {
    const row = chosen(g.csv.rows, g.csv.order, draw.n, rng);
    return g.csv.column === undefined ? row : row[g.csv.column];
  }
  if (g.list) return generateList(g.list, draw);
  throw new Error('a generator with no kind (the loader refuses these)');
}

function generateList(list: NonNullable<ResolvedGenerator['list']>, draw: Draw): unknown[] {
  const items: unknown[] = [];
  for (let i = 0; i < list.count; i++) {
    // Inside the list, n is the item's number: its values cycle and draw per item.
    const itemDraw = { ...draw, place: `${draw.place}[${draw.n}]`, n: i };
    const scope: Record<string, unknown> = { ...draw.scope, [list.as]: i + 1 };
    Object.assign(scope, valuesAt(list.values, { ...itemDraw, scope }));
    const every = list.every !== undefined && (i + 1) % list.every.n === 0;
    items.push(fillJson(every ? list.every!.item : list.item, scope));
  }
  return items;
}

/**
 * Every value of a scope at iteration `draw.n`, in the order given, with `{n}` itself: a list's item
 * template sees the values before it.
 */
export function valuesAt(values: Readonly<Record<string, ResolvedGenerator>>, draw: Draw): Record<string, unknown> {
  const scope: Record<string, unknown> = { ...draw.scope };
  if (!(ITERATION in scope)) scope[ITERATION] = draw.n;
  const out: Record<string, unknown> = {};
  for (const [name, g] of Object.entries(values)) {
    out[name] = generate(g, { ...draw, place: `${draw.place}.${name}`, scope });
    scope[name] = out[name];
  }
  return out;
}

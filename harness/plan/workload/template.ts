/**
 * Request templates of a workload: `{name}` stands for a value, `{name.field}` for a field of a value
 * (a CSV row), `{name:4}` for a whole number zero-padded to 4 digits. A JSON string that is exactly one
 * placeholder keeps the value's type (a number stays a number, a list stays a list); anywhere else the
 * value is written as text. `{n}` is always known: the iteration's number, from 0, over the whole stream.
 */
import type { Json } from '../../model/json.ts';

/** The name every template knows: the iteration's number, from 0. */
export const ITERATION = 'n';

const PLACEHOLDER = /\{([A-Za-z_][A-Za-z0-9_]*)((?:\.[A-Za-z0-9_-]+)*)(?::(\d{1,2}))?\}/g;
const WHOLE = /^\{([A-Za-z_][A-Za-z0-9_]*)((?:\.[A-Za-z0-9_-]+)*)(?::(\d{1,2}))?\}$/;

/** A placeholder as written: the value's name, the fields below it, and a zero-pad width. */
export interface Placeholder {
  name: string;
  fields: string[];
  pad: number | null;
  written: string;
}

function placeholder(m: RegExpMatchArray): Placeholder {
  return { name: m[1]!, fields: m[2] ? m[2].slice(1).split('.') : [], pad: m[3] ? Number(m[3]) : null, written: m[0] };
}

/** Every string in a JSON template, keys included (a key may be a placeholder too). */
function stringsIn(template: Json | undefined): string[] {
  if (typeof template === 'string') return [template];
  if (Array.isArray(template)) return template.flatMap(stringsIn);
  if (template !== null && typeof template === 'object') return Object.entries(template).flatMap(([k, v]) => [k, ...stringsIn(v)]);
  return [];
}

/** Every placeholder in a template, in order. */
export function placeholdersIn(template: Json | undefined): Placeholder[] {
  return stringsIn(template).flatMap((text) => [...text.matchAll(PLACEHOLDER)].map(placeholder));
}

/** Values a template is filled from, by name. */
export type Scope = Readonly<Record<string, unknown>>;

/** Thrown when a template names what its scope lacks; the loader's checks keep this from happening in a run. */
export class TemplateError extends Error {
  override readonly name = 'TemplateError';
}

function valueOf(p: Placeholder, scope: Scope): unknown {
  if (!(p.name in scope)) throw new TemplateError(`${p.written}: no value named "${p.name}"`);
  let value: unknown = scope[p.name];
  for (const field of p.fields) {
    if (value === null || typeof value !== 'object' || !(field in value)) throw new TemplateError(`${p.written}: no field "${field}"`);
    value = (value as Record<string, unknown>)[field];
  }
  return value;
}

function asText(value: unknown, pad: number | null): string {
  if (pad !== null && typeof value === 'number') return String(value).padStart(pad, '0');
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** Fills the placeholders of text; `encode` is applied to every value written (encodeURIComponent in paths). */
export function fillText(template: string, scope: Scope, encode: (text: string) => string = (t) => t): string {
  return template.replace(PLACEHOLDER, (...m: string[]) => encode(asText(valueOf(placeholder(m as unknown as RegExpMatchArray), scope), m[3] ? Number(m[3]) : null)));
}

/** Fills a JSON template: a string that is one whole placeholder keeps the value's type. */
export function fillJson(template: Json, scope: Scope): unknown {
  if (typeof template === 'string') {
    const whole = template.match(WHOLE);
    if (whole && whole[3] === undefined) return valueOf(placeholder(whole), scope);
    return fillText(template, scope);
  }
  if (Array.isArray(template)) return template.map((t) => fillJson(t, scope));
  if (template !== null && typeof template === 'object') {
    return Object.fromEntries(Object.entries(template).map(([k, v]) => [fillText(k, scope), fillJson(v, scope)]));
  }
  return template;
}

/**
 * Placeholders in a target description: `{name}` stands for one value, `{{name}}` (a whole JSON
 * string, nothing else in it) for a list. A JSON string that is exactly `{name}` keeps the value's
 * type (a number stays a number); anywhere else the value is written as text.
 */
import type { Json } from '../../model/json.ts';

/** A value a placeholder can stand for. */
export type PlaceholderValue = string | number;

const PLACEHOLDER = /\{\{([A-Za-z][A-Za-z0-9]*)\}\}|\{([A-Za-z][A-Za-z0-9]*)\}/g;
const WHOLE_VALUE = /^\{([A-Za-z][A-Za-z0-9]*)\}$/;
const WHOLE_LIST = /^\{\{([A-Za-z][A-Za-z0-9]*)\}\}$/;

/** A placeholder found in a template: its name and whether it stands for a list (`{{name}}`). */
export interface Placeholder {
  name: string;
  list: boolean;
}

/** Every placeholder in a string or JSON template, in order. */
export function placeholdersIn(template: Json | undefined): Placeholder[] {
  if (typeof template === 'string') {
    return [...template.matchAll(PLACEHOLDER)].map((m) => (m[1] ? { name: m[1], list: true } : { name: m[2]!, list: false }));
  }
  if (Array.isArray(template)) return template.flatMap(placeholdersIn);
  if (template !== null && typeof template === 'object') return Object.values(template).flatMap(placeholdersIn);
  return [];
}

/**
 * Problems with the placeholders of one template: unknown names, a list where a value belongs, a list
 * that is not a whole JSON string. Empty when the template is fine.
 */
export function placeholderProblems(
  template: Json | undefined,
  allowed: { values: readonly string[]; lists?: readonly string[] },
): string[] {
  const lists = allowed.lists ?? [];
  const known = [...allowed.values.map((v) => `{${v}}`), ...lists.map((l) => `{{${l}}}`)].join(', ') || 'none';
  const problems: string[] = [];
  for (const p of placeholdersIn(template)) {
    const written = p.list ? `{{${p.name}}}` : `{${p.name}}`;
    const ok = p.list ? lists.includes(p.name) : allowed.values.includes(p.name);
    if (!ok) problems.push(`unknown placeholder ${written}; known here: ${known}`);
  }
  for (const text of stringsIn(template)) {
    const lone = [...text.matchAll(PLACEHOLDER)].filter((m) => m[1]);
    if (lone.length > 0 && !WHOLE_LIST.test(text)) {
      problems.push(`list placeholder {{${lone[0]![1]}}} must be a whole JSON string ("{{${lone[0]![1]}}}"), not part of "${text}"`);
    }
  }
  return problems;
}

function stringsIn(template: Json | undefined): string[] {
  if (typeof template === 'string') return [template];
  if (Array.isArray(template)) return template.flatMap(stringsIn);
  if (template !== null && typeof template === 'object') return Object.values(template).flatMap(stringsIn);
  return [];
}

function lookup(values: Readonly<Record<string, PlaceholderValue | undefined>>, name: string): PlaceholderValue {
  const value = values[name];
  if (value === undefined) throw new Error(`template placeholder {${name}} has no value`);
  return value;
}

/** Fills `{name}` placeholders in text; `encode` is applied to every value (e.g. encodeURIComponent in paths). */
export function fillText(
  template: string,
  values: Readonly<Record<string, PlaceholderValue | undefined>>,
  encode: (value: string) => string = (v) => v,
): string {
  return template.replace(PLACEHOLDER, (_m, list: string | undefined, name: string) => {
    if (list) throw new Error(`list placeholder {{${list}}} cannot stand inside text`);
    return encode(String(lookup(values, name)));
  });
}

/** Fills a JSON template: `"{name}"` keeps the value's type, `"{{name}}"` becomes the list `lists[name]`. */
export function fillJson(
  template: Json,
  values: Readonly<Record<string, PlaceholderValue | undefined>>,
  lists: Readonly<Record<string, Json[]>> = {},
): Json {
  if (typeof template === 'string') {
    const list = WHOLE_LIST.exec(template)?.[1];
    if (list !== undefined) {
      const items = lists[list];
      if (items === undefined) throw new Error(`template list placeholder {{${list}}} has no value`);
      return items;
    }
    const whole = WHOLE_VALUE.exec(template)?.[1];
    return whole !== undefined ? lookup(values, whole) : fillText(template, values);
  }
  if (Array.isArray(template)) return template.map((t) => fillJson(t, values, lists));
  if (template !== null && typeof template === 'object') {
    return Object.fromEntries(Object.entries(template).map(([k, t]) => [k, fillJson(t, values, lists)]));
  }
  return template;
}

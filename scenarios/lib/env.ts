/**
 * Settings from the environment (`k6 run -e NAME=value`, or the process environment), validated in
 * init context: a bad value stops k6 before any request, with a message naming the variable.
 */

/** Hosts the scenarios may load: lockbench only ever targets this machine. */
export const LOOPBACK_HOSTS: readonly string[] = ['127.0.0.1', 'localhost', '[::1]'];

/** Where settings come from: k6's `__ENV` in a script, a plain record in the harness. */
export type EnvSource = Readonly<Record<string, string | undefined>>;

function raw(env: EnvSource, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

function invalid(name: string, value: string, expected: string): Error {
  return new Error(`${name}=${JSON.stringify(value)} is not valid: expected ${expected}`);
}

/** An integer in [min, max]; `fallback` when unset. */
export function envInt(env: EnvSource, name: string, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const text = raw(env, name);
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!/^-?\d+$/.test(text) || value < min || value > max) {
    throw invalid(name, text, max === Number.MAX_SAFE_INTEGER ? `an integer >= ${min}` : `an integer from ${min} to ${max}`);
  }
  return value;
}

/** A k6 duration such as `500ms`, `20s`, `1m30s`; `fallback` when unset. */
export function envDuration(env: EnvSource, name: string, fallback: string): string {
  const text = raw(env, name);
  if (text === undefined) return fallback;
  if (!/^(\d+(\.\d+)?(ms|s|m|h))+$/.test(text)) throw invalid(name, text, 'a duration such as 500ms, 20s or 1m30s');
  return text;
}

/** Any text; `fallback` when unset. */
export function envText(env: EnvSource, name: string, fallback: string): string {
  return raw(env, name) ?? fallback;
}

/** An http:// base URL on this machine, without a trailing slash. */
export function envBaseUrl(env: EnvSource, name: string, fallback: string): string {
  const text = raw(env, name) ?? fallback;
  const m = /^http:\/\/([^/:]+|\[[^\]]+\])(:\d+)?\/?$/.exec(text);
  if (!m?.[1] || !LOOPBACK_HOSTS.includes(m[1])) {
    throw invalid(name, text, `http://HOST:PORT with HOST one of ${LOOPBACK_HOSTS.join(', ')} (load only targets this machine)`);
  }
  return text.replace(/\/$/, '');
}

/** Milliseconds in a k6 duration (`1m30s` -> 90000). */
export function durationMs(duration: string): number {
  const unitMs: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };
  let total = 0;
  for (const part of duration.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)) {
    total += Number(part[1]) * (unitMs[part[2] ?? 's'] ?? 0);
  }
  return total;
}

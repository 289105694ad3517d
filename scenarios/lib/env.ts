/**
 * Settings from the environment (`k6 run -e NAME=value`, or the process environment), validated in
 * init context: a bad value stops k6 before any request, with a message naming the variable.
 */

/** This machine's hosts: the only ones the scenarios load unless ALLOW_REMOTE_TARGET is set. */
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

/** A number (decimal, fractions allowed) of at least `min`; `fallback` when unset. */
export function envNumber(env: EnvSource, name: string, fallback: number, min: number): number {
  const text = raw(env, name);
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!/^\d+(\.\d+)?$/.test(text) || value < min) throw invalid(name, text, `a number >= ${min}`);
  return value;
}

/**
 * A duration as k6 writes it, one or more number-unit parts: `500ms`, `20s`, `1m30s`. The one syntax of
 * every duration lockbench takes (flags, workload files, k6 settings); {@link durationMs} reads it.
 */
export const DURATION_PATTERN = /^(\d+(\.\d+)?(ms|s|m|h))+$/;

/** A k6 duration such as `500ms`, `20s`, `1m30s`; `fallback` when unset. */
export function envDuration(env: EnvSource, name: string, fallback: string): string {
  const text = raw(env, name);
  if (text === undefined) return fallback;
  if (!DURATION_PATTERN.test(text)) throw invalid(name, text, 'a duration such as 500ms, 20s or 1m30s');
  return text;
}

/** Any text; `fallback` when unset. */
export function envText(env: EnvSource, name: string, fallback: string): string {
  return raw(env, name) ?? fallback;
}

/**
 * Environment variable that lets BASE_URL name another machine (`1` or `true`). Off by default; the
 * archive for distributed runs sets it only when asked (`npm run k6:archive -- --allow-remote-target`).
 */
export const ALLOW_REMOTE_TARGET = 'ALLOW_REMOTE_TARGET';

/** A yes/no setting: `1`/`true` or `0`/`false`; false when unset. */
export function envFlag(env: EnvSource, name: string): boolean {
  const text = raw(env, name);
  if (text === undefined) return false;
  if (['1', 'true'].includes(text.toLowerCase())) return true;
  if (['0', 'false'].includes(text.toLowerCase())) return false;
  throw invalid(name, text, '1 or true to enable, 0 or false to disable');
}

/**
 * Why `url` cannot be a base URL to load, or null when it can: an http(s) URL without a path, on this
 * machine unless `allowRemote`. Load sent to another address lands on whatever answers there, so
 * leaving the machine is never a default.
 */
export function baseUrlProblem(url: string, allowRemote: boolean): string | null {
  const m = /^https?:\/\/([^/:?#]+|\[[^\]]+\])(:\d+)?\/?$/.exec(url);
  if (!m?.[1]) return 'expected http://HOST:PORT (or https://), without a path';
  if (allowRemote || LOOPBACK_HOSTS.includes(m[1].toLowerCase())) return null;
  return (
    `${m[1]} is not this machine: lockbench sends load only to ${LOOPBACK_HOSTS.join(', ')} unless remote targets ` +
    `are allowed, so that a typo or a copied URL never load-tests someone else's server. For a target you run ` +
    `elsewhere, set ${ALLOW_REMOTE_TARGET}=1 (\`npm run k6:archive -- --allow-remote-target\` does)`
  );
}

/** A base URL without a trailing slash, on this machine unless ALLOW_REMOTE_TARGET is set (see baseUrlProblem). */
export function envBaseUrl(env: EnvSource, name: string, fallback: string): string {
  const text = raw(env, name) ?? fallback;
  const problem = baseUrlProblem(text, envFlag(env, ALLOW_REMOTE_TARGET));
  if (problem !== null) throw new Error(`${name}=${JSON.stringify(text)} cannot be loaded: ${problem}`);
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

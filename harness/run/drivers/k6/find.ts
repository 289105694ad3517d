/**
 * Finding the user's own k6. k6 is AGPL-3.0: lockbench never fetches, builds or ships it; `--driver k6`
 * runs the k6 a user installed, from `--k6 <path>`, `LOCKBENCH_K6`, or `PATH`.
 */
import { spawn } from 'node:child_process';
import { constants as fsConstants } from 'node:fs';
import { access } from 'node:fs/promises';
import { delimiter, resolve } from 'node:path';

/** The oldest k6 that runs the TypeScript scenarios natively (with `k6/execution`). */
export const K6_MIN_VERSION = '1.0.0';
/** Environment variable naming the k6 binary to use. */
export const K6_ENV_VARIABLE = 'LOCKBENCH_K6';

/** How to get k6, shown when none is found: the routes k6 users install it by. */
export const INSTALL_K6_HELP = [
  `--driver k6 needs k6 >= ${K6_MIN_VERSION}, installed by you (lockbench does not download or build k6):`,
  '  - your package manager: `brew install k6`, the Grafana apt/dnf repository, `winget install k6`;',
  '  - the `grafana/k6` container image;',
  '  - in GitHub Actions, the `grafana/setup-k6-action` step.',
  `Then make sure \`k6 version\` works in this shell, or pass --k6 <path> or set ${K6_ENV_VARIABLE}.`,
  'Without k6, leave out --driver k6: the built-in driver runs the same scenario.',
].join('\n');

/** What one command printed and how it ended; `startError` when it could not start at all. */
export interface CommandResult {
  exitCode: number | null;
  stdout: string;
  stderr: string;
  startError?: string;
}

/** Spawns a command and collects its output; never throws. */
export function runCommand(command: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<CommandResult> {
  return new Promise((resolveResult) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.once('error', (err: NodeJS.ErrnoException) => resolveResult({ exitCode: null, stdout, stderr, startError: `${err.code ?? 'ERROR'}: ${err.message}` }));
    child.once('close', (code) => resolveResult({ exitCode: code, stdout, stderr }));
  });
}

export interface SemVer {
  major: number;
  minor: number;
  patch: number;
  /** Pre-release suffix without the dash, e.g. `rc1`; empty for a release. */
  prerelease: string;
}

const SEMVER = /^v?(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/;

/** Parses `1.2.3`, `v1.2.3`, `v1.2.3-rc1`; null when it is not a version. */
export function parseSemVer(text: string): SemVer | null {
  const m = SEMVER.exec(text.trim());
  if (!m) return null;
  return { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]), prerelease: m[4] ?? '' };
}

/** Orders versions: negative when a < b. A pre-release sorts before its release. */
export function compareSemVer(a: SemVer, b: SemVer): number {
  const byNumber = a.major - b.major || a.minor - b.minor || a.patch - b.patch;
  if (byNumber !== 0) return byNumber;
  if (a.prerelease === b.prerelease) return 0;
  if (a.prerelease === '') return 1;
  if (b.prerelease === '') return -1;
  return a.prerelease < b.prerelease ? -1 : 1;
}

/** True when `version` is at least `minimum`; false for anything unparseable. */
export function isAtLeast(version: string, minimum: string): boolean {
  const v = parseSemVer(version);
  const min = parseSemVer(minimum);
  return v !== null && min !== null && compareSemVer(v, min) >= 0;
}

/** The version in `k6 version` output, without the `v`: `k6 v2.2.0 (go1.26.8, linux/amd64)` -> `2.2.0`. */
export function parseK6Version(output: string): string | null {
  const m = /\bk6 (v\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?)/.exec(output);
  return m?.[1] ? m[1].slice(1) : null;
}

/** Absolute path of the first executable called `name` in `pathVariable`, or null. */
export async function findOnPath(name: string, pathVariable: string | undefined): Promise<string | null> {
  for (const dir of (pathVariable ?? '').split(delimiter)) {
    if (dir === '') continue;
    const candidate = resolve(dir, name);
    try {
      await access(candidate, fsConstants.X_OK);
      return candidate;
    } catch {
      // not here, or not executable
    }
  }
  return null;
}

/** The k6 that will run, and where it was found. */
export interface K6Binary {
  path: string;
  version: string;
  source: '--k6' | typeof K6_ENV_VARIABLE | 'PATH';
}

/** Thrown when no usable k6 is found; the message says how to install one. */
export class K6NotFoundError extends Error {
  override readonly name = 'K6NotFoundError';
}

/** Finds k6: `explicit` (--k6), else $LOCKBENCH_K6, else `k6` on PATH; it must report a version >= 1.0. */
export async function findK6(explicit: string | null, env: NodeJS.ProcessEnv = process.env): Promise<K6Binary> {
  const fromEnv = env[K6_ENV_VARIABLE]?.trim();
  const [path, source]: [string | null, K6Binary['source']] =
    explicit !== null ? [explicit, '--k6'] : fromEnv ? [fromEnv, K6_ENV_VARIABLE] : [await findOnPath('k6', env.PATH), 'PATH'];
  if (path === null) throw new K6NotFoundError(`no k6 on PATH.\n${INSTALL_K6_HELP}`);
  const result = await runCommand(path, ['version'], env);
  if (result.startError !== undefined) throw new K6NotFoundError(`k6 from ${source} (${path}) cannot be run: ${result.startError}.\n${INSTALL_K6_HELP}`);
  const version = parseK6Version(result.stdout) ?? parseK6Version(result.stderr);
  if (version === null) throw new K6NotFoundError(`${path} (from ${source}) does not report a k6 version.\n${INSTALL_K6_HELP}`);
  if (!isAtLeast(version, K6_MIN_VERSION)) throw new K6NotFoundError(`k6 v${version} from ${source} (${path}) is older than ${K6_MIN_VERSION}.\n${INSTALL_K6_HELP}`);
  return { path, version, source };
}

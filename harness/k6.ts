/**
 * Real k6, provisioned by the project: k6 from PATH when it is recent enough, otherwise a pinned k6
 * built from source with `go install` into the git-ignored `.tools/`. Nothing is downloaded except Go
 * modules through the Go toolchain's own module proxy.
 */
import { spawn } from 'node:child_process';
import { constants as fsConstants } from 'node:fs';
import { access, mkdir, writeFile } from 'node:fs/promises';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** A k6 release that can be built with `go install`. */
export interface K6Release {
  /** Go module path of the k6 command. */
  module: string;
  /** Version without the leading `v`. */
  version: string;
}

/** The pinned k6, matching `@types/k6` 2.2.0 in package.json. */
export const K6_PINNED: K6Release = { module: 'go.k6.io/k6/v2', version: '2.2.0' };
/** Built only when the pinned v2 build fails (the last v1 release the module proxy serves). */
export const K6_FALLBACK: K6Release = { module: 'go.k6.io/k6', version: '1.8.1' };
/** A k6 on PATH is used when its version is at least this (native TypeScript, `k6/execution`). */
export const K6_MIN_PATH_VERSION = '1.0.0';
/** How often a progress line is sent while `go` runs, in milliseconds. */
export const BUILD_HEARTBEAT_MS = 20_000;
/** How much of a failed command's output goes into an error message, in characters. */
export const ERROR_OUTPUT_CHARS = 1_500;
/** Where the project's own tools live, relative to the project root (git-ignored). */
export const TOOLS_DIR_NAME = '.tools';
/** Module name of the throwaway Go module the build runs in. */
export const BUILD_MODULE_NAME = 'lockbench-k6-build';

/** How to get k6 when it cannot be found or built; shown when neither k6 nor Go is available. */
export const INSTALL_K6_HELP = [
  `No k6 >= ${K6_MIN_PATH_VERSION} is on PATH, and Go is not installed to build k6 v${K6_PINNED.version} from source.`,
  'Either install k6 (https://grafana.com/docs/k6/latest/set-up/install-k6/: `brew install k6`,',
  'the Grafana apt/dnf repository, `winget install k6`, or a release from https://github.com/grafana/k6/releases)',
  'and make sure `k6 version` works in this shell,',
  `or install Go (https://go.dev/doc/install) and run \`npm run setup:k6\` to build k6 into ${TOOLS_DIR_NAME}/bin/.`,
].join('\n');

/** What one command printed and how it ended. `exitCode` is null when it could not start or was killed. */
export interface CommandResult {
  exitCode: number | null;
  stdout: string;
  stderr: string;
  /** The command could not be started (ENOENT, EACCES). */
  startError?: string;
}

/** Runs a command to completion. Injected so that tests never build k6. */
export type CommandRunner = (
  command: string,
  args: readonly string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv },
) => Promise<CommandResult>;

/** Where the k6 that will run came from. */
export type K6Source = 'path' | 'tools';

/** The k6 binary to run. */
export interface K6Binary {
  /** Absolute path of the executable. */
  path: string;
  /** Version without the leading `v`, as `k6 version` printed it. */
  version: string;
  source: K6Source;
  /** True when this call built it. */
  built: boolean;
  /** How long the build took, in milliseconds (only when `built`). */
  buildMs?: number;
}

/** Options of {@link ensureK6}; every field is optional. */
export interface EnsureK6Options {
  /** Project root; `.tools/` lives below it. Default: the folder above `harness/`. */
  projectRoot?: string;
  /** Consider `k6` on PATH. Default true. */
  usePath?: boolean;
  /** Receives one human-readable line per step (the first build takes minutes). Default: none. */
  onProgress?: (message: string) => void;
  /** Default: {@link runCommand}. */
  run?: CommandRunner;
  /** Environment for PATH lookup and for `go`. Default: `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** Clock in milliseconds. Default: `Date.now`. */
  now?: () => number;
  /** Interval of "still building" lines, in milliseconds. Default {@link BUILD_HEARTBEAT_MS}. */
  heartbeatMs?: number;
}

interface ResolvedEnsureK6Options {
  projectRoot: string;
  usePath: boolean;
  onProgress: (message: string) => void;
  run: CommandRunner;
  env: NodeJS.ProcessEnv;
  now: () => number;
  heartbeatMs: number;
}

/** Default project root: this file lives in `<root>/harness/`. */
export const DEFAULT_PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

const ENSURE_K6_KEYS = new Set(['projectRoot', 'usePath', 'onProgress', 'run', 'env', 'now', 'heartbeatMs']);

function resolveEnsureK6Options(options: EnsureK6Options): ResolvedEnsureK6Options {
  const unknown = Object.keys(options).filter((key) => !ENSURE_K6_KEYS.has(key));
  if (unknown.length > 0) {
    throw new TypeError(`ensureK6: unknown option(s) ${unknown.join(', ')}; expected ${[...ENSURE_K6_KEYS].join(', ')}`);
  }
  const heartbeatMs = options.heartbeatMs ?? BUILD_HEARTBEAT_MS;
  if (!Number.isFinite(heartbeatMs) || heartbeatMs <= 0) {
    throw new TypeError(`ensureK6: options.heartbeatMs must be a positive number of milliseconds, got ${heartbeatMs}`);
  }
  return {
    projectRoot: resolve(options.projectRoot ?? DEFAULT_PROJECT_ROOT),
    usePath: options.usePath ?? true,
    onProgress: options.onProgress ?? (() => {}),
    run: options.run ?? runCommand,
    env: options.env ?? process.env,
    now: options.now ?? Date.now,
    heartbeatMs,
  };
}

/** Thrown when no usable k6 exists and none can be built; `message` says what to install. */
export class K6UnavailableError extends Error {
  override readonly name = 'K6UnavailableError';
}

/** A parsed semantic version. */
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

/** Orders versions: negative when a < b. A pre-release sorts before its release (1.0.0-rc1 < 1.0.0). */
export function compareSemVer(a: SemVer, b: SemVer): number {
  const byNumber = a.major - b.major || a.minor - b.minor || a.patch - b.patch;
  if (byNumber !== 0) return byNumber;
  if (a.prerelease === b.prerelease) return 0;
  if (a.prerelease === '') return 1;
  if (b.prerelease === '') return -1;
  return a.prerelease < b.prerelease ? -1 : 1;
}

/**
 * The version in `k6 version` output, without the `v`: `k6 v2.2.0 (go1.26.8, linux/amd64)` -> `2.2.0`,
 * `k6 v0.49.0 (commit/abc, go1.21.6, linux/amd64)` -> `0.49.0`. Null when there is none.
 */
export function parseK6Version(output: string): string | null {
  const m = /\bk6 (v\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?)/.exec(output);
  if (!m?.[1]) return null;
  return m[1].slice(1);
}

/** `go version go1.26.8 linux/amd64` -> `1.26.8`; null when there is none. */
export function parseGoVersion(output: string): string | null {
  const m = /\bgo version go(\d+(?:\.\d+){1,2}\S*)/.exec(output);
  return m?.[1] ?? null;
}

/** True when `version` is at least `minimum`; false for anything unparseable. */
export function isAtLeast(version: string, minimum: string): boolean {
  const v = parseSemVer(version);
  const min = parseSemVer(minimum);
  return v !== null && min !== null && compareSemVer(v, min) >= 0;
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

/** Spawns a command and collects its output; never throws (a start failure is in `startError`). */
export const runCommand: CommandRunner = (command, args, options) =>
  new Promise((resolveResult) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.once('error', (err: NodeJS.ErrnoException) =>
      resolveResult({ exitCode: null, stdout, stderr, startError: `${err.code ?? 'ERROR'}: ${err.message}` }),
    );
    child.once('close', (code) => resolveResult({ exitCode: code, stdout, stderr }));
  });

/** Layout of the project's tools folder. */
export interface ToolsLayout {
  /** `<root>/.tools/bin`, where `go install` puts k6. */
  binDir: string;
  /** `<root>/.tools/bin/k6`. */
  k6Path: string;
  /** `<root>/.tools/k6-build`, the throwaway Go module the build runs in. */
  buildDir: string;
}

/** Where the project keeps its k6 below `projectRoot`. */
export function toolsLayout(projectRoot: string): ToolsLayout {
  const tools = join(projectRoot, TOOLS_DIR_NAME);
  const binDir = join(tools, 'bin');
  return { binDir, k6Path: join(binDir, 'k6'), buildDir: join(tools, 'k6-build') };
}

/** The version `k6 version` reports for `path`, or null when it does not run or prints none. */
async function k6VersionOf(path: string, opts: ResolvedEnsureK6Options): Promise<string | null> {
  const result = await opts.run(path, ['version'], { env: opts.env });
  if (result.exitCode !== 0) return null;
  return parseK6Version(result.stdout) ?? parseK6Version(result.stderr);
}

function tail(text: string): string {
  const trimmed = text.trim();
  return trimmed.length > ERROR_OUTPUT_CHARS ? `...${trimmed.slice(-ERROR_OUTPUT_CHARS)}` : trimmed;
}

function describeFailure(what: string, result: CommandResult): string {
  if (result.startError !== undefined) return `${what} could not start (${result.startError})`;
  return `${what} exited with ${result.exitCode}: ${tail(result.stderr || result.stdout)}`;
}

/**
 * The Go module the build runs in. `go install module@version` cannot be used: it looks up the
 * module's deprecation through `@v/list`, which the module proxy does not serve for k6 v2 (404).
 * Requiring the module from a local build module only needs the version's own `.info/.mod/.zip`.
 */
export function buildModuleFiles(release: K6Release): { 'go.mod': string; 'tools.go': string } {
  return {
    'go.mod': `module ${BUILD_MODULE_NAME}\n\ngo 1.22\n`,
    'tools.go': [
      '//go:build tools',
      '',
      '// Package tools pins the k6 command that lockbench builds into .tools/bin.',
      'package tools',
      '',
      `import _ "${release.module}"`,
      '',
    ].join('\n'),
  };
}

/** Environment for `go`: install into `binDir`, no VCS stamping, never fetch a different Go toolchain. */
export function goBuildEnv(base: NodeJS.ProcessEnv, binDir: string): NodeJS.ProcessEnv {
  const goflags = [base.GOFLAGS, '-buildvcs=false'].filter((f) => f !== undefined && f !== '').join(' ');
  return { ...base, GOBIN: binDir, GOFLAGS: goflags, GOTOOLCHAIN: 'local' };
}

/** Runs `go` with heartbeat progress lines while it works. */
async function runGo(
  goPath: string,
  args: readonly string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
  opts: ResolvedEnsureK6Options,
  startedMs: number,
): Promise<CommandResult> {
  const heartbeat = setInterval(
    () => opts.onProgress(`still building k6 (go ${args[0]}), ${Math.round((opts.now() - startedMs) / 1000)} s so far`),
    opts.heartbeatMs,
  );
  try {
    return await opts.run(goPath, args, { cwd, env });
  } finally {
    clearInterval(heartbeat);
  }
}

/** Builds one release into `.tools/bin`; returns the built version, or the reason it failed. */
async function buildRelease(
  goPath: string,
  release: K6Release,
  layout: ToolsLayout,
  opts: ResolvedEnsureK6Options,
  startedMs: number,
): Promise<{ ok: true; version: string } | { ok: false; reason: string }> {
  await mkdir(layout.buildDir, { recursive: true });
  await mkdir(layout.binDir, { recursive: true });
  for (const [name, text] of Object.entries(buildModuleFiles(release))) {
    await writeFile(join(layout.buildDir, name), text);
  }
  const env = goBuildEnv(opts.env, layout.binDir);
  opts.onProgress(`fetching ${release.module}@v${release.version} and its dependencies through the Go module proxy`);
  const get = await runGo(goPath, ['get', `${release.module}@v${release.version}`], layout.buildDir, env, opts, startedMs);
  if (get.exitCode !== 0) return { ok: false, reason: describeFailure(`go get ${release.module}@v${release.version}`, get) };
  opts.onProgress(`compiling k6 v${release.version} into ${layout.binDir}`);
  const install = await runGo(goPath, ['install', release.module], layout.buildDir, env, opts, startedMs);
  if (install.exitCode !== 0) return { ok: false, reason: describeFailure(`go install ${release.module}`, install) };
  const version = await k6VersionOf(layout.k6Path, opts);
  if (version !== release.version) {
    return { ok: false, reason: `the built ${layout.k6Path} reports version ${version ?? 'none'}, expected ${release.version}` };
  }
  return { ok: true, version };
}

/**
 * Finds or builds k6, in this order:
 * 1. `k6` on PATH when `k6 version` is >= {@link K6_MIN_PATH_VERSION};
 * 2. `.tools/bin/k6` when it reports the pinned version (or the fallback version, built earlier
 *    because the pinned one could not be built);
 * 3. a fresh build of {@link K6_PINNED} with Go (minutes the first time), else of {@link K6_FALLBACK}.
 * Throws {@link K6UnavailableError} when neither k6 nor Go exists, or when both builds fail.
 */
export async function ensureK6(options: EnsureK6Options = {}): Promise<K6Binary> {
  const opts = resolveEnsureK6Options(options);
  const layout = toolsLayout(opts.projectRoot);

  if (opts.usePath) {
    const onPath = await findOnPath('k6', opts.env.PATH);
    if (onPath !== null) {
      const version = await k6VersionOf(onPath, opts);
      if (version !== null && isAtLeast(version, K6_MIN_PATH_VERSION)) {
        opts.onProgress(`using k6 v${version} from PATH (${onPath})`);
        return { path: onPath, version, source: 'path', built: false };
      }
      opts.onProgress(
        `ignoring ${onPath}: ${version === null ? 'it does not report a version' : `v${version} is older than ${K6_MIN_PATH_VERSION}`}`,
      );
    }
  }

  const existing = await findOnPath('k6', layout.binDir);
  if (existing !== null) {
    const version = await k6VersionOf(existing, opts);
    if (version === K6_PINNED.version || version === K6_FALLBACK.version) {
      const note = version === K6_PINNED.version ? '' : ` (fallback; delete it to retry v${K6_PINNED.version})`;
      opts.onProgress(`using k6 v${version} from ${existing}${note}`);
      return { path: existing, version, source: 'tools', built: false };
    }
    opts.onProgress(`rebuilding: ${existing} reports ${version === null ? 'no version' : `v${version}`}, pinned is v${K6_PINNED.version}`);
  }

  const goPath = await findOnPath('go', opts.env.PATH);
  if (goPath === null) throw new K6UnavailableError(INSTALL_K6_HELP);
  const goVersionResult = await opts.run(goPath, ['version'], { env: opts.env });
  const goVersion = parseGoVersion(goVersionResult.stdout) ?? 'unknown version';

  const startedMs = opts.now();
  opts.onProgress(
    `building k6 v${K6_PINNED.version} from source with Go ${goVersion} into ${layout.binDir}; ` +
      'the first build takes a few minutes, later runs reuse it',
  );
  const failures: string[] = [];
  for (const release of [K6_PINNED, K6_FALLBACK]) {
    if (release !== K6_PINNED) opts.onProgress(`k6 v${K6_PINNED.version} could not be built; falling back to ${release.module}@v${release.version}`);
    const outcome = await buildRelease(goPath, release, layout, opts, startedMs);
    if (outcome.ok) {
      const buildMs = opts.now() - startedMs;
      opts.onProgress(`built k6 v${outcome.version} in ${(buildMs / 1000).toFixed(1)} s: ${layout.k6Path}`);
      return { path: layout.k6Path, version: outcome.version, source: 'tools', built: true, buildMs };
    }
    failures.push(outcome.reason);
  }
  throw new K6UnavailableError(
    `could not build k6 with Go ${goVersion}:\n- ${failures.join('\n- ')}\n\n` +
      `Install k6 >= ${K6_MIN_PATH_VERSION} on PATH instead (https://grafana.com/docs/k6/latest/set-up/install-k6/).`,
  );
}

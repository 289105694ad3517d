import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  compareSemVer,
  ensureK6,
  isAtLeast,
  K6_FALLBACK,
  K6_PINNED,
  K6UnavailableError,
  parseGoVersion,
  parseK6Version,
  parseSemVer,
  toolsLayout,
  type CommandResult,
  type CommandRunner,
} from './k6.ts';

describe('parseK6Version', () => {
  it('reads the version of k6 v2 and of older k6 that print a commit', () => {
    expect(parseK6Version('k6 v2.2.0 (go1.26.8, linux/amd64)\n')).toBe('2.2.0');
    expect(parseK6Version('k6 v0.49.0 (commit/4f2e0d7b3a, go1.21.6, linux/amd64)')).toBe('0.49.0');
    expect(parseK6Version('k6 v1.0.0-rc1 (commit/devel, go1.24.1, darwin/arm64)\nExtensions:\n  xk6-foo v0.1.0')).toBe('1.0.0-rc1');
  });

  it('answers null when there is no k6 version in the output', () => {
    expect(parseK6Version('')).toBeNull();
    expect(parseK6Version('command not found: k6')).toBeNull();
    expect(parseK6Version('k6 version unknown')).toBeNull();
  });
});

describe('version comparison', () => {
  it('compares numerically, not as text', () => {
    expect(isAtLeast('10.0.0', '9.9.9')).toBe(true);
    expect(isAtLeast('0.57.0', '1.0.0')).toBe(false);
    expect(isAtLeast('1.0.0', '1.0.0')).toBe(true);
    expect(isAtLeast('2.2.0', '1.0.0')).toBe(true);
  });

  it('sorts a pre-release before its release', () => {
    const rc = parseSemVer('v1.0.0-rc1');
    const release = parseSemVer('1.0.0');
    expect(rc).not.toBeNull();
    expect(release).not.toBeNull();
    expect(compareSemVer(rc!, release!)).toBeLessThan(0);
    expect(isAtLeast('1.0.0-rc1', '1.0.0')).toBe(false);
  });

  it('treats an unparseable version as too old', () => {
    expect(parseSemVer('devel')).toBeNull();
    expect(isAtLeast('devel', '1.0.0')).toBe(false);
  });

  it('reads the Go version', () => {
    expect(parseGoVersion('go version go1.26.8 linux/amd64')).toBe('1.26.8');
    expect(parseGoVersion('go version go1.22 darwin/arm64')).toBe('1.22');
    expect(parseGoVersion('')).toBeNull();
  });
});

/** A fake machine: folders with (empty) executables, and a runner that answers like k6 and go would. */
class FakeMachine {
  readonly root = mkdtempSync(join(tmpdir(), 'lockbench-k6-'));
  readonly pathDir = join(this.root, 'path-bin');
  readonly projectRoot = join(this.root, 'project');
  readonly calls: { command: string; args: readonly string[]; cwd?: string; env?: NodeJS.ProcessEnv }[] = [];
  /** Version each k6 executable reports, by absolute path. */
  readonly k6Versions = new Map<string, string>();
  /** What `go get` and `go install` answer, by module; success when absent. */
  readonly goFailures = new Map<string, string>();
  goVersion = '1.26.8';

  constructor() {
    mkdirSync(this.pathDir, { recursive: true });
    mkdirSync(this.projectRoot, { recursive: true });
  }

  get tools() {
    return toolsLayout(this.projectRoot);
  }

  /** Puts an executable at `path` that reports `version` (or nothing when null). */
  install(path: string, version: string | null): void {
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, '#!/bin/sh\nexit 1\n');
    chmodSync(path, 0o755);
    if (version !== null) this.k6Versions.set(path, version);
  }

  readonly run: CommandRunner = async (command, args, options) => {
    this.calls.push({ command, args, cwd: options.cwd, env: options.env });
    const ok = (stdout: string): CommandResult => ({ exitCode: 0, stdout, stderr: '' });
    if (basename(command) === 'k6') {
      const version = this.k6Versions.get(command);
      return version === undefined ? { exitCode: 1, stdout: '', stderr: 'exec format error' } : ok(`k6 v${version} (go1.26.8, linux/amd64)\n`);
    }
    if (basename(command) === 'go') {
      if (args[0] === 'version') return ok(`go version go${this.goVersion} linux/amd64\n`);
      const goMod = readFileSync(join(options.cwd ?? '', 'go.mod'), 'utf8');
      const toolsGo = readFileSync(join(options.cwd ?? '', 'tools.go'), 'utf8');
      const module = /import _ "([^"]+)"/.exec(toolsGo)?.[1] ?? '';
      expect(goMod).toContain('module lockbench-k6-build');
      const failure = this.goFailures.get(module);
      if (failure !== undefined) return { exitCode: 1, stdout: '', stderr: failure };
      if (args[0] === 'install') {
        const gobin = options.env?.GOBIN ?? '';
        this.install(join(gobin, 'k6'), module === K6_PINNED.module ? K6_PINNED.version : K6_FALLBACK.version);
      }
      return ok('');
    }
    return { exitCode: null, stdout: '', stderr: '', startError: `ENOENT: spawn ${command}` };
  };

  goCalls(): string[] {
    return this.calls.filter((c) => basename(c.command) === 'go' && c.args[0] !== 'version').map((c) => c.args.join(' '));
  }

  remove(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}

describe('ensureK6', () => {
  let machine: FakeMachine;
  const messages: string[] = [];
  const options = (extra: Record<string, unknown> = {}) => ({
    projectRoot: machine.projectRoot,
    run: machine.run,
    env: { PATH: machine.pathDir },
    onProgress: (m: string) => messages.push(m),
    ...extra,
  });

  afterEach(() => {
    machine.remove();
    messages.length = 0;
  });

  it('uses k6 from PATH when it is 1.0 or newer, without looking for Go', async () => {
    machine = new FakeMachine();
    machine.install(join(machine.pathDir, 'k6'), '1.3.0');
    machine.install(join(machine.pathDir, 'go'), null);

    const k6 = await ensureK6(options());

    expect(k6).toEqual({ path: join(machine.pathDir, 'k6'), version: '1.3.0', source: 'path', built: false });
    expect(machine.goCalls()).toEqual([]);
  });

  it('ignores a k6 on PATH older than 1.0 and reuses the pinned k6 in .tools', async () => {
    machine = new FakeMachine();
    machine.install(join(machine.pathDir, 'k6'), '0.49.0');
    machine.install(machine.tools.k6Path, K6_PINNED.version);

    const k6 = await ensureK6(options());

    expect(k6).toEqual({ path: machine.tools.k6Path, version: K6_PINNED.version, source: 'tools', built: false });
    expect(messages.join('\n')).toContain('older than 1.0.0');
    expect(machine.goCalls()).toEqual([]);
  });

  it('skips PATH when told to', async () => {
    machine = new FakeMachine();
    machine.install(join(machine.pathDir, 'k6'), '2.2.0');
    machine.install(machine.tools.k6Path, K6_PINNED.version);

    const k6 = await ensureK6(options({ usePath: false }));

    expect(k6.source).toBe('tools');
  });

  it('rebuilds a .tools k6 whose version is not the pin, in a build module, into .tools/bin', async () => {
    machine = new FakeMachine();
    machine.install(join(machine.pathDir, 'go'), null);
    machine.install(machine.tools.k6Path, '2.1.0');
    let clock = 1_000;

    const k6 = await ensureK6(options({ now: () => (clock += 500) }));

    expect(k6).toMatchObject({ path: machine.tools.k6Path, version: K6_PINNED.version, source: 'tools', built: true });
    expect(k6.buildMs).toBeGreaterThan(0);
    expect(machine.goCalls()).toEqual([`get ${K6_PINNED.module}@v${K6_PINNED.version}`, `install ${K6_PINNED.module}`]);
    const install = machine.calls.find((c) => c.args[0] === 'install');
    expect(install?.cwd).toBe(machine.tools.buildDir);
    expect(install?.env).toMatchObject({ GOBIN: machine.tools.binDir, GOTOOLCHAIN: 'local' });
    expect(install?.env?.GOFLAGS).toContain('-buildvcs=false');
    expect(readFileSync(join(machine.tools.buildDir, 'tools.go'), 'utf8')).toMatch(/^\/\/go:build tools$/m);
    expect(messages.join('\n')).toMatch(/building k6 v2\.2\.0 from source with Go 1\.26\.8.*few minutes/);
  });

  it('falls back to k6 v1 when the v2 build fails, and says so', async () => {
    machine = new FakeMachine();
    machine.install(join(machine.pathDir, 'go'), null);
    machine.goFailures.set(K6_PINNED.module, 'go: go.k6.io/k6/v2@v2.2.0: reading .../@v/v2.2.0.zip: 403 Forbidden');

    const k6 = await ensureK6(options());

    expect(k6).toMatchObject({ version: K6_FALLBACK.version, built: true });
    expect(messages.join('\n')).toContain(`falling back to ${K6_FALLBACK.module}@v${K6_FALLBACK.version}`);
  });

  it('reuses a fallback k6 built earlier instead of retrying the pinned build every run', async () => {
    machine = new FakeMachine();
    machine.install(join(machine.pathDir, 'go'), null);
    machine.install(machine.tools.k6Path, K6_FALLBACK.version);

    const k6 = await ensureK6(options());

    expect(k6).toMatchObject({ version: K6_FALLBACK.version, built: false });
    expect(machine.goCalls()).toEqual([]);
  });

  it('reports both build failures when neither release builds', async () => {
    machine = new FakeMachine();
    machine.install(join(machine.pathDir, 'go'), null);
    machine.goFailures.set(K6_PINNED.module, 'v2 zip 403');
    machine.goFailures.set(K6_FALLBACK.module, 'v1 needs a newer go');

    const failure = ensureK6(options());

    await expect(failure).rejects.toBeInstanceOf(K6UnavailableError);
    await expect(failure).rejects.toThrow(/v2 zip 403[\s\S]*v1 needs a newer go[\s\S]*Install k6/);
  });

  it('stops with instructions to install k6 when neither k6 nor Go exists', async () => {
    machine = new FakeMachine();

    const failure = ensureK6(options());

    await expect(failure).rejects.toBeInstanceOf(K6UnavailableError);
    await expect(failure).rejects.toThrow(/install k6[\s\S]*install Go[\s\S]*npm run setup:k6/);
    expect(machine.calls).toEqual([]);
  });

  it('sends "still building" lines while go runs', async () => {
    machine = new FakeMachine();
    machine.install(join(machine.pathDir, 'go'), null);
    let heard: () => void = () => {};
    const heartbeat = new Promise<void>((resolve) => (heard = resolve));
    const slowRun: CommandRunner = async (command, args, opts) => {
      if (args[0] === 'get') await heartbeat;
      return machine.run(command, args, opts);
    };

    await ensureK6(
      options({
        run: slowRun,
        heartbeatMs: 5,
        onProgress: (m: string) => {
          messages.push(m);
          if (m.startsWith('still building')) heard();
        },
      }),
    );

    expect(messages.some((m) => /^still building k6 \(go get\), \d+ s so far$/.test(m))).toBe(true);
  });

  it('rejects misspelled options', async () => {
    machine = new FakeMachine();
    await expect(ensureK6({ projectroot: '/x' } as never)).rejects.toThrow(/unknown option\(s\) projectroot/);
  });
});

/**
 * `npm run k6:archive` through its CLI: without k6 it exits 3 with the install routes; a target on another
 * machine needs --allow-remote-target; with a k6 it runs `k6 archive` with the settings. The k6 here is a
 * stand-in shell script that answers `version` and records the `archive` arguments in the output file.
 */
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { INSTALL_K6_HELP } from '../harness/run/drivers/k6/find.ts';

const CLI = fileURLToPath(new URL('./k6-archive.ts', import.meta.url));
const STAND_IN_K6 = `#!/bin/sh
case "$1" in
  version) echo "k6 v2.2.0 (stand-in)";;
  archive) shift; out=""; prev=""
    for a in "$@"; do [ "$prev" = "-O" ] && out="$a"; prev="$a"; done
    printf '%s\\n' "$@" > "$out";;
  *) exit 64;;
esac
`;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'lockbench-archive-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function runCli(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The environment with no k6 anywhere: an empty PATH folder and no LOCKBENCH_K6. */
function withoutK6(): NodeJS.ProcessEnv {
  const { LOCKBENCH_K6: _ignored, ...env } = process.env;
  return { ...env, PATH: dir };
}

function standInK6(): string {
  const path = join(dir, 'k6');
  writeFileSync(path, STAND_IN_K6);
  chmodSync(path, 0o755);
  return path;
}

describe('npm run k6:archive', () => {
  it('exits 3 with the ways to install k6 when there is none', async () => {
    const run = await runCli(['--base-url', 'http://127.0.0.1:3000'], withoutK6());
    expect(run.code).toBe(3);
    expect(run.stderr).toContain(INSTALL_K6_HELP);
  });

  it('exits 2 for a target on another machine without --allow-remote-target, saying why', async () => {
    const run = await runCli(['--base-url', 'http://10.0.0.7:3000', '--k6', standInK6()], withoutK6());
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/10\.0\.0\.7 is not this machine.*--allow-remote-target/s);
  });

  it('runs k6 archive on scenarios/concurrent.ts with the settings, and the remote opt-in when asked', async () => {
    const k6 = standInK6();
    const out = join(dir, 'concurrent.tar');
    const run = await runCli(['--base-url', 'http://10.0.0.7:3000', '--allow-remote-target', '--imports', '4', '--out', out, '--k6', k6], withoutK6());
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`wrote ${out} with k6 v2.2.0`);
    const args = readFileSync(out, 'utf8').split('\n');
    expect(args).toEqual(expect.arrayContaining(['BASE_URL=http://10.0.0.7:3000', 'ALLOW_REMOTE_TARGET=1', 'IMPORTS=4']));
    expect(args).toContain(fileURLToPath(new URL('../scenarios/concurrent.ts', import.meta.url)));
  });

  it('leaves the opt-in out of a loopback archive', async () => {
    const out = join(dir, 'local.tar');
    const run = await runCli(['--base-url', 'http://127.0.0.1:3000', '--out', out, '--k6', standInK6()], withoutK6());
    expect(run.code, run.stderr).toBe(0);
    expect(readFileSync(out, 'utf8')).not.toContain('ALLOW_REMOTE_TARGET');
  });
});

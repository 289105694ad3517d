import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const LAUNCHER = fileURLToPath(new URL('./run.mjs', import.meta.url));

function run(...args: string[]) {
  return spawnSync(process.execPath, [LAUNCHER, ...args], { encoding: 'utf8', timeout: 60_000 });
}

describe('scripts/run.mjs', () => {
  it('runs a command from its bundle with the arguments after its name', () => {
    const result = run('scenario-concurrent', '--help');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^Usage: scenario:concurrent/);
  });

  it('passes the command its exit code and its errors', () => {
    const result = run('scenario-concurrent', '--imports', 'many');
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/--imports/);
  });

  it('names the commands when asked for one that does not exist, and exits 2', () => {
    const result = run('no-such-command');
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/no command "no-such-command".*commands: .*scenario-concurrent/);
    expect(run().status).toBe(2);
  });
});

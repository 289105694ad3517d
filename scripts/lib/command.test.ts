import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { CommanderError } from 'commander';
import { afterEach, describe, expect, it } from 'vitest';
import { dashDashHint, lockbenchCommand } from './command.ts';

const PROJECT = fileURLToPath(new URL('../..', import.meta.url));
const saved = { ...process.env };
afterEach(() => {
  for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
  Object.assign(process.env, saved);
});

/** Parses `args` as npm would have run the script `script`, with `npmSettings` as npm passes its own settings. */
function parseUnderNpm(args: string[], npmSettings: Record<string, string>): { error: CommanderError | null; stderr: string } {
  process.env.npm_lifecycle_event = 'scenario:concurrent';
  for (const [name, value] of Object.entries(npmSettings)) process.env[`npm_config_${name}`] = value;
  let stderr = '';
  const program = lockbenchCommand('scenario:concurrent', 'test')
    .option('--profiles <list>', 'profiles')
    .option('--tail <duration>', 'tail')
    .option('--no-observer', 'no observer')
    .configureOutput({ writeErr: (text) => (stderr += text) });
  try {
    program.parse(args, { from: 'user' });
    return { error: null, stderr };
  } catch (err) {
    return { error: err as CommanderError, stderr };
  }
}

describe('a flag written before `--` under npm', () => {
  it('npm read --profiles as a switch and passed its value on: exit 2, with the command line meant', () => {
    const { error, stderr } = parseUnderNpm(['before'], { profiles: 'true' });
    expect(error?.exitCode).toBe(2);
    expect(stderr).toContain('npm took --profiles as its own setting');
    expect(stderr).toContain('flags go after `--`: npm run scenario:concurrent -- --profiles before');
  });

  it('npm kept --profiles=before and --no-observer as its settings: exit 2 rather than a run without them', () => {
    const { error, stderr } = parseUnderNpm([], { profiles: 'before', observer: 'true' });
    expect(error?.exitCode).toBe(2);
    expect(stderr).toContain('flags go after `--`: npm run scenario:concurrent -- --profiles before --no-observer');
  });

  it('a stray argument alone: too many arguments, exit 2, with the hint', () => {
    const { error, stderr } = parseUnderNpm(['extra'], {});
    expect(error?.code).toBe('commander.excessArguments');
    expect(error?.exitCode).toBe(2);
    expect(stderr).toContain('flags go after `--`: npm run scenario:concurrent -- extra');
  });

  it('flags after `--` parse as usual', () => {
    const { error } = parseUnderNpm(['--profiles', 'before'], {});
    expect(error).toBeNull();
  });

  it('outside npm a stray argument is only a stray argument: no hint about npm', () => {
    delete process.env.npm_lifecycle_event;
    let stderr = '';
    const program = lockbenchCommand('scenario:concurrent', 'test').configureOutput({ writeErr: (text) => (stderr += text) });
    expect(() => program.parse(['extra'], { from: 'user' })).toThrow(CommanderError);
    expect(stderr).toContain('too many arguments');
    expect(stderr).not.toContain('--`');
  });

  it('pairs a switch with the next stray argument only when the flag takes a value', () => {
    expect(dashDashHint('x', [{ flag: '--no-observer', value: 'true', takesValue: false }, { flag: '--tail', value: 'true', takesValue: true }], ['2s'])).toBe(
      'flags go after `--`: npm run x -- --no-observer --tail 2s',
    );
  });

  it('through npm itself, for every run command: exit 2 before anything runs', () => {
    const typed: Record<string, string[]> = {
      'scenario:concurrent': ['--profiles', 'before'],
      'scenario:smoke': ['--profiles', 'staged'],
      'scenario:sweep': ['--batch-sizes', '5,25'],
      observe: ['--db', 'app.db'],
      target: ['--port', '0'],
      'check:k6': ['--k6', '/usr/bin/k6'],
      'k6:archive': ['--base-url', 'http://127.0.0.1:3000'],
      'bench:driver': ['--report-dir', 'out'],
    };
    for (const [script, args] of Object.entries(typed)) {
      const run = spawnSync('npm', ['run', '--silent', script, ...args], { cwd: PROJECT, encoding: 'utf8', env: { ...process.env, CI: 'true' } });
      expect(run.status, `${script}: ${run.stderr}`).toBe(2);
      expect(run.stderr, script).toContain(`flags go after \`--\`: npm run ${script} -- ${args.join(' ')}`);
    }
  }, 120_000);
});

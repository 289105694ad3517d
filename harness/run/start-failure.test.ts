/**
 * A described target that never becomes ready fails its start with what happened as data: a command
 * that does not exist, a server that exits during start-up. Real processes, no load.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TargetStartError } from './target-process/target-process.ts';
import type { StartPlan } from '../plan/launch-plan.ts';
import { startDescribedTarget } from './launch.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'lockbench-start-failure-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function plan(command: string, args: string[]): StartPlan {
  return {
    kind: 'start',
    command,
    args,
    cwd: dir,
    env: {},
    baseUrl: 'http://127.0.0.1:1',
    ready: { kind: 'line', pattern: /never printed/, stream: 'any' },
    readyTimeoutMs: 60_000,
    stopTimeoutMs: 5_000,
    database: join(dir, 'db'),
  };
}

async function startFailure(p: StartPlan): Promise<TargetStartError> {
  const error = await startDescribedTarget(p, { logFile: join(dir, 'target.log') }).then(
    () => null,
    (err: unknown) => err,
  );
  expect(error).toBeInstanceOf(TargetStartError);
  return error as TargetStartError;
}

describe('startDescribedTarget when the target cannot start', () => {
  it('rejects a command that does not exist as a spawn failure, instead of waiting for an exit that never comes', async () => {
    const error = await startFailure(plan(join(dir, 'no-such-python'), []));
    expect(error.failure).toMatchObject({ kind: 'spawn-failed', command: join(dir, 'no-such-python'), cwdMissing: false });
    expect(error.failure.kind === 'spawn-failed' && error.failure.error).toMatch(/ENOENT/);
  });

  it('rejects a server that exits during start-up with its exit code and its last lines', async () => {
    const script = 'for (let i = 1; i <= 30; i++) console.error(`trace line ${i}`); process.exit(4)';
    const error = await startFailure(plan(process.execPath, ['-e', script]));
    expect(error.failure).toEqual({ kind: 'exited', code: 4, signal: null });
    expect(error.outputTail.at(-1)).toBe('trace line 30');
    expect(error.outputTail).not.toContain('trace line 1');
  });
});

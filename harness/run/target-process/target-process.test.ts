import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTarget, TargetStartError } from './target-process.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'lockbench-target-process-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('startTarget', () => {
  it('waits for the ready line, serves on the announced url, logs to the file and stops with exit 0', async () => {
    const logFile = join(dir, 'target.log');
    const target = await startTarget({ args: ['--import-mode', 'staged'], dbPath: join(dir, 't.db'), logFile });
    try {
      const health = (await (await fetch(`${target.url}/api/health`)).json()) as { status: string; pid: number };
      expect(health.status).toBe('ok');
      expect(health.pid).toBe(target.pid);
    } finally {
      const exit = await target.stop();
      expect(exit.code).toBe(0);
    }
    expect(readFileSync(logFile, 'utf8')).toContain('"msg":"listening"');
  });

  it('fails with the target stderr when the target rejects its flags', async () => {
    const started = startTarget({ args: ['--import-mode', 'sideways'], dbPath: join(dir, 't.db') });
    await expect(started).rejects.toBeInstanceOf(TargetStartError);
    await expect(started).rejects.toThrow(/exited before it was ready \(code 2[\s\S]*import-mode/);
  });
});

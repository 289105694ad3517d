import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCommand } from '../harness/k6.ts';

const SCRIPT = fileURLToPath(new URL('./setup-k6.ts', import.meta.url));
/** A first build of k6 takes minutes; later runs find it at once. */
const PROVISION_TIMEOUT_MS = 15 * 60_000;

const setupK6 = (...args: string[]) => runCommand(process.execPath, ['--import', 'tsx', SCRIPT, ...args], { env: process.env });

describe('npm run setup:k6', () => {
  it('prints one JSON line naming the k6 to run, progress on stderr', async () => {
    const result = await setupK6();
    expect(result.exitCode, result.stderr).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const k6 = JSON.parse(lines[0]!) as { event: string; path: string; version: string; source: string };
    expect(k6).toMatchObject({ event: 'k6', source: expect.stringMatching(/^(path|tools)$/) });
    expect(k6.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(result.stderr).toMatch(/^setup:k6: /m);

    const version = await runCommand(k6.path, ['version'], { env: process.env });
    expect(version.stdout).toContain(`k6 v${k6.version}`);
  }, PROVISION_TIMEOUT_MS);

  it('rejects an unknown flag with exit 2', async () => {
    const result = await setupK6('--bogus');
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain("unknown option '--bogus'");
  });
});

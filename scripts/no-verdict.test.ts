/**
 * Exit 3 means no verdict, through the CLI as a user meets it: a target that cannot start and a k6 that
 * is not there each give one message, exit 3, no criteria table, no report, `latest` left alone and no
 * scratch folder left behind. Nothing is loaded.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCliScript, type CliRun } from '../harness/testing/cli.ts';

const CLI = fileURLToPath(new URL('./scenario-concurrent.ts', import.meta.url));
const FASTAPI = fileURLToPath(new URL('../examples/fastapi-sqlalchemy/target.json', import.meta.url));

let dir: string;
let scratch: string;
let reports: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'lockbench-no-verdict-'));
  scratch = join(dir, 'tmp');
  reports = join(dir, 'reports');
  mkdirSync(scratch);
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** A copy of the FastAPI example's description with `change` applied, written beside nothing it needs. */
function copiedDescription(change: (description: { start: Record<string, unknown> }) => void): string {
  const description = JSON.parse(readFileSync(FASTAPI, 'utf8')) as { start: Record<string, unknown> };
  change(description);
  const file = join(dir, 'target.json');
  writeFileSync(file, JSON.stringify(description));
  return file;
}

const count = (text: string, part: string) => text.split(part).length - 1;

function expectNoVerdict(run: CliRun): void {
  expect(run.code, run.stderr).toBe(3);
  expect(count(run.stderr, 'no verdict')).toBe(1);
  expect(run.stdout).not.toMatch(/criterion|FAIL|gate \(/);
  expect(existsSync(join(reports, 'latest'))).toBe(false);
  expect(readdirSync(scratch).filter((name) => name.startsWith('lockbench-run-'))).toEqual([]);
}

describe('scenario:concurrent without a verdict', () => {
  it('says once that the command does not exist', async () => {
    const target = copiedDescription((d) => (d.start.command = join(dir, 'no-such-python')));
    const run = await runCliScript(CLI, ['--target', target], reports, undefined, { TMPDIR: scratch });
    expectNoVerdict(run);
    expect(run.stderr).toContain(`could not be started: ${join(dir, 'no-such-python')}`);
  });

  it('says once that the server exited during start-up, with its exit code, its last lines and its log', async () => {
    // A copy away from the example's folder: "cwd" no longer holds the app.
    const target = copiedDescription(() => undefined);
    const run = await runCliScript(CLI, ['--target', target], reports, undefined, { TMPDIR: scratch });
    expectNoVerdict(run);
    expect(run.stderr).toMatch(/exited during start-up \(exit code 1\)/);
    expect(count(run.stderr, "No module named 'app'")).toBe(1);
    const log = /Its log: (.+)\n/.exec(run.stderr)?.[1];
    expect(log && readFileSync(log, 'utf8')).toContain("No module named 'app'");
  });

  it('gives the k6 install routes once when k6 is not there', async () => {
    const run = await runCliScript(CLI, ['--driver', 'k6'], reports, undefined, { TMPDIR: scratch, LOCKBENCH_K6: join(dir, 'no-such-k6') });
    expectNoVerdict(run);
    expect(count(run.stderr, 'grafana/setup-k6-action')).toBe(1);
    expect(existsSync(reports) ? readdirSync(reports) : []).toEqual([]);
  });
});

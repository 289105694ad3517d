import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { execArgvFor } from '../harness/observe/loader.ts';
import { useObserveFixture } from '../harness/observe/testing/fixture.ts';
import type { ObserveResult } from '../harness/observe/types.ts';

const CLI = fileURLToPath(new URL('./observe.ts', import.meta.url));

interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI; `onStderr` sees stderr as it arrives (to act once the observer says it is observing). */
function runCli(args: string[], onStderr?: (text: string) => void): Promise<CliRun> {
  const child = spawn(process.execPath, [...execArgvFor(CLI, []), CLI, ...args], { env: { ...process.env, CI: '1' } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    onStderr?.(stderr);
  });
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
}

describe('npm run observe', () => {
  const fixture = useObserveFixture();

  it('explains every flag in --help', async () => {
    const run = await runCli(['--help']);
    expect(run.code).toBe(0);
    for (const flag of ['--db', '--duration', '--interval-us', '--out', '--json']) expect(run.stdout).toContain(flag);
  });

  it('exits 2 on bad usage', async () => {
    expect((await runCli([])).code).toBe(2);
    expect((await runCli(['--db', fixture.file('x.db'), '--duration', 'soon'])).code).toBe(2);
  });

  it('exits 2 with a clear message for a database in rollback-journal mode', async () => {
    const dbPath = fixture.file('journal.db');
    await fixture.holder(dbPath, { journalMode: 'delete' });
    const run = await runCli(['--db', dbPath]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/rollback-journal mode.*journal_mode=WAL/s);
  });

  it('observes for --duration, prints the result as --json and writes it to --out', async () => {
    const dbPath = fixture.file('cli.db');
    const out = fixture.file('report');
    const holder = await fixture.holder(dbPath);
    let held: Promise<unknown> | undefined;
    const run = await runCli(['--db', dbPath, '--duration', '1.5s', '--out', out, '--json'], (stderr) => {
      if (!held && stderr.includes('observing')) {
        holder.send({ op: 'hold-write', ms: 100 });
        held = holder.next('holding').then(() => holder.next('released'));
      }
    });
    await held;
    expect(run.code).toBe(0);
    const printed = JSON.parse(run.stdout) as ObserveResult;
    expect(printed.writeSpans.map((s) => s.pid)).toEqual([holder.pid]);
    expect(printed.summary).toMatchObject({ spanCount: 1 });
    expect(printed.durationMs).toBeGreaterThan(1400);
    expect(run.stderr).toContain('write lock'); // the summary table goes to stderr with --json
    const written = JSON.parse(fs.readFileSync(`${out}/observe.json`, 'utf8')) as ObserveResult;
    expect(written.writeSpans).toEqual(printed.writeSpans);
  });
});

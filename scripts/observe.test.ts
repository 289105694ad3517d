import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { execArgvFor } from '../harness/shared/entry-points.ts';
import { useObserveFixture } from '../harness/run/observe/testing/fixture.ts';
import type { ObserveResult } from '../harness/model/lock-observation.ts';
import type { ForkingServerCommand, ForkingServerEvent } from '../harness/run/observe/testing/forking-server.ts';
import { startProtocolChild } from '../harness/run/observe/testing/holder-client.ts';

const CLI = fileURLToPath(new URL('./observe.ts', import.meta.url));
const FORKING_SERVER = fileURLToPath(new URL('../harness/run/observe/testing/forking-server.ts', import.meta.url));

interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the CLI; `onStderr` sees stderr as it arrives (to act once the observer says it is observing) and
 * the process (to signal it).
 */
function runCli(args: string[], onStderr?: (text: string, child: ChildProcess) => void): Promise<CliRun> {
  const child = spawn(process.execPath, [...execArgvFor(CLI, []), CLI, ...args], { env: { ...process.env, CI: '1' } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    onStderr?.(stderr, child);
  });
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
}

describe('npm run observe', () => {
  const fixture = useObserveFixture();

  it('explains every flag and every exit code in --help', async () => {
    const run = await runCli(['--help']);
    expect(run.code).toBe(0);
    for (const flag of ['--db', '--wait', '--duration', '--interval-us', '--pid', '--out', '--json']) expect(run.stdout).toContain(flag);
    for (const code of [0, 1, 2, 3, 4, 130]) expect(run.stdout).toMatch(new RegExp(`^  ${code} +\\S`, 'm'));
  });

  it('exits 2 on bad usage', async () => {
    expect((await runCli([])).code).toBe(2);
    expect((await runCli(['--db', fixture.file('x.db'), '--duration', 'soon'])).code).toBe(2);
  });

  it('observes a database in rollback-journal mode on the file itself, and says so', async () => {
    const dbPath = fixture.file('journal.db');
    const holder = await fixture.holder(dbPath, { journalMode: 'delete' });
    let done: Promise<unknown> | undefined;
    const run = await runCli(['--db', dbPath, '--json'], (stderr, cli) => {
      if (done || !stderr.includes('observing')) return;
      done = (async () => {
        holder.send({ op: 'hold-write', ms: 50 });
        await holder.next('holding');
        await holder.next('released');
        cli.kill('SIGINT');
      })();
    });
    await done;
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('journal mode rollback journal');
    const result = JSON.parse(run.stdout) as ObserveResult;
    expect(result.summary.journalMode).toBe('rollback');
    expect(result.writeSpans.filter((s) => s.pid === holder.pid && s.endMs - s.startMs >= 40)).toHaveLength(1);
  });

  it('with --pid names the app as that process and its descendants (a forking server\'s workers), every other holder as other', async () => {
    const dbPath = fixture.file('app.db');
    const server = await startProtocolChild<ForkingServerCommand, ForkingServerEvent>(FORKING_SERVER, [dbPath, '2', 'delete']);
    try {
      const ready = await server.next('ready');
      const outsider = await fixture.holder(dbPath, { journalMode: 'delete' });
      let done: Promise<unknown> | undefined;
      const run = await runCli(['--db', dbPath, '--pid', String(ready.pid)], (stderr, cli) => {
        if (done || !stderr.includes('observing')) return;
        done = (async () => {
          await server.request({ op: 'hold', worker: 0, ms: 30 }, 'released');
          await server.request({ op: 'hold', worker: 1, ms: 30 }, 'released');
          outsider.send({ op: 'hold-write', ms: 30 });
          await outsider.next('holding');
          await outsider.next('released');
          cli.kill('SIGINT');
        })();
      });
      await done;
      expect(run.code).toBe(0);
      expect(run.stdout).toContain(`app (pid ${ready.pid} and its descendants): 2 holds by 2 process(es)`);
      for (const pid of ready.workers) expect(run.stdout).toMatch(new RegExp(`node worker ${pid} \\(app\\) +1 holds`));
      expect(run.stdout).toMatch(new RegExp(`node ${outsider.pid} \\(other\\) +1 holds`));
    } finally {
      await server.close();
    }
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

  it('waits with --wait for a database that does not exist yet, and reports the time with no connection apart', async () => {
    const dbPath = fixture.file('later.db');
    const holder = await fixture.holderProcess();
    let done: Promise<unknown> | undefined;
    const run = await runCli(['--db', dbPath, '--wait', '--json'], (stderr, cli) => {
      if (done || !stderr.includes('observing')) return;
      done = (async () => {
        await holder.request({ op: 'open', dbPath, journalMode: 'wal' }, 'opened');
        holder.send({ op: 'hold-write', ms: 30 });
        await holder.next('holding');
        await holder.next('released');
        await holder.request({ op: 'close' }, 'closed');
        cli.kill('SIGINT'); // Ctrl-C: stop and report
      })();
    });
    await done;
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as ObserveResult;
    expect(result.writeSpans.filter((s) => s.pid === holder.pid && s.endMs - s.startMs >= 20)).toHaveLength(1);
    expect(result.noConnectionMs).toBeGreaterThan(0);
    expect(result.noConnectionSpans?.length).toBeGreaterThanOrEqual(1); // before the connection (after it, if seen before Ctrl-C)
    expect(run.stderr).toMatch(/no connection +\d+ ms in \d+ stretch/);
  });

  it('takes a Ctrl-C delivered twice at once (to npm and to it) as one: stops and prints the summary', async () => {
    const dbPath = fixture.file('twice.db');
    await fixture.holder(dbPath);
    let signalled = false;
    const run = await runCli(['--db', dbPath], (stderr, cli) => {
      if (signalled || !stderr.includes('observing')) return;
      signalled = true;
      cli.kill('SIGINT');
      cli.kill('SIGINT');
    });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('write lock');
  });
});

/** Every failure is one line on stderr starting "observe:", never a stack trace. */
function expectOneLineError(run: CliRun, message: RegExp): void {
  expect(run.stderr).toMatch(message);
  expect(run.stderr).not.toMatch(/^\s+at /m);
  expect(run.stderr.trim().split('\n')).toHaveLength(1);
}

describe('npm run observe, on bad input', () => {
  const fixture = useObserveFixture();

  it('exits 2 with a message for a --db that is a directory or lies under a file', async () => {
    const run = await runCli(['--db', fixture.file('')]);
    expect(run.code).toBe(2);
    expectOneLineError(run, /is a directory, not a database file/);
    const file = fixture.file('plain');
    fs.writeFileSync(file, '');
    const under = await runCli(['--db', `${file}/x.db`, '--wait']);
    expect(under.code).toBe(2);
    expectOneLineError(under, /ENOTDIR: a part of the path is a file/);
  });

  // The database is observable and --duration long: only a check made before observing ends these quickly.
  it.each([
    ['under a regular file', (file: string) => `${file}/report`, /plain exists and is not a folder/],
    ['under /proc', () => '/proc/lockbench-report', /\/proc is a kernel pseudo-filesystem/],
    ['under /sys', () => '/sys/kernel/lockbench-report', /\/sys is a kernel pseudo-filesystem/],
  ])('exits 2 before observing for --out %s', async (_, outOf, message) => {
    const dbPath = fixture.file('watched.db');
    await fixture.holder(dbPath);
    const file = fixture.file('plain');
    fs.writeFileSync(file, '');
    const run = await runCli(['--db', dbPath, '--duration', '10m', '--out', outOf(file)]);
    expect(run.code).toBe(2);
    expectOneLineError(run, message);
    expect(run.stdout).toBe('');
  });

  it('keeps the result when --out cannot be written after observing: summary printed, JSON in a named temporary file, exit 4', async () => {
    const dbPath = fixture.file('kept.db');
    await fixture.holder(dbPath);
    const out = fixture.file('report');
    fs.mkdirSync(`${out}/observe.json`, { recursive: true }); // a folder where the file must go: the write fails
    const run = await runCli(['--db', dbPath, '--duration', '300ms', '--out', out]);
    expect(run.code).toBe(4);
    expect(run.stdout).toContain('write lock'); // the summary
    const fallback = /wrote the result to (\S+) instead/.exec(run.stderr)?.[1];
    expect(fallback, run.stderr).toBeDefined();
    try {
      expect((JSON.parse(fs.readFileSync(fallback!, 'utf8')) as ObserveResult).samples).toBeGreaterThan(0);
    } finally {
      fs.rmSync(fallback!, { force: true });
    }
  });
});

import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTarget } from '../harness/run/target-process/target-process.ts';
import { countRows, expectOneLine, runTarget } from '../target/testing/support.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'lockbench-cli-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('npm run target: start-up failures', () => {
  let holder: Server | undefined;
  afterEach(async () => {
    holder?.close();
    holder = undefined;
  });

  it('a port already in use: one line naming the port and the fix, exit 2, and no database file created', async () => {
    holder = createServer();
    holder.listen(0, '127.0.0.1');
    await once(holder, 'listening');
    const port = (holder.address() as { port: number }).port;
    const { code, stdout, stderr } = await runTarget(['--port', String(port), '--pool-size', '1', '--db', join(dir, 'target.db')]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expectOneLine(stderr, new RegExp(`port ${port} on 127\\.0\\.0\\.1 is already in use; .*--port 0`));
    expect(readdirSync(dir)).toEqual([]);
  });

  it.each([
    ['a directory', () => dir, /is a directory; expected the path of a database file/],
    ['in a missing folder', () => join(dir, 'missing', 'target.db'), /the folder .*missing of the database .* does not exist; create it/],
    ['under a file', () => (writeFileSync(join(dir, 'file'), 'x'), join(dir, 'file', 'target.db')), /is not a folder/],
  ])('--db %s: one line with the path, exit 2', async (_, path, message) => {
    const dbPath = path();
    const { code, stderr } = await runTarget(['--port', '0', '--pool-size', '1', '--db', dbPath]);
    expect(code).toBe(2);
    expectOneLine(stderr, message);
    expect(stderr).toContain(dbPath);
  });

  it('--db a file that is not SQLite: one line, exit 2, the file left as it was', async () => {
    const dbPath = join(dir, 'notes.txt');
    writeFileSync(dbPath, 'not a database, but a fairly long text file that SQLite will not recognise as one\n'.repeat(20));
    const { code, stderr } = await runTarget(['--port', '0', '--pool-size', '1', '--db', dbPath]);
    expect(code).toBe(2);
    expectOneLine(stderr, /cannot use the database .*notes\.txt: it cannot be opened, or is not an SQLite database \(SQLITE_NOTADB/);
    expect(readdirSync(dir)).toEqual(['notes.txt']);
  });

  it.each([
    [['--port', '0x10'], {}, /--port \(PORT\) must be an integer from 0 to 65535, got "0x10"/],
    [['--port', '70000'], {}, /--port \(PORT\) must be an integer from 0 to 65535/],
    [[], { PORT: 'abc' }, /--port \(PORT\) must be an integer/],
    [['--batch-size', '1.5'], {}, /--batch-size \(IMPORT_BATCH_SIZE\) must be an integer >= 1, got "1.5"/],
    [['--max-body-bytes', '0'], {}, /--max-body-bytes \(MAX_BODY_BYTES\) must be an integer >= 1/],
    [['--max-import-entries', '1e3'], {}, /--max-import-entries \(MAX_IMPORT_ENTRIES\) must be an integer >= 1/],
    [['--import-mode', 'fast'], {}, /must be one of monolithic, batched, staged/],
    [['--bogus'], {}, /unknown option '--bogus'/],
  ] as const)('bad flag or variable %j %j: exit 2 with what was expected, nothing created', async (args, env, message) => {
    const { code, stderr } = await runTarget([...args, '--db', join(dir, 'target.db')], env);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('--help documents the exit codes', async () => {
    const { code, stdout } = await runTarget(['--help']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/Exit codes:\n\s+0 .*SIGINT or SIGTERM[\s\S]*\n\s+2 .*port already in use[\s\S]*\n\s+3 /);
    expect(stdout).toMatch(/--max-body-bytes <n>/);
    expect(stdout).toMatch(/--max-import-entries <n>/);
  });
});

describe('npm run target: shutdown', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)('on %s closes every connection, so SQLite checkpoints and removes -wal and -shm; exit 0', async (signal) => {
    const dbPath = join(dir, 'target.db');
    mkdirSync(dir, { recursive: true });
    const target = await startTarget({ dbPath, args: ['--pool-size', '3', '--log-level', 'warn'] });
    try {
      for (let id = 1; id <= 5; id++) {
        const res = await fetch(`${target.url}/api/marketplace/catalog/${id}`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: '{"status":"draft"}' });
        expect(res.status).toBe(200);
      }
      expect(existsSync(`${dbPath}-wal`)).toBe(true);
      expect(existsSync(`${dbPath}-shm`)).toBe(true);
      process.kill(target.pid, signal);
    } finally {
      const exit = await target.stop();
      expect(exit).toEqual({ code: 0, signal: null });
    }
    expect(readdirSync(dir)).toEqual(['target.db']);
    expect(countRows(dbPath, "SELECT count(*) AS n FROM catalog_entries WHERE status = 'draft'")).toBe(5);
  });
});

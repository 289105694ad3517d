import fs from 'node:fs';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { startObserver } from './observer.ts';
import { useObserveFixture } from './testing/fixture.ts';

/** startObserver's rejection, for matching on its code and message. */
async function rejection(dbPath: string, waitForConnection = false): Promise<unknown> {
  return startObserver({ dbPath, waitForConnection }).then(
    async (handle) => {
      await handle.stop();
      return undefined;
    },
    (err: unknown) => err,
  );
}

describe('a database the observer cannot watch', () => {
  const fixture = useObserveFixture();

  it('whose header names neither a rollback journal nor WAL is refused with UNKNOWN_JOURNAL_MODE', async () => {
    const dbPath = fixture.file('odd.db');
    const db = new Database(dbPath);
    db.exec('CREATE TABLE t (x)');
    db.close();
    const file = fs.readFileSync(dbPath);
    file[18] = 3; // a file format version SQLite has never written
    file[19] = 3;
    fs.writeFileSync(dbPath, file);
    expect(await rejection(dbPath)).toMatchObject({ code: 'UNKNOWN_JOURNAL_MODE', message: expect.stringContaining('3/3') });
  });

  it('in WAL mode with no connection open (no -shm) is refused with SHM_MISSING', async () => {
    const dbPath = fixture.file('closed.db');
    const db = new Database(dbPath);
    db.pragma('journal_mode = WAL');
    db.exec('CREATE TABLE t (x)');
    db.close(); // the last connection removes <db>-shm
    expect(fs.existsSync(`${dbPath}-shm`)).toBe(false);
    expect(await rejection(dbPath)).toMatchObject({ code: 'SHM_MISSING', message: expect.stringContaining('-shm') });
  });

  it('that does not exist, or is not SQLite, is refused with DB_MISSING or NOT_SQLITE', async () => {
    expect(await rejection(fixture.file('nothing.db'))).toMatchObject({ code: 'DB_MISSING' });
    const text = fixture.file('text.db');
    fs.writeFileSync(text, 'not a database at all, but long enough to have a header of one hundred bytes..............................');
    expect(await rejection(text)).toMatchObject({ code: 'NOT_SQLITE' });
  });

  it('that waiting cannot fix is refused even with waitForConnection: a directory, a file that is not SQLite', async () => {
    expect(await rejection(fixture.file(''), true)).toMatchObject({ code: 'DB_NOT_A_FILE', message: expect.stringContaining('is a directory') });
    const text = fixture.file('text.db');
    fs.writeFileSync(text, 'not a database');
    expect(await rejection(text, true)).toMatchObject({ code: 'NOT_SQLITE' });
  });
});

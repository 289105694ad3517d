/** The tables, the seed, and the journal mode: set up once by the primary before it forks any worker. */
import { withOwnConnection } from './db.mjs';

/** Seeded sources src-1 .. src-N and catalog entries 1 .. N spread over them. */
export const SEED_SOURCES = 8;
export const SEED_CATALOG_ENTRIES = 400;

const TABLES = `
CREATE TABLE IF NOT EXISTS sources (id TEXT PRIMARY KEY, name TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS artifacts (
  id INTEGER PRIMARY KEY, source_id TEXT NOT NULL REFERENCES sources(id), external_id TEXT NOT NULL,
  parent_id INTEGER REFERENCES artifacts(id), name TEXT NOT NULL, kind TEXT NOT NULL, updated_ms INTEGER NOT NULL,
  UNIQUE (source_id, external_id));
CREATE TABLE IF NOT EXISTS catalog_entries (
  id INTEGER PRIMARY KEY, source_id TEXT NOT NULL REFERENCES sources(id), title TEXT NOT NULL, status TEXT NOT NULL,
  version INTEGER NOT NULL DEFAULT 0, updated_ms INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS workflow_executions (id TEXT PRIMARY KEY, workflow_id TEXT NOT NULL, status TEXT NOT NULL, created_ms INTEGER NOT NULL);
`;

export async function prepareDatabase(config) {
  await withOwnConnection(config, async (db) => {
    // The journal mode is a setting of the file: set once here, as the app's own start-up would.
    await db.get(`PRAGMA journal_mode = ${config.journalMode === 'wal' ? 'WAL' : 'DELETE'}`);
    await db.exec(TABLES);
    if (await db.get('SELECT 1 FROM sources LIMIT 1')) return;
    await db.exec('BEGIN');
    for (let s = 1; s <= SEED_SOURCES; s++) await db.run('INSERT INTO sources (id, name) VALUES (?, ?)', [`src-${s}`, `Source ${s}`]);
    for (let c = 1; c <= SEED_CATALOG_ENTRIES; c++) {
      await db.run('INSERT INTO catalog_entries (id, source_id, title, status, updated_ms) VALUES (?, ?, ?, ?, 0)', [c, `src-${((c - 1) % SEED_SOURCES) + 1}`, `Catalog entry ${c}`, 'published']);
    }
    await db.exec('COMMIT');
  });
}

/**
 * The target's schema: the tables of the investigated service that take part in the import flow and
 * in the writes that contend with it (catalog updates, workflow executions).
 */
export const SCHEMA_SQL = `
CREATE TABLE IF NOT EXISTS marketplace_sources (
  id          TEXT PRIMARY KEY,
  name        TEXT NOT NULL,
  url         TEXT NOT NULL,
  created_at  INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS catalog_entries (
  id          INTEGER PRIMARY KEY,
  source_id   TEXT NOT NULL REFERENCES marketplace_sources(id),
  external_id TEXT NOT NULL,
  title       TEXT NOT NULL,
  status      TEXT NOT NULL,
  version     INTEGER NOT NULL DEFAULT 0,
  updated_at  INTEGER NOT NULL,
  UNIQUE (source_id, external_id)
);

CREATE TABLE IF NOT EXISTS artifacts (
  id          INTEGER PRIMARY KEY,
  source_id   TEXT NOT NULL REFERENCES marketplace_sources(id),
  external_id TEXT NOT NULL,
  name        TEXT NOT NULL,
  type        TEXT NOT NULL,
  import_id   TEXT,
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL,
  UNIQUE (source_id, external_id)
);

CREATE TABLE IF NOT EXISTS collection_artifacts (
  id          INTEGER PRIMARY KEY,
  artifact_id INTEGER NOT NULL UNIQUE REFERENCES artifacts(id),
  collection  TEXT NOT NULL,
  added_at    INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS composite_children (
  id                 INTEGER PRIMARY KEY,
  parent_artifact_id INTEGER NOT NULL REFERENCES artifacts(id),
  external_id        TEXT NOT NULL,
  name               TEXT NOT NULL,
  type               TEXT NOT NULL,
  UNIQUE (parent_artifact_id, external_id)
);

CREATE TABLE IF NOT EXISTS workflows (
  id    TEXT PRIMARY KEY,
  name  TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS workflow_stages (
  id          INTEGER PRIMARY KEY,
  workflow_id TEXT NOT NULL REFERENCES workflows(id),
  idx         INTEGER NOT NULL,
  name        TEXT NOT NULL,
  UNIQUE (workflow_id, idx)
);

CREATE TABLE IF NOT EXISTS workflow_executions (
  id          TEXT PRIMARY KEY,
  workflow_id TEXT NOT NULL REFERENCES workflows(id),
  status      TEXT NOT NULL,
  origin      TEXT NOT NULL,
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS execution_steps (
  execution_id TEXT NOT NULL REFERENCES workflow_executions(id),
  idx          INTEGER NOT NULL,
  stage_id     INTEGER REFERENCES workflow_stages(id),
  status       TEXT NOT NULL,
  updated_at   INTEGER NOT NULL,
  PRIMARY KEY (execution_id, idx)
);

CREATE TABLE IF NOT EXISTS import_jobs (
  id               TEXT PRIMARY KEY,
  source_id        TEXT NOT NULL REFERENCES marketplace_sources(id),
  mode             TEXT NOT NULL,
  batch_size       INTEGER NOT NULL,
  status           TEXT NOT NULL,
  requested        INTEGER NOT NULL,
  imported         INTEGER NOT NULL DEFAULT 0,
  failed           INTEGER NOT NULL DEFAULT 0,
  started_at       INTEGER NOT NULL,
  finished_at      INTEGER,
  duration_ms      REAL,
  max_lock_hold_ms REAL
);

CREATE TABLE IF NOT EXISTS import_batches (
  import_id     TEXT NOT NULL REFERENCES import_jobs(id),
  idx           INTEGER NOT NULL,
  size          INTEGER NOT NULL,
  status        TEXT NOT NULL,
  lock_wait_ms  REAL,
  lock_hold_ms  REAL,
  error_code    TEXT,
  error_message TEXT,
  PRIMARY KEY (import_id, idx)
);
`;

/** Seeded sources: `src-1` .. `src-N`. */
export const SEED_SOURCE_COUNT = 8;
/** Seeded catalog entries, ids 1 .. N, spread over the sources. */
export const SEED_CATALOG_COUNT = 400;
/** Seeded workflows: `wf-1` .. `wf-N`, each with 3 to 5 stages. */
export const SEED_WORKFLOW_COUNT = 10;

/** Creates the schema and the seed rows in one transaction; idempotent on an already seeded file. */
export function seedSql(now: number): string {
  const rows: string[] = [];
  for (let s = 1; s <= SEED_SOURCE_COUNT; s++) {
    rows.push(
      `INSERT OR IGNORE INTO marketplace_sources (id, name, url, created_at) VALUES ('src-${s}', 'Source ${s}', 'https://marketplace.example/src-${s}', ${now});`,
    );
  }
  for (let c = 1; c <= SEED_CATALOG_COUNT; c++) {
    const source = ((c - 1) % SEED_SOURCE_COUNT) + 1;
    rows.push(
      `INSERT OR IGNORE INTO catalog_entries (id, source_id, external_id, title, status, updated_at) VALUES (${c}, 'src-${source}', 'cat-${c}', 'Catalog entry ${c}', 'published', ${now});`,
    );
  }
  for (let w = 1; w <= SEED_WORKFLOW_COUNT; w++) {
    rows.push(`INSERT OR IGNORE INTO workflows (id, name) VALUES ('wf-${w}', 'Workflow ${w}');`);
    const stages = 3 + (w % 3);
    for (let i = 0; i < stages; i++) {
      rows.push(
        `INSERT OR IGNORE INTO workflow_stages (workflow_id, idx, name) VALUES ('wf-${w}', ${i}, 'stage ${i}');`,
      );
    }
  }
  return rows.join('\n');
}

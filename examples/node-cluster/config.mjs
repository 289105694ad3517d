/**
 * Settings from the environment, read once at start-up by the primary and by every worker; a bad value
 * stops the process with the variable's name.
 */

export const TRANSACTION_MODES = ['deferred', 'immediate'];
export const JOURNAL_MODES = ['rollback', 'wal'];

/** Worker processes the primary forks. */
export const DEFAULT_WORKERS = 3;
/** How long a connection waits for a lock before SQLITE_BUSY, in ms (node-sqlite3's busyTimeout; it sets none by itself). */
export const DEFAULT_BUSY_TIMEOUT_MS = 5000;
/**
 * Connections per worker process. libuv's thread pool size (4), on which node-sqlite3 runs every
 * statement: more connections than threads can starve a lock holder of the thread it needs to COMMIT.
 */
export const DEFAULT_POOL_SIZE = 4;
/** Simulated per-artifact work (parsing, I/O) inside the import's transaction, in ms. */
export const DEFAULT_ARTIFACT_WORK_MS = 20;
/** Work between reading a catalog entry and writing it back, in the same transaction, in ms. */
export const DEFAULT_CATALOG_WORK_MS = 2;

class ConfigError extends Error {}

function integer(env, name, fallback, minimum) {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < minimum) throw new ConfigError(`${name} must be an integer >= ${minimum}, got ${JSON.stringify(raw)}`);
  return value;
}

function choice(env, name, fallback, choices) {
  const value = env[name] ?? fallback;
  if (!choices.includes(value)) throw new ConfigError(`${name} must be one of ${choices.join(', ')}, got ${JSON.stringify(value)}`);
  return value;
}

/**
 * @returns {{databasePath: string, transactionMode: 'deferred' | 'immediate', journalMode: 'rollback' | 'wal',
 *   busyTimeoutMs: number, artifactWorkMs: number, catalogWorkMs: number, workers: number, poolSize: number}}
 */
export function loadConfig(env = process.env) {
  return {
    databasePath: env.DATABASE_PATH ?? 'marketplace.db',
    // deferred: BEGIN, what node-sqlite3 users write and what ORMs on it (knex, Sequelize) send by default.
    transactionMode: choice(env, 'TRANSACTION_MODE', 'deferred', TRANSACTION_MODES),
    // rollback: SQLite's default rollback journal (journal_mode DELETE), as a new file has it.
    journalMode: choice(env, 'JOURNAL_MODE', 'rollback', JOURNAL_MODES),
    busyTimeoutMs: integer(env, 'BUSY_TIMEOUT_MS', DEFAULT_BUSY_TIMEOUT_MS, 0),
    artifactWorkMs: integer(env, 'ARTIFACT_WORK_MS', DEFAULT_ARTIFACT_WORK_MS, 0),
    catalogWorkMs: integer(env, 'CATALOG_WORK_MS', DEFAULT_CATALOG_WORK_MS, 0),
    workers: integer(env, 'WORKERS', DEFAULT_WORKERS, 1),
    poolSize: integer(env, 'POOL_SIZE', DEFAULT_POOL_SIZE, 1),
  };
}

/** The configuration, or the process exits 2 naming the variable that is wrong. */
export function configOrExit(env = process.env) {
  try {
    return loadConfig(env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    console.error(err.message);
    process.exit(2);
  }
}

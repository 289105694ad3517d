/**
 * node-sqlite3 with promises, and a small pool of connections per worker process: a request takes a
 * connection of its own for its transaction, so requests in one worker contend through SQLite's locks
 * exactly as requests in different workers do (one shared connection would interleave their transactions).
 *
 * Why a bounded pool and not a connection per request: node-sqlite3 runs every statement on libuv's thread
 * pool (4 threads unless UV_THREADPOOL_SIZE says otherwise), and a statement waiting out the busy timeout
 * occupies its thread for that long. With more connections than threads, waiters can hold every thread
 * while the transaction they wait for cannot get one to COMMIT; its lock is then held until the waiters
 * give up, and new waiters keep arriving. Requests beyond the pool wait for a connection in the event loop.
 */
import sqlite3 from 'sqlite3';

/** @typedef {{ run(sql: string, params?: unknown): Promise<{changes: number, lastID: number}>, get(sql: string, params?: unknown): Promise<any>, all(sql: string, params?: unknown): Promise<any[]>, exec(sql: string): Promise<void>, close(): Promise<void> }} Connection */

/** @returns {Promise<Connection>} */
function connect(path, { busyTimeoutMs }) {
  return new Promise((resolve, reject) => {
    const db = new sqlite3.Database(path, sqlite3.OPEN_READWRITE | sqlite3.OPEN_CREATE, (err) => {
      if (err) return reject(err);
      db.configure('busyTimeout', busyTimeoutMs);
      resolve(wrap(db));
    });
  });
}

function wrap(db) {
  const call = (method, sql, params) =>
    new Promise((resolve, reject) =>
      db[method](sql, params ?? [], function done(err, row) {
        if (err) return reject(err);
        // run() reports through `this`; get() and all() through the row argument.
        resolve(method === 'run' ? { changes: this.changes, lastID: this.lastID } : row);
      }),
    );
  return {
    run: (sql, params) => call('run', sql, params),
    get: (sql, params) => call('get', sql, params),
    all: (sql, params) => call('all', sql, params),
    exec: (sql) => new Promise((resolve, reject) => db.exec(sql, (err) => (err ? reject(err) : resolve()))),
    close: () => new Promise((resolve, reject) => db.close((err) => (err ? reject(err) : resolve()))),
  };
}

/**
 * At most `size` open connections; `acquire` resolves with one as soon as one is free (first come, first
 * served) and `release` gives it back. Connections are opened when first needed and kept.
 */
export function createPool(config) {
  const idle = [];
  const waiting = [];
  let open = 0;
  return {
    async acquire() {
      if (idle.length > 0) return idle.pop();
      if (open < config.poolSize) {
        open += 1;
        try {
          return await connect(config.databasePath, config);
        } catch (err) {
          open -= 1;
          throw err;
        }
      }
      return new Promise((resolve) => waiting.push(resolve));
    },
    release(connection) {
      const next = waiting.shift();
      if (next) next(connection);
      else idle.push(connection);
    },
    async close() {
      await Promise.all(idle.splice(0).map((c) => c.close()));
    },
  };
}

const BEGIN = { deferred: 'BEGIN', immediate: 'BEGIN IMMEDIATE' };

/**
 * Runs `work(connection)` in one transaction on a pooled connection: BEGIN (deferred: the first read takes
 * a shared lock, the first write asks for the write lock) or BEGIN IMMEDIATE (the write lock first).
 */
export function inTransaction(pool, transactionMode, work) {
  return withConnection(pool, async (connection) => {
    await connection.exec(BEGIN[transactionMode]);
    try {
      const result = await work(connection);
      await connection.exec('COMMIT');
      return result;
    } catch (err) {
      // A failed COMMIT (SQLITE_BUSY) leaves the transaction open: it must not go back to the pool open.
      await connection.exec('ROLLBACK').catch(() => undefined);
      throw err;
    }
  });
}

/** Runs `work(connection)` on a pooled connection, outside any explicit transaction. */
export async function withConnection(pool, work) {
  const connection = await pool.acquire();
  try {
    return await work(connection);
  } finally {
    pool.release(connection);
  }
}

/** Runs `work(connection)` on a connection opened for it alone, then closed: for start-up work. */
export async function withOwnConnection(config, work) {
  const connection = await connect(config.databasePath, config);
  try {
    return await work(connection);
  } finally {
    await connection.close();
  }
}

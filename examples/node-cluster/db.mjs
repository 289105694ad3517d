/**
 * node-sqlite3 with promises: open a connection, run statements, run a function in a transaction. Each
 * request opens its own connection (about 0.2 ms), so requests in one worker process contend through
 * SQLite's locks exactly as requests in different workers do; one shared connection per process would
 * interleave their transactions on it.
 */
import sqlite3 from 'sqlite3';

/** @typedef {{ run(sql: string, params?: unknown): Promise<{changes: number, lastID: number}>, get(sql: string, params?: unknown): Promise<any>, all(sql: string, params?: unknown): Promise<any[]>, exec(sql: string): Promise<void>, close(): Promise<void> }} Connection */

/** @returns {Promise<Connection>} */
export function connect(path, { busyTimeoutMs }) {
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

const BEGIN = { deferred: 'BEGIN', immediate: 'BEGIN IMMEDIATE' };

/**
 * Runs `work(connection)` in one transaction on a connection of its own: BEGIN (deferred: the first read
 * takes a shared lock, the first write asks for the write lock) or BEGIN IMMEDIATE (the write lock first).
 */
export async function inTransaction(config, work) {
  const connection = await connect(config.databasePath, config);
  try {
    await connection.exec(BEGIN[config.transactionMode]);
    try {
      const result = await work(connection);
      await connection.exec('COMMIT');
      return result;
    } catch (err) {
      await connection.exec('ROLLBACK').catch(() => undefined);
      throw err;
    }
  } finally {
    await connection.close();
  }
}

/** Runs `work(connection)` on a connection of its own, outside any explicit transaction. */
export async function withConnection(config, work) {
  const connection = await connect(config.databasePath, config);
  try {
    return await work(connection);
  } finally {
    await connection.close();
  }
}

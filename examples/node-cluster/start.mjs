/**
 * A node:cluster service: the primary creates and seeds the database, sets its journal mode, then forks
 * WORKERS worker processes that share one listening port and the one SQLite file. The primary never
 * opens the database again; a worker that dies is replaced.
 *
 *     DATABASE_PATH=/tmp/marketplace.db node start.mjs --port 8000
 */
import cluster from 'node:cluster';
import http from 'node:http';
import { parseArgs } from 'node:util';
import { createApp } from './app.mjs';
import { configOrExit } from './config.mjs';
import { createPool } from './db.mjs';
import { prepareDatabase } from './schema.mjs';

/** How long the primary lets workers finish their requests on SIGTERM before it kills them, in ms. */
const STOP_GRACE_MS = 5000;

const config = configOrExit();

async function primary() {
  const { values } = parseArgs({ options: { host: { type: 'string', default: '127.0.0.1' }, port: { type: 'string' } } });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`--port must be a port number from 0 to 65535, got ${JSON.stringify(values.port)}`);
    process.exit(2);
  }
  await prepareDatabase(config);
  cluster.setupPrimary({ args: ['--host', values.host, '--port', String(port)] });
  let stopping = false;
  const fork = () => cluster.fork();
  cluster.on('exit', (worker, code, signal) => {
    // A worker stopped on purpose (the whole group was sent SIGTERM) is not replaced; a crashed one is.
    if (stopping || code === 0) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
      return;
    }
    console.error(`worker ${worker.process.pid} exited (${signal ?? code}); starting another`);
    fork();
  });
  cluster.on('listening', (worker, address) => console.log(`worker ${worker.process.pid} listening on ${values.host}:${address.port}`));
  for (let i = 0; i < config.workers; i++) fork();
  const stop = () => {
    if (stopping) return;
    stopping = true;
    for (const worker of Object.values(cluster.workers ?? {})) worker?.disconnect();
    setTimeout(() => {
      for (const worker of Object.values(cluster.workers ?? {})) worker?.kill('SIGKILL');
      process.exit(0);
    }, STOP_GRACE_MS).unref();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

function worker() {
  const { values } = parseArgs({ options: { host: { type: 'string' }, port: { type: 'string' } } });
  const pool = createPool(config);
  const server = http.createServer(createApp(config, pool)).listen(Number(values.port), values.host);
  const stop = () => {
    server.close(() => pool.close().finally(() => process.exit(0)));
    setTimeout(() => process.exit(0), STOP_GRACE_MS).unref();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

if (cluster.isPrimary) await primary();
else worker();

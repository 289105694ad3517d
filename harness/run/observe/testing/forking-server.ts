/**
 * A forking server for the process-tree tests, shaped like gunicorn or node cluster: a master process
 * that forks worker processes, each with its own SQLite connection, and forks a new worker when one
 * exits. The master never opens the database.
 *
 * Master protocol: one JSON command per line on stdin, one JSON event per line on stdout, each command
 * answered once its effect is in place; stdin closed stops the workers and the master.
 *   {"op":"hold","worker":i,"ms":n}  -> {"event":"released","worker":i,"pid",...times}   worker i holds the write lock n ms
 *   {"op":"replace","worker":i}      -> {"event":"replaced","worker":i,"oldPid","newPid"} worker i exits; a new one takes its place
 * Started as `forking-server.ts <dbPath> <workers> <journalMode>`; says {"event":"ready","pid","workers":[pids]} first.
 */
import { fork, type ChildProcess } from 'node:child_process';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { epochNowMs } from '../../../shared/clock.ts';

export type ForkingServerCommand = { op: 'hold'; worker: number; ms: number } | { op: 'replace'; worker: number };

export type ForkingServerEvent =
  | { event: 'ready'; pid: number; workers: number[] }
  | { event: 'released'; worker: number; pid: number; heldAtMs: number; committedAtMs: number }
  | { event: 'replaced'; worker: number; oldPid: number; newPid: number }
  | { event: 'failed'; message: string };

type WorkerMessage = { event: 'opened' } | { event: 'released'; heldAtMs: number; committedAtMs: number };

const emit = (event: ForkingServerEvent) => process.stdout.write(`${JSON.stringify(event)}\n`);

function runWorker(dbPath: string, journalMode: string): void {
  const db = new Database(dbPath, { timeout: 10_000 });
  db.pragma(`journal_mode = ${journalMode}`);
  db.exec('CREATE TABLE IF NOT EXISTS served (id INTEGER PRIMARY KEY, worker INTEGER)');
  process.on('message', (message: { op: 'hold'; ms: number } | { op: 'exit' }) => {
    if (message.op === 'exit') {
      db.close();
      process.exit(0);
    }
    db.exec('BEGIN IMMEDIATE');
    const heldAtMs = epochNowMs();
    db.prepare('INSERT INTO served (worker) VALUES (?)').run(process.pid);
    setTimeout(() => {
      const committedAtMs = epochNowMs();
      db.exec('COMMIT');
      process.send?.({ event: 'released', heldAtMs, committedAtMs } satisfies WorkerMessage);
    }, message.ms);
  });
  process.send?.({ event: 'opened' } satisfies WorkerMessage);
}

async function runMaster(dbPath: string, count: number, journalMode: string): Promise<void> {
  const self = fileURLToPath(import.meta.url);
  const start = (): Promise<ChildProcess> =>
    new Promise((resolve, reject) => {
      const child = fork(self, ['worker', dbPath, journalMode], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
      child.once('message', () => resolve(child));
      child.once('error', reject);
    });
  // One at a time: the first creates the table and sets the journal mode, the others find them.
  const workers: ChildProcess[] = [];
  for (let i = 0; i < count; i++) workers.push(await start());
  emit({ event: 'ready', pid: process.pid, workers: workers.map((w) => w.pid ?? -1) });

  const run = async (command: ForkingServerCommand): Promise<void> => {
    const worker = workers[command.worker];
    if (!worker) throw new Error(`no worker ${command.worker}`);
    if (command.op === 'hold') {
      const released = new Promise<WorkerMessage>((resolve) => worker.once('message', resolve));
      worker.send({ op: 'hold', ms: command.ms });
      const message = await released;
      if (message.event !== 'released') throw new Error(`worker ${command.worker} answered ${message.event}`);
      emit({ event: 'released', worker: command.worker, pid: worker.pid ?? -1, heldAtMs: message.heldAtMs, committedAtMs: message.committedAtMs });
      return;
    }
    const exited = new Promise((resolve) => worker.once('exit', resolve));
    worker.send({ op: 'exit' });
    await exited;
    const replacement = await start();
    workers[command.worker] = replacement;
    emit({ event: 'replaced', worker: command.worker, oldPid: worker.pid ?? -1, newPid: replacement.pid ?? -1 });
  };

  let queue = Promise.resolve();
  const lines = readline.createInterface({ input: process.stdin });
  lines.on('line', (line) => {
    queue = queue.then(() =>
      run(JSON.parse(line) as ForkingServerCommand).catch((err: unknown) => {
        emit({ event: 'failed', message: String(err) });
      }),
    );
  });
  lines.on('close', () => {
    void queue.then(() => {
      for (const worker of workers) worker.kill('SIGTERM');
    });
  });
}

const [role, ...args] = process.argv.slice(2);
if (role === 'worker') runWorker(args[0]!, args[1]!);
else void runMaster(role!, Number(args[0]), args[1]!);

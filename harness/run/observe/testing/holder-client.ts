import { spawn } from 'node:child_process';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { execArgvFor } from '../../../shared/entry-points.ts';
import type { HolderCommand, HolderEvent } from './lock-holder.ts';

const HOLDER_FILE = fileURLToPath(new URL('./lock-holder.ts', import.meta.url));

type EventOf<V extends { event: string }, E extends V['event']> = Extract<V, { event: E }>;

/** A child process that speaks JSON lines: commands on stdin, events on stdout (lock-holder.ts, forking-server.ts). */
export interface ProtocolChild<C, V extends { event: string; message?: string }> {
  readonly pid: number;
  send(command: C): void;
  /** The next event from the child; rejects when it is another kind (a `failed` one, say) or the child exits. */
  next<E extends V['event']>(kind: E): Promise<EventOf<V, E>>;
  /** Sends `command` and waits for its event of kind `kind`. */
  request<E extends V['event']>(command: C, kind: E): Promise<EventOf<V, E>>;
  /** Closes the child's stdin (it closes its database and exits) and waits for it to exit. */
  close(): Promise<void>;
}

/** A lock-holder child process (see lock-holder.ts) and its event stream. */
export type LockHolder = ProtocolChild<HolderCommand, HolderEvent>;

export function startLockHolder(): Promise<LockHolder> {
  return startProtocolChild<HolderCommand, HolderEvent>(HOLDER_FILE, []);
}

/** Starts `file` (TypeScript, under tsx) with `args`, speaking JSON lines. */
export async function startProtocolChild<C, V extends { event: string; message?: string }>(file: string, args: readonly string[]): Promise<ProtocolChild<C, V>> {
  const child = spawn(process.execPath, [...execArgvFor(file, []), file, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const buffered: V[] = [];
  const waiting: Array<{ resolve: (event: V) => void; reject: (err: Error) => void }> = [];
  let exitError: Error | undefined;
  const exited = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      exitError = new Error(`${file} exited (code ${code}, signal ${signal}): ${stderr.trim()}`);
      for (const w of waiting.splice(0)) w.reject(exitError);
      resolve();
    }),
  );
  readline.createInterface({ input: child.stdout }).on('line', (line) => {
    const event = JSON.parse(line) as V;
    const waiter = waiting.shift();
    if (waiter) waiter.resolve(event);
    else buffered.push(event);
  });

  const next = async <E extends V['event']>(kind: E): Promise<EventOf<V, E>> => {
    const event =
      buffered.shift() ??
      (await new Promise<V>((resolve, reject) => {
        if (exitError) reject(exitError);
        else waiting.push({ resolve, reject });
      }));
    if (event.event !== kind) {
      throw new Error(`${file} sent ${event.event} where ${kind} was expected: ${JSON.stringify(event)}`);
    }
    return event as EventOf<V, E>;
  };
  const send = (command: C) => {
    child.stdin.write(`${JSON.stringify(command)}\n`);
  };
  return {
    pid: child.pid ?? -1,
    send,
    next,
    request(command, kind) {
      send(command);
      return next(kind);
    },
    async close() {
      if (child.exitCode === null && child.signalCode === null) child.stdin.end();
      await exited;
    },
  };
}

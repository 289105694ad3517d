import { spawn } from 'node:child_process';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { execArgvFor } from '../../entry-points.ts';
import type { HolderCommand, HolderEvent } from './lock-holder.ts';

const HOLDER_FILE = fileURLToPath(new URL('./lock-holder.ts', import.meta.url));

type EventOf<E extends HolderEvent['event']> = Extract<HolderEvent, { event: E }>;

/** A lock-holder child process (see lock-holder.ts) and its event stream. */
export interface LockHolder {
  readonly pid: number;
  send(command: HolderCommand): void;
  /** The next event from the child; rejects when it is another kind (a `failed` one, say) or the child exits. */
  next<E extends HolderEvent['event']>(kind: E): Promise<EventOf<E>>;
  /** Sends `command` and waits for its event of kind `kind`. */
  request<E extends HolderEvent['event']>(command: HolderCommand, kind: E): Promise<EventOf<E>>;
  /** Closes the child's stdin (it closes its database and exits) and waits for it to exit. */
  close(): Promise<void>;
}

export async function startLockHolder(): Promise<LockHolder> {
  const child = spawn(process.execPath, [...execArgvFor(HOLDER_FILE, []), HOLDER_FILE], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const buffered: HolderEvent[] = [];
  const waiting: Array<{ resolve: (event: HolderEvent) => void; reject: (err: Error) => void }> = [];
  let exitError: Error | undefined;
  const exited = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      exitError = new Error(`lock holder exited (code ${code}, signal ${signal}): ${stderr.trim()}`);
      for (const w of waiting.splice(0)) w.reject(exitError);
      resolve();
    }),
  );
  readline.createInterface({ input: child.stdout }).on('line', (line) => {
    const event = JSON.parse(line) as HolderEvent;
    const waiter = waiting.shift();
    if (waiter) waiter.resolve(event);
    else buffered.push(event);
  });

  const next = async <E extends HolderEvent['event']>(kind: E): Promise<EventOf<E>> => {
    const event =
      buffered.shift() ??
      (await new Promise<HolderEvent>((resolve, reject) => {
        if (exitError) reject(exitError);
        else waiting.push({ resolve, reject });
      }));
    if (event.event !== kind) {
      const detail = event.event === 'failed' ? `${event.op}: ${event.code ?? ''} ${event.message}` : JSON.stringify(event);
      throw new Error(`lock holder sent ${event.event} where ${kind} was expected: ${detail}`);
    }
    return event as EventOf<E>;
  };
  const send = (command: HolderCommand) => {
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

/**
 * Starts the target as a child process per its process contract: it prints one JSON ready line on
 * stdout once listening, logs pino JSON on stderr, and exits 0 on SIGTERM.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { entryPoint } from '../../shared/entry-points.ts';
import { launchProcess, type ProcessExit } from './launcher.ts';
import type { TargetStartFailure } from '../../model/results.ts';

/** The target's entry point. */
export const TARGET_SCRIPT = fileURLToPath(new URL('../../../scripts/target.ts', import.meta.url));
/** How long the target may take to migrate, seed and listen before the start counts as failed, in ms. */
export const DEFAULT_READY_TIMEOUT_MS = 60_000;
/** How long a stopping target may take to close its pool before it is killed, in ms. */
export const DEFAULT_STOP_TIMEOUT_MS = 15_000;
/** Lines of the target's stderr kept for error messages. */
const STDERR_TAIL_LINES = 20;

/** How a process that announces itself with a ready line is watched and stopped. */
export interface ReadyProcessOptions {
  /** File that receives the target's stderr (its pino log); none when absent. */
  logFile?: string;
  readyTimeoutMs?: number;
  stopTimeoutMs?: number;
  /** Called when the target exits without being asked to (a crash mid-run). */
  onUnexpectedExit?: (code: number | null, signal: NodeJS.Signals | null) => void;
}

export interface StartTargetOptions extends ReadyProcessOptions {
  /** Target flags after `--port 0 --db <dbPath>`, e.g. a profile's and the work model's. */
  args: readonly string[];
  dbPath: string;
}

/** How the target process ended. */
export type TargetExit = ProcessExit;

export interface RunningTarget {
  url: string;
  pid: number;
  /** The last lines the target wrote to stderr, for error messages. */
  stderrTail(): string;
  /** SIGTERM, then SIGKILL after the stop timeout; resolves when the process has exited. Idempotent. */
  stop(): Promise<TargetExit>;
}

function startFailureText(failure: TargetStartFailure): string {
  switch (failure.kind) {
    case 'spawn-failed':
      return failure.cwdMissing
        ? `target could not be started: its folder ${failure.cwd} does not exist`
        : `target could not be started (${failure.command}): ${failure.error}`;
    case 'exited':
      return `target exited before it was ready (code ${failure.code}, signal ${failure.signal})`;
    case 'not-ready':
      return `target did not print its ${failure.waitedFor === 'ready line' ? 'ready line' : 'ready answer'} within ${failure.timeoutMs} ms`;
  }
}

export class TargetStartError extends Error {
  /** The last lines the target wrote (stdout and stderr for a described target, stderr for lockbench's own). */
  readonly outputTail: string[];
  constructor(readonly failure: TargetStartFailure, outputTail: readonly string[]) {
    const tail = outputTail.join('\n');
    super(tail ? `${startFailureText(failure)}\n--- target output (last lines) ---\n${tail}` : startFailureText(failure));
    this.name = 'TargetStartError';
    this.outputTail = [...outputTail];
  }
  /** The failure in one line, without the output. */
  get summary(): string {
    return startFailureText(this.failure);
  }
}

interface ReadyLine {
  event: 'ready';
  url: string;
  pid?: number;
}

function parseReadyLine(line: string): ReadyLine | undefined {
  try {
    const value = JSON.parse(line) as Partial<ReadyLine>;
    if (value.event === 'ready' && typeof value.url === 'string') return value as ReadyLine;
  } catch {
    // Not the ready line.
  }
  return undefined;
}

/** The command that runs a TypeScript entry point with tsx in plain node, without npx's own start-up. */
export function tsxCommand(script: string, args: readonly string[]): { command: string; args: string[] } {
  return { command: process.execPath, args: ['--import', 'tsx', script, ...args] };
}

export function startTarget(options: StartTargetOptions): Promise<RunningTarget> {
  const entry = entryPoint(TARGET_SCRIPT, { inherited: [] });
  const args = [...entry.execArgv, entry.file, '--port', '0', '--db', options.dbPath, ...options.args];
  return startReadyProcess({ command: process.execPath, args }, options);
}

/**
 * Starts any server that keeps the target's process contract (a JSON ready line on stdout, exit on
 * SIGTERM), e.g. the driver benchmark's bare route; the target is one.
 */
export async function startReadyProcess({ command, args }: { command: string; args: readonly string[] }, options: ReadyProcessOptions): Promise<RunningTarget> {
  const readyTimeoutMs = options.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS;
  const log: WriteStream | undefined = options.logFile ? createWriteStream(options.logFile) : undefined;
  const tail: string[] = [];
  let stderrClosed: Promise<unknown> = Promise.resolve();
  // One server process: its own group, signalled itself (./launcher.ts).
  const { child, exited, stop } = launchProcess(
    { command, args },
    {
      stopTimeoutMs: options.stopTimeoutMs ?? DEFAULT_STOP_TIMEOUT_MS,
      signals: 'leader',
      afterExit: async () => {
        await stderrClosed;
        if (log) await new Promise<void>((resolve) => log.end(resolve));
      },
    },
  );
  let stopping = false;
  stderrClosed = once(child.stderr, 'close').catch(() => undefined);
  child.stderr.on('data', (chunk: Buffer) => {
    log?.write(chunk);
    for (const line of chunk.toString('utf8').split('\n')) {
      if (line.trim() === '') continue;
      tail.push(line);
      if (tail.length > STDERR_TAIL_LINES) tail.shift();
    }
  });
  const stderrTail = () => tail.join('\n');
  const stopOnce = () => {
    stopping = true;
    return stop();
  };

  const ready = await new Promise<ReadyLine>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    const timer = setTimeout(
      () => reject(new TargetStartError({ kind: 'not-ready', timeoutMs: readyTimeoutMs, waitedFor: 'ready line' }, tail)),
      readyTimeoutMs,
    );
    lines.on('line', (line) => {
      const parsed = parseReadyLine(line);
      if (parsed) {
        clearTimeout(timer);
        resolve(parsed);
      }
    });
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(new TargetStartError({ kind: 'spawn-failed', command, cwd: process.cwd(), error: err.message, cwdMissing: false }, tail));
    });
    // Wait for stderr to close too, so the error carries the target's last words.
    void Promise.all([exited, stderrClosed]).then(([{ code, signal }]) => {
      clearTimeout(timer);
      reject(new TargetStartError({ kind: 'exited', code, signal }, tail));
    });
  }).catch(async (err: unknown) => {
    await stopOnce();
    throw err;
  });

  void exited.then(({ code, signal }) => {
    if (!stopping) options.onUnexpectedExit?.(code, signal);
  });

  return { url: ready.url, pid: ready.pid ?? child.pid ?? -1, stderrTail, stop: stopOnce };
}

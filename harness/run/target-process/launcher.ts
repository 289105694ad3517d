/**
 * The one way lockbench starts a server process (its own target, a described target, the benchmark's
 * routes): in a process group of its own, so a Ctrl-C in the terminal reaches the harness first and
 * the harness stops the server when it has collected what it needs; guarded (./guard.ts) so the group
 * never outlives the run; stopped with SIGTERM, then SIGKILL once the stop timeout has passed. How a
 * server says it is ready differs per kind and stays with its caller.
 */
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable } from 'node:stream';
import { guardProcessGroup } from './guard.ts';

/** How a server process ended. */
export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface LaunchSpec {
  command: string;
  args: readonly string[];
  /** Default: the harness's own folder. */
  cwd?: string;
  /** Added to the harness's own environment. */
  env?: Readonly<Record<string, string>>;
}

export interface LaunchOptions {
  /** Time from SIGTERM to SIGKILL, in ms. */
  stopTimeoutMs: number;
  /**
   * `leader`: the signals go to the process itself, which is one server (lockbench's own target, a
   * route); `group`: to its whole group, and whatever is left in the group is killed once the leader
   * has exited (a shell and the server it started, a server and its workers).
   */
  signals: 'leader' | 'group';
  /** Awaited by stop() after the exit, before it resolves: the caller's streams and log closed. */
  afterExit?: () => Promise<void>;
}

export interface LaunchedProcess {
  readonly child: ChildProcessByStdio<null, Readable, Readable>;
  /** Undefined when the command could not be spawned. */
  readonly pid: number | undefined;
  /** Settles when the process has exited, or at once with nulls when it could not be spawned. */
  readonly exited: Promise<ProcessExit>;
  hasExited(): boolean;
  /** SIGTERM, then SIGKILL after the stop timeout; resolves when the process has exited. Idempotent. */
  stop(): Promise<ProcessExit>;
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // The group is gone already.
  }
}

export function launchProcess(spec: LaunchSpec, options: LaunchOptions): LaunchedProcess {
  const child = spawn(spec.command, spec.args, {
    ...(spec.cwd === undefined ? {} : { cwd: spec.cwd }),
    ...(spec.env === undefined ? {} : { env: { ...process.env, ...spec.env } }),
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const pid = child.pid;
  const group = options.signals === 'group';
  // Outside the terminal's group the server no longer dies with it: stopped with the run however it ends.
  const release = pid === undefined ? () => undefined : guardProcessGroup(pid);
  let hasExited = false;
  let stopping: Promise<ProcessExit> | undefined;

  const exited = new Promise<ProcessExit>((done) => {
    child.once('exit', (code, signal) => {
      hasExited = true;
      // A lone server's group ends with it; a group's stragglers are the guard's until stop() kills them.
      if (!group) release();
      done({ code, signal });
    });
    // A command that could not be spawned never emits 'exit': without this, stopping it would wait forever.
    child.once('error', () => {
      if (pid !== undefined) return;
      hasExited = true;
      release();
      done({ code: null, signal: null });
    });
  });

  const send = (signal: NodeJS.Signals) => {
    if (!group) child.kill(signal);
    else if (pid !== undefined) signalGroup(pid, signal);
  };
  const stop = () => {
    stopping ??= (async () => {
      let killTimer: NodeJS.Timeout | undefined;
      if ((!group || pid !== undefined) && child.exitCode === null && child.signalCode === null) {
        send('SIGTERM');
        killTimer = setTimeout(() => send('SIGKILL'), options.stopTimeoutMs);
      }
      const result = await exited;
      clearTimeout(killTimer);
      if (group) {
        // Whatever the leader left behind in its group goes with it.
        if (pid !== undefined) signalGroup(pid, 'SIGKILL');
        release();
      }
      await options.afterExit?.();
      return result;
    })();
    return stopping;
  };

  return { child, pid, exited, hasExited: () => hasExited, stop };
}

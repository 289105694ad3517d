/**
 * A described target for one trial: what to run (command, arguments, folder, environment with the
 * chosen settings), where its database file is, and how to know it is ready. Resolving is pure;
 * {@link startDescribedTarget} spawns it in its own process group and stops the whole group.
 */
import { createWriteStream, existsSync } from 'node:fs';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { launchProcess } from './target-process/launcher.ts';
import { TargetStartError, type RunningTarget } from './target-process/target-process.ts';
import type { LoadedTargetDescription } from '../plan/targets/load.ts';
import type { LaunchPlan, ReadyCheck, SettingsProcess, StartPlan } from '../plan/launch-plan.ts';
import { DEFAULT_READY_TIMEOUT_MS } from '../plan/targets/schema.ts';
import { fillText } from '../plan/targets/templates.ts';

/** How often a readiness URL is asked while the target starts, in ms. */
export const READY_POLL_INTERVAL_MS = 100;
/** Lines of the target's output kept for error messages. */
const OUTPUT_TAIL_LINES = 20;

export interface TrialContext {
  /** A fresh folder for this trial; `{workDir}` in the database path. */
  workDir: string;
  /** A free port; `{port}`. */
  port: number;
  /** The trial's settings as the process takes them, as planned (harness/plan/launch-plan.ts settingsToProcess). */
  settings?: SettingsProcess;
}

/** The database file of a trial: `{workDir}` filled, relative paths from the description's folder. */
export function databasePath(loaded: LoadedTargetDescription, workDir: string): string {
  return resolve(loaded.baseDir, fillText(loaded.description.database, { workDir }));
}

/** What to run (or where it runs) for one trial. */
export function planLaunch(loaded: LoadedTargetDescription, trial: TrialContext): LaunchPlan {
  const { description, baseDir } = loaded;
  const database = databasePath(loaded, trial.workDir);
  if (description.url !== undefined) return { kind: 'running', baseUrl: description.url.replace(/\/$/, ''), database };
  const start = description.start!;
  const values = { port: trial.port, database, workDir: trial.workDir, node: process.execPath };
  const chosen = trial.settings ?? { env: {}, args: [] };
  const baseUrl = fillText(start.baseUrl, values).replace(/\/$/, '');
  const ready: ReadyCheck =
    start.ready.line !== undefined
      ? { kind: 'line', pattern: new RegExp(start.ready.line), stream: start.ready.stream ?? 'any' }
      : { kind: 'url', url: start.ready.url!.startsWith('/') ? `${baseUrl}${start.ready.url}` : fillText(start.ready.url!, values) };
  return {
    kind: 'start',
    command: fillText(start.command, values),
    args: [...start.args.map((a) => fillText(a, values)), ...chosen.args],
    cwd: resolve(baseDir, start.cwd ?? '.'),
    env: { ...Object.fromEntries(Object.entries(start.env).map(([k, v]) => [k, fillText(v, values)])), ...chosen.env },
    baseUrl,
    ready,
    readyTimeoutMs: start.ready.timeoutMs ?? DEFAULT_READY_TIMEOUT_MS,
    stopTimeoutMs: start.stopTimeoutMs,
    database,
  };
}

/** A free TCP port on 127.0.0.1, for `{port}`. */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  await new Promise<void>((done) => server.close(() => done()));
  if (address === null || typeof address === 'string') throw new Error('could not find a free port');
  return address.port;
}

export interface StartDescribedOptions {
  /** File that receives the target's stdout and stderr; none when absent. */
  logFile?: string;
  /** Called when the target exits without being asked to (a crash mid-run). */
  onUnexpectedExit?: (code: number | null, signal: NodeJS.Signals | null) => void;
}

async function waitForUrl(url: string, stopped: () => boolean): Promise<void> {
  while (!stopped()) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      await res.arrayBuffer();
      if (res.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, READY_POLL_INTERVAL_MS));
  }
}

/**
 * Starts a planned target in its own process group (so a Ctrl-C reaches the harness first, and
 * stopping takes the whole group: a shell and its server alike) and resolves once it is ready.
 */
export async function startDescribedTarget(plan: StartPlan, options: StartDescribedOptions = {}): Promise<RunningTarget> {
  const log = options.logFile ? createWriteStream(options.logFile) : undefined;
  const tail: string[] = [];
  const outputTail = () => tail.join('\n');
  let streamsClosed: Promise<unknown> = Promise.resolve();
  // Its whole group is signalled and, once the leader is gone, killed: a shell and its server alike (../target-process/launcher.ts).
  const launched = launchProcess(
    { command: plan.command, args: plan.args, cwd: plan.cwd, env: plan.env },
    {
      stopTimeoutMs: plan.stopTimeoutMs,
      signals: 'group',
      afterExit: async () => {
        await streamsClosed;
        if (log) await new Promise<void>((done) => log.end(done));
      },
    },
  );
  const { child, pid, exited, hasExited } = launched;
  let stopping = false;
  const stop = () => {
    stopping = true;
    return launched.stop();
  };
  streamsClosed = Promise.all([child.stdout, child.stderr].map((s) => once(s, 'close').catch(() => undefined)));

  let onLine: (line: string, stream: 'stdout' | 'stderr') => void = () => undefined;
  for (const [stream, input] of [['stdout', child.stdout], ['stderr', child.stderr]] as const) {
    input.on('data', (chunk: Buffer) => log?.write(chunk));
    createInterface({ input }).on('line', (line) => {
      tail.push(line);
      if (tail.length > OUTPUT_TAIL_LINES) tail.shift();
      onLine(line, stream);
    });
  }

  const url = await new Promise<string>((ready, fail) => {
    const waitedFor = plan.ready.kind === 'line' ? 'ready line' : 'ready url';
    const timer = setTimeout(() => fail(new TargetStartError({ kind: 'not-ready', timeoutMs: plan.readyTimeoutMs, waitedFor }, tail)), plan.readyTimeoutMs);
    const done = (url: string) => {
      clearTimeout(timer);
      ready(url);
    };
    let spawnFailed = false;
    child.once('error', (err) => {
      clearTimeout(timer);
      if (pid !== undefined) return;
      spawnFailed = true;
      // Node names the command when it is the folder that is missing: say which.
      fail(new TargetStartError({ kind: 'spawn-failed', command: plan.command, cwd: plan.cwd, error: err.message, cwdMissing: !existsSync(plan.cwd) }, tail));
    });
    void Promise.all([exited, streamsClosed]).then(([{ code, signal }]) => {
      clearTimeout(timer);
      if (!spawnFailed) fail(new TargetStartError({ kind: 'exited', code, signal }, tail));
    });
    const { ready: check } = plan;
    if (check.kind === 'line') {
      onLine = (line, stream) => {
        const match = check.stream === 'any' || check.stream === stream ? check.pattern.exec(line) : null;
        if (match) done((match.groups?.url ?? plan.baseUrl).replace(/\/$/, ''));
      };
    } else {
      void waitForUrl(check.url, hasExited).then(() => !hasExited() && done(plan.baseUrl));
    }
  }).catch(async (err: unknown) => {
    await stop();
    throw err;
  });
  onLine = () => undefined;

  void exited.then(({ code, signal }) => {
    if (!stopping) options.onUnexpectedExit?.(code, signal);
  });
  return { url, pid: pid ?? -1, stderrTail: outputTail, stop };
}

/**
 * npm run observe -- --db <path> [--wait] [--duration 30s] [--interval-us 250] [--out <dir>] [--json]
 *
 * Watches an SQLite WAL database's write, checkpoint and read locks from outside: shows live who holds
 * the write lock and for how long, and at the end (or Ctrl-C) prints every write-lock hold, the hold
 * histogram, the duty cycle, checkpoints and the longest read lock. Exit codes: see EXIT_CODES_HELP.
 */
import fs from 'node:fs';
import { epochNowMs } from '../harness/shared/clock.ts';
import os from 'node:os';
import path from 'node:path';
import { type Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { lockbenchCommand } from './lib/command.ts';
import { durationMs } from '../scenarios/lib/env.ts';
import { commanderExit, EXIT, OBSERVE_ERROR_EXIT } from './lib/exit.ts';
import {
  OBSERVE_JSON,
  checkOutputDir,
  isObserveError,
  startObserverSession,
  writeObserveJson,
} from '../harness/run/observe/index.ts';
import { defaultIntervalUs } from '../harness/plan/observer-interval.ts';
import type { ObserveProgress, ObserveResult } from '../harness/model/lock-observation.ts';
import { observeReport, summarizeObservation } from '../harness/analyze/observation-summary.ts';
import { formatLiveLine, formatSummary } from '../harness/reports/observe.ts';
import { formatJournalModes } from '../harness/reports/journal-mode.ts';

/** Time between two live lines on a terminal, in milliseconds. */
const LIVE_EVERY_MS = 100;
/** Time between two status lines when the output is not a terminal (or CI is set), in milliseconds. */
const PLAIN_EVERY_MS = 1000;
/**
 * A second signal within this many milliseconds is the same one delivered twice (a terminal's Ctrl-C
 * reaches npm and this process alike, and npm passes its copy on): it does not force an exit.
 */
const REPEATED_SIGNAL_MS = 1000;

const EXIT_CODES_HELP =
  'Exit codes:\n' +
  `  ${EXIT.pass}    observed (until --duration, Ctrl-C or SIGTERM); the summary is on stdout\n` +
  `  ${EXIT.unexpected}    unexpected failure; the message says what failed\n` +
  `  ${EXIT.badUsage}    bad usage; --out cannot be written (checked before observing); the database is missing, not a\n` +
  '       file, unreadable, not SQLite, in an unknown journal mode, or in WAL mode without -shm (no connection open;\n' +
  '       see --wait)\n' +
  `  ${OBSERVE_ERROR_EXIT.UNSUPPORTED_PLATFORM}    this platform cannot observe (Linux x86_64 and arm64 only), or the kernel refused a lock query\n` +
  `  ${EXIT.outFailed}    observed, but writing --out failed afterwards: the result was written to a temporary file\n` +
  '       named on stderr (or printed on stdout), never lost\n' +
  `  ${EXIT.interrupted}  a second Ctrl-C more than ${REPEATED_SIGNAL_MS / 1000} s after the first: stopped without a summary`;

/** "30s", "500ms", "2m", "1h" (one unit), or a plain number of seconds, to milliseconds. */
function parseDurationMs(text: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  const value = match ? durationMs(`${match[1]}${match[2] ?? 's'}`) : Number.NaN;
  if (!(value > 0)) throw new InvalidArgumentError('expected a positive duration such as 30s, 500ms, 2m or 1h');
  return value;
}

function parsePid(text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value <= 1) throw new InvalidArgumentError('expected the pid of a running process (an integer > 1)');
  return value;
}

function parseIntervalUs(text: string): number {
  const value = Number(text);
  if (!Number.isFinite(value)) throw new InvalidArgumentError('expected a number of microseconds, e.g. 250');
  return value;
}

interface CliFlags {
  db: string;
  wait: boolean;
  duration?: number;
  intervalUs: number;
  out?: string;
  json: boolean;
  pid?: number;
}

function buildProgram(): Command {
  return lockbenchCommand(
    'observe',
    'Watch an SQLite database\'s locks from outside. SQLite takes its locks as POSIX byte-range locks: in WAL mode the write, ' +
      'checkpoint and read locks on <db>-shm, with a rollback journal (DELETE, TRUNCATE, PERSIST) RESERVED, PENDING and ' +
      'EXCLUSIVE on the database file. This asks the kernel who holds them (fcntl F_OFD_GETLK), in the journal mode the ' +
      'header says (followed when it changes), without opening the database with SQLite and without taking any lock. ' +
      'Linux x86_64 and arm64.',
  )
    .requiredOption('--db <path>', 'the SQLite database file an application has open, in either journal mode (in WAL mode its <db>-shm must exist, unless --wait)')
    .option(
      '--wait',
      'wait for the database and its <db>-shm to appear instead of refusing to start; for an application that is not running yet, ' +
        'or that opens a connection per request (SQLAlchemy NullPool), where -shm exists only while a request runs. ' +
        'The time with no connection open is reported on its own',
      false,
    )
    .addOption(
      new Option('--duration <time>', 'stop after this long: 30s, 500ms, 2m, 1h, or seconds (default: until Ctrl-C)').argParser(parseDurationMs),
    )
    .addOption(
      new Option(
        '--interval-us <microseconds>',
        'time between two polls; a hold is timed to within about one interval, and each poll costs CPU (see README)',
      )
        .argParser(parseIntervalUs)
        .default(defaultIntervalUs),
    )
    .option(
      '--out <dir>',
      `also write the full result (every span, epoch ms) to <dir>/${OBSERVE_JSON}; the folder is created if needed, and checked to be writable before observing`,
    )
    .addOption(
      new Option('--pid <pid>', 'the application: this process and every one descended from it (its workers) are "app" in the summary, every other holder "other"')
        .argParser(parsePid),
    )
    .option('--json', 'print the result as JSON on stdout instead of the summary table (the table then goes to stderr)', false)
    .addHelpText(
      'after',
      '\nOutput: a live line on stderr (plain status lines each second when stderr is not a terminal or CI is set), then the\n' +
        `summary on stdout. -shm follows the database's connections: removed when the last one closes, created by the next.\n\n${EXIT_CODES_HELP}`,
    );
}

function createStatusPrinter(live: boolean) {
  let startedAtMs = 0;
  let lastLength = 0;
  return {
    start(atMs: number) {
      startedAtMs = atMs;
    },
    progress(progress: ObserveProgress) {
      const line = formatLiveLine(progress, Math.max(0, progress.atMs - startedAtMs));
      if (live) {
        process.stderr.write(`\r${line.padEnd(lastLength)}`);
        lastLength = line.length;
      } else {
        process.stderr.write(`${line}\n`);
      }
    },
    end() {
      if (live && lastLength > 0) process.stderr.write(`\r${' '.repeat(lastLength)}\r`);
    },
  };
}

/** Prints the summary (and the JSON with --json), then writes --out; what cannot go there goes elsewhere. Returns the exit code. */
function reportResult(result: ObserveResult, flags: CliFlags): number {
  const summary = formatSummary(observeReport(result, flags.pid));
  if (flags.json) {
    process.stdout.write(`${JSON.stringify(result)}\n`);
    process.stderr.write(summary);
  } else {
    process.stdout.write(summary);
  }
  if (!flags.out) return EXIT.pass;
  try {
    process.stderr.write(`wrote ${writeObserveJson(flags.out, result)}\n`);
    return EXIT.pass;
  } catch (err) {
    const why = `observe: could not write ${path.join(flags.out, OBSERVE_JSON)} (${describe(err)})`;
    if (flags.json) {
      process.stderr.write(`${why}; the result is the JSON printed on stdout\n`);
      return EXIT.outFailed;
    }
    const fallback = path.join(os.tmpdir(), `observe-${process.pid}-${Date.now()}.json`);
    try {
      fs.writeFileSync(fallback, `${JSON.stringify(result, null, 2)}\n`, { flag: 'wx' });
      process.stderr.write(`${why}; wrote the result to ${fallback} instead\n`);
    } catch (fallbackErr) {
      process.stderr.write(`${why}, nor ${fallback} (${describe(fallbackErr)}); the result follows on stdout\n`);
      process.stdout.write(`${JSON.stringify(result)}\n`);
    }
    return EXIT.outFailed;
  }
}

function describe(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  const message = err instanceof Error ? err.message : String(err);
  return code && !message.startsWith(code) ? `${code}: ${message}` : message;
}

async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  let flags: CliFlags;
  try {
    flags = program.parse(argv).opts<CliFlags>();
  } catch (err) {
    if (err instanceof CommanderError) return commanderExit(err.exitCode);
    throw err;
  }

  const live = Boolean(process.stderr.isTTY) && !process.env.CI;
  const status = createStatusPrinter(live);
  try {
    if (flags.out) checkOutputDir(flags.out);
    // Installed before anything is said: a signal that arrives before its handler takes the default
    // action, which ends the process at once. Kept until the process exits, so a repeated Ctrl-C that
    // lands while the summary is written does not kill it half-way either.
    let firstSignalAtMs: number | undefined;
    let stopSession: (() => void) | undefined;
    const onSignal = () => {
      const now = performance.now();
      if (firstSignalAtMs !== undefined) {
        if (now - firstSignalAtMs > REPEATED_SIGNAL_MS) process.exit(EXIT.interrupted); // a later Ctrl-C: give up on the summary
        return;
      }
      firstSignalAtMs = now;
      stopSession?.();
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    const session = await startObserverSession(
      {
        dbPath: flags.db,
        intervalUs: flags.intervalUs,
        durationMs: flags.duration ?? null,
        progressEveryMs: live ? LIVE_EVERY_MS : PLAIN_EVERY_MS,
        waitForConnection: flags.wait,
      },
      (progress) => status.progress(progress),
    );
    stopSession = () => void session.stop().catch(() => undefined);
    // A signal that came while the session started stops it now.
    if (firstSignalAtMs !== undefined) stopSession();
    status.start(epochNowMs());
    process.stderr.write(
      `observing ${session.dbPath} (journal mode ${formatJournalModes([], session.journalMode)}) with ${session.command} every ${flags.intervalUs} us` +
        `${flags.duration ? ` for ${flags.duration / 1000} s` : ''}${flags.wait ? ', following connections as they come and go' : ''}; Ctrl-C to stop\n`,
    );
    // The observer returns what it saw; its figures and their words are added here.
    const result = summarizeObservation(await session.finished);
    status.end();
    return reportResult(result, flags);
  } catch (err) {
    status.end();
    if (isObserveError(err)) {
      process.stderr.write(`observe: ${err.message}\n`);
      return OBSERVE_ERROR_EXIT[err.code];
    }
    process.stderr.write(`observe: unexpected failure: ${describe(err)}\n`);
    return EXIT.unexpected;
  }
}

process.exitCode = await main(process.argv);

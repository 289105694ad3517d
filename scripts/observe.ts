/**
 * npm run observe -- --db <path> [--duration 30s] [--interval-us 250] [--out <dir>] [--json]
 *
 * Watches an SQLite WAL database's write, checkpoint and read locks from outside: shows live who holds
 * the write lock and for how long, and at the end (or Ctrl-C) prints every write-lock hold, the hold
 * histogram, the duty cycle, checkpoints and the longest read lock.
 * Exit codes: 0 observed; 2 bad usage, or a database that cannot be observed; 3 this platform cannot observe.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import {
  defaultIntervalUs,
  exitCodeByErrorCode,
  formatLiveLine,
  formatSummary,
  isObserveError,
  startObserverSession,
  type ObserveProgress,
  type ObserveResult,
} from '../harness/observe/index.ts';

/** Time between two live lines on a terminal, in milliseconds. */
const LIVE_EVERY_MS = 100;
/** Time between two status lines when the output is not a terminal (or CI is set), in milliseconds. */
const PLAIN_EVERY_MS = 1000;
const EXIT_USAGE = 2;

const DURATION_UNITS_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** "30s", "500ms", "2m", "1h", or a plain number of seconds, to milliseconds. */
function parseDurationMs(text: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  const value = match ? Number(match[1]) * (DURATION_UNITS_MS[match[2] ?? 's'] ?? 1000) : Number.NaN;
  if (!(value > 0)) throw new InvalidArgumentError('expected a positive duration such as 30s, 500ms, 2m or 1h');
  return value;
}

function parseIntervalUs(text: string): number {
  const value = Number(text);
  if (!Number.isFinite(value)) throw new InvalidArgumentError('expected a number of microseconds, e.g. 250');
  return value;
}

interface CliFlags {
  db: string;
  duration?: number;
  intervalUs: number;
  out?: string;
  json: boolean;
}

function buildProgram(): Command {
  return new Command('observe')
    .description(
      'Watch an SQLite database\'s locks from outside. In WAL mode SQLite takes its write, checkpoint and read locks as POSIX ' +
        'byte-range locks on <db>-shm; this asks the kernel who holds them (fcntl F_OFD_GETLK), without opening the database ' +
        'and without taking any lock. Linux x86_64 and arm64.',
    )
    .requiredOption('--db <path>', 'the SQLite database file an application has open in WAL mode (its <db>-shm must exist)')
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
    .option('--out <dir>', 'also write the full result (every span, epoch ms) to <dir>/observe.json; the directory is created if needed')
    .option('--json', 'print the result as JSON on stdout instead of the summary table (the table then goes to stderr)', false)
    .addHelpText(
      'after',
      '\nOutput: a live line on stderr (plain status lines each second when stderr is not a terminal or CI is set), then the\n' +
        'summary on stdout. Exit codes: 0 observed; 2 bad usage, database missing, not SQLite, not in WAL mode or no -shm;\n' +
        '3 this platform cannot observe.',
    )
    .exitOverride()
    .configureOutput({ writeErr: (text) => process.stderr.write(text) });
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

function writeResult(result: ObserveResult, flags: CliFlags): void {
  const summary = formatSummary(result);
  if (flags.json) {
    process.stdout.write(`${JSON.stringify(result)}\n`);
    process.stderr.write(summary);
  } else {
    process.stdout.write(summary);
  }
  if (flags.out) {
    fs.mkdirSync(flags.out, { recursive: true });
    const file = path.join(flags.out, 'observe.json');
    fs.writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
    process.stderr.write(`wrote ${file}\n`);
  }
}

async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  let flags: CliFlags;
  try {
    flags = program.parse(argv).opts<CliFlags>();
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : EXIT_USAGE;
    throw err;
  }

  const live = Boolean(process.stderr.isTTY) && !process.env.CI;
  const status = createStatusPrinter(live);
  try {
    const session = await startObserverSession(
      {
        dbPath: flags.db,
        intervalUs: flags.intervalUs,
        durationMs: flags.duration ?? null,
        progressEveryMs: live ? LIVE_EVERY_MS : PLAIN_EVERY_MS,
      },
      (progress) => status.progress(progress),
    );
    status.start(performance.timeOrigin + performance.now());
    process.stderr.write(
      `observing ${session.shmPath} with ${session.command} every ${flags.intervalUs} us` +
        `${flags.duration ? ` for ${flags.duration / 1000} s` : ''}; Ctrl-C to stop\n`,
    );
    let signals = 0;
    const onSignal = () => {
      signals += 1;
      if (signals > 1) process.exit(130); // a second Ctrl-C: give up on the summary
      void session.stop().catch(() => undefined);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    try {
      const result = await session.finished;
      status.end();
      writeResult(result, flags);
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
    return 0;
  } catch (err) {
    status.end();
    if (!isObserveError(err)) throw err;
    process.stderr.write(`observe: ${err.message}\n`);
    return exitCodeByErrorCode[err.code];
  }
}

process.exitCode = await main(process.argv);

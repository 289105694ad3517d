// `npm run target -- [flags]`: starts the system under test and prints one JSON ready line on stdout.
import { CommanderError, Option } from 'commander';
import { lockbenchCommand } from './lib/command.ts';
import { commanderExit, EXIT } from './lib/exit.ts';
import {
  OPTION_DEFINITIONS,
  defaultText,
  optionsFromEnv,
  parseOptionText,
  resolveTargetOptions,
  type TargetOptions,
  type TargetOptionsInput,
} from '../target/options.ts';
import { createLogger, createTarget, StartError } from '../target/server.ts';
import { UsageError } from '../harness/shared/usage-error.ts';

/** Stopped by SIGINT or SIGTERM, every connection closed. */
const EXIT_STOPPED = EXIT.pass;
/** Something the user must fix: a bad flag or variable, a port in use, an unusable database path. */
const EXIT_BAD_USAGE = EXIT.badUsage;
/** Anything else went wrong. */
const EXIT_FAILED = EXIT.harnessFailed;

const EXIT_CODES_HELP = `
Exit codes:
  ${EXIT_STOPPED}  stopped by SIGINT or SIGTERM after closing every connection (the -wal and -shm files are gone)
  ${EXIT_BAD_USAGE}  could not start as asked: a bad flag or environment variable, the port already in use,
     or a database path that cannot be used (a directory, a missing folder, read-only, a full disk,
     locked by another process); one line on stderr says which and how to fix it. Nothing is created.
  ${EXIT_FAILED}  failed for another reason (details in the log on stderr)
`;

function parseCli(argv: string[]): TargetOptionsInput {
  const program = lockbenchCommand('target', 
      'The lockbench target: a Hono server over better-sqlite3 that models a marketplace import flow.\n' +
        'Every flag can also be set by the environment variable shown; flags win.\n' +
        'Once listening it prints one line to stdout: {"event":"ready","url":"http://HOST:PORT","pid":N}',
    )
    .addHelpText('after', EXIT_CODES_HELP);
  for (const def of OPTION_DEFINITIONS) {
    const kind = def.kind.type === 'choice' ? `<${def.kind.choices.join('|')}>` : def.kind.type === 'string' ? '<text>' : '<n>';
    program.addOption(new Option(`${def.flag} ${kind}`, `${def.description} [env ${def.env}] (default: ${defaultText(def)})`));
  }
  program.parse(argv, { from: 'user' });
  const flags = program.opts<Record<string, string>>();
  const input: Record<string, unknown> = { ...optionsFromEnv(process.env) };
  for (const def of OPTION_DEFINITIONS) {
    const attribute = def.flag.replace(/^--/, '').replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
    const text = flags[attribute];
    if (text !== undefined) input[def.key] = parseOptionText(def, text);
  }
  return input as TargetOptionsInput;
}

async function main(): Promise<number> {
  let options: TargetOptions;
  try {
    options = resolveTargetOptions(parseCli(process.argv.slice(2)));
  } catch (err) {
    if (err instanceof CommanderError) return commanderExit(err.exitCode);
    if (err instanceof UsageError) {
      process.stderr.write(`target: ${err.message}\n`);
      return EXIT_BAD_USAGE;
    }
    throw err;
  }
  const logger = createLogger(options.logLevel);
  const target = createTarget(options, logger);
  // A signal that arrives while the connections close (a supervisor repeating its SIGTERM, Ctrl-C twice)
  // must not kill the process half-way: the first one starts the stop, later ones wait for it.
  let stopping: Promise<void> | undefined;
  const stop = (signal: string) => {
    stopping ??= (async () => {
      logger.info({ signal }, 'stopping');
      await target.close();
      process.exit(EXIT_STOPPED);
    })();
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  try {
    const running = await target.start();
    logger.info({ url: running.url, config: target.options }, 'listening');
    process.stdout.write(`${JSON.stringify({ event: 'ready', url: running.url, pid: process.pid })}\n`);
    return -1;
  } catch (err) {
    await target.close();
    if (err instanceof StartError) {
      process.stderr.write(`target: ${err.message}\n`);
      return EXIT_BAD_USAGE;
    }
    logger.error({ err }, 'could not start');
    return EXIT_FAILED;
  }
}

main().then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (err: unknown) => {
    process.stderr.write(`target: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(EXIT_FAILED);
  },
);

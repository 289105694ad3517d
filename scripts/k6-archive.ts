// `npm run k6:archive -- --base-url <url> [flags]`: your k6 packs scenarios/concurrent.ts and its settings into
// one tar for k6 runners on other machines (deploy/k6-operator/testrun.yaml). It never downloads or builds k6.
import { relative, resolve } from 'node:path';
import { type Command, CommanderError, InvalidArgumentError } from 'commander';
import { lockbenchCommand } from './lib/command.ts';
import { commanderExit, EXIT } from './lib/exit.ts';
import { archiveEnv, DEFAULT_ARCHIVE_FILE, k6ArchiveArgs } from '../harness/run/drivers/k6/archive.ts';
import { findK6, K6_ENV_VARIABLE, K6_MIN_VERSION, K6NotFoundError, runCommand } from '../harness/run/drivers/k6/find.ts';
import * as scenarioDefaults from '../scenarios/lib/defaults.ts';
import { ALLOW_REMOTE_TARGET } from '../scenarios/lib/env.ts';

/** The ConfigMap deploy/k6-operator/testrun.yaml reads the archive from. */
const CONFIG_MAP = 'lockbench-concurrent';

function integer(flag: string) {
  return (text: string): number => {
    if (!/^\d+$/.test(text.trim())) throw new InvalidArgumentError(`${flag} expects a whole number, got "${text}"`);
    return Number(text);
  };
}

interface ArchiveCli {
  baseUrl: string;
  allowRemoteTarget?: boolean;
  imports: number;
  artifacts: number;
  catalogRate: number;
  readRate: number;
  tail: string;
  maxDuration: string;
  out: string;
  k6?: string;
}

function parseCli(argv: string[]): ArchiveCli {
  const program = lockbenchCommand('k6:archive', 
      `Writes a k6 archive of the concurrent scenario (scenarios/concurrent.ts with harness/plan/criteria.json and the settings below) ` +
        `for k6 runners on other machines, e.g. a k6-operator TestRun (deploy/k6-operator/testrun.yaml; see docs/distributed-k6.md). ` +
        `Runs your k6 >= ${K6_MIN_VERSION} (--k6 <path>, else $${K6_ENV_VARIABLE}, else k6 on PATH). Only the settings go into ` +
        `the archive, never this shell's environment. The load is split across the runners: the counts and rates are totals.`,
    )
    .addHelpText(
      'after',
      '\nExit codes:\n  0  the archive was written\n  2  bad usage, an invalid setting, or a --base-url on another machine without --allow-remote-target\n' +
        '  3  no usable k6 (how to install it is printed), or k6 could not write the archive',
    )
    .requiredOption('--base-url <url>', 'where the runners reach the target, e.g. http://lockbench-target.load.svc:3000')
    .option(
      '--allow-remote-target',
      `let --base-url name another machine (sets ${ALLOW_REMOTE_TARGET}=1 in the archive); without it only 127.0.0.1, localhost and [::1] are loaded`,
    )
    .option('--imports <n>', 'concurrent imports over all runners, one VU each, into sources src-1..src-n (the target seeds 8)', integer('--imports'), scenarioDefaults.DEFAULT_IMPORTS)
    .option('--artifacts <n>', 'artifacts per import', integer('--artifacts'), scenarioDefaults.DEFAULT_ARTIFACTS)
    .option('--catalog-rate <n>', 'catalog updates per second over all runners', integer('--catalog-rate'), scenarioDefaults.DEFAULT_CATALOG_RATE)
    .option('--read-rate <n>', 'artifact reads per second over all runners (0 = none)', integer('--read-rate'), scenarioDefaults.DEFAULT_READ_RATE)
    .option('--tail <duration>', 'rate streams after the last import answered (only where lockbench stops k6)', scenarioDefaults.DEFAULT_TAIL)
    .option('--max-duration <duration>', 'how long the catalog updates and reads run on each runner', scenarioDefaults.DEFAULT_MAX_DURATION)
    .option('--out <file>', 'the archive to write', DEFAULT_ARCHIVE_FILE)
    .option('--k6 <path>', `the k6 binary (default: $${K6_ENV_VARIABLE}, else k6 on PATH)`);
  program.parse(argv, { from: 'user' });
  return program.opts<ArchiveCli>();
}

async function main(): Promise<number> {
  let cli: ArchiveCli;
  let env: Record<string, string>;
  try {
    cli = parseCli(process.argv.slice(2));
    const { out: _out, k6: _k6, ...settings } = cli;
    env = archiveEnv(settings);
  } catch (err) {
    if (err instanceof CommanderError) return commanderExit(err.exitCode);
    if (err instanceof Error) {
      process.stderr.write(`k6:archive: ${err.message}\n`);
      return EXIT.badUsage;
    }
    throw err;
  }

  let k6;
  try {
    k6 = await findK6(cli.k6 ?? null);
  } catch (err) {
    if (!(err instanceof K6NotFoundError)) throw err;
    process.stderr.write(`k6:archive: writing the archive takes your k6 (\`k6 archive\`): ${err.message}\n`);
    return EXIT.harnessFailed;
  }

  const outFile = resolve(cli.out);
  const result = await runCommand(k6.path, k6ArchiveArgs(env, outFile));
  if (result.exitCode !== 0) {
    const why = result.startError ?? `exit ${String(result.exitCode)}`;
    process.stderr.write(`k6:archive: k6 archive failed (${why}):\n${result.stderr}${result.stdout}`);
    return EXIT.harnessFailed;
  }
  const fromHere = relative(process.cwd(), outFile);
  const shown = fromHere.startsWith('..') ? outFile : fromHere;
  const settings = Object.entries(env).map(([name, value]) => `${name}=${value}`).join(' ');
  process.stdout.write(
    `wrote ${shown} with k6 v${k6.version} (${k6.source}): ${settings}\n` +
      `next: kubectl create configmap ${CONFIG_MAP} --from-file=${DEFAULT_ARCHIVE_FILE}=${shown} && kubectl apply -f deploy/k6-operator/testrun.yaml\n`,
  );
  return EXIT.pass;
}

process.exitCode = await main();

// `npm run check:k6`: finds the k6 that `--driver k6` would use and says so. It never downloads or builds k6.
// stdout gets one JSON line: {"event":"k6","path","version","source"}; exit 3 with install routes when none is found.
import { CommanderError } from 'commander';
import { lockbenchCommand } from './lib/command.ts';
import { commanderExit, EXIT } from './lib/exit.ts';
import { findK6, K6_ENV_VARIABLE, K6_MIN_VERSION, K6NotFoundError } from '../harness/run/drivers/k6/find.ts';

async function main(): Promise<number> {
  const program = lockbenchCommand('check:k6', `Finds k6 >= ${K6_MIN_VERSION} for --driver k6: --k6 <path>, else $${K6_ENV_VARIABLE}, else k6 on PATH.`)
    .option('--k6 <path>', 'the k6 binary to check')
    .addHelpText('after', `\nExit codes:\n  ${EXIT.pass}  k6 found (one JSON line on stdout)\n  ${EXIT.badUsage}  bad usage\n  ${EXIT.harnessFailed}  no usable k6; how to install it is printed`);
  try {
    program.parse(process.argv.slice(2), { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) return commanderExit(err.exitCode);
    throw err;
  }
  try {
    const k6 = await findK6(program.opts<{ k6?: string }>().k6 ?? null);
    process.stdout.write(`${JSON.stringify({ event: 'k6', ...k6 })}\n`);
    return EXIT.pass;
  } catch (err) {
    if (err instanceof K6NotFoundError) {
      process.stderr.write(`check:k6: ${err.message}\n`);
      return EXIT.harnessFailed;
    }
    throw err;
  }
}

process.exitCode = await main();

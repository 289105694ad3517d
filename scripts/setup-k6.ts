// `npm run setup:k6`: finds k6 >= 1.0 on PATH, or builds the pinned k6 into .tools/bin with Go.
// Progress goes to stderr; stdout gets one JSON line: {"event":"k6","path","version","source","built","buildMs"?}.
import { Command, CommanderError } from 'commander';
import { ensureK6, K6_MIN_PATH_VERSION, K6_PINNED, K6UnavailableError } from '../harness/k6.ts';

const EXIT_BAD_USAGE = 2;
/** DESIGN.md: 3 = the harness could not run (k6 missing). */
const EXIT_K6_UNAVAILABLE = 3;

function parseCli(argv: string[]): { usePath: boolean } {
  const program = new Command('setup:k6')
    .description(
      `Provides the k6 the scenarios run with: k6 >= ${K6_MIN_PATH_VERSION} from PATH, else k6 v${K6_PINNED.version} ` +
        'built from source with `go install` into .tools/bin (minutes the first time, reused afterwards).',
    )
    .option('--no-path', 'ignore k6 on PATH and use or build the pinned k6 in .tools/bin')
    .exitOverride()
    .configureOutput({ writeErr: (text) => process.stderr.write(text) })
    .allowExcessArguments(false);
  program.parse(argv, { from: 'user' });
  return { usePath: program.opts<{ path: boolean }>().path };
}

async function main(): Promise<number> {
  let usePath: boolean;
  try {
    ({ usePath } = parseCli(process.argv.slice(2)));
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : EXIT_BAD_USAGE;
    throw err;
  }
  try {
    const k6 = await ensureK6({ usePath, onProgress: (message) => process.stderr.write(`setup:k6: ${message}\n`) });
    process.stdout.write(`${JSON.stringify({ event: 'k6', ...k6 })}\n`);
    return 0;
  } catch (err) {
    if (err instanceof K6UnavailableError) {
      process.stderr.write(`setup:k6: ${err.message}\n`);
      return EXIT_K6_UNAVAILABLE;
    }
    throw err;
  }
}

process.exitCode = await main();

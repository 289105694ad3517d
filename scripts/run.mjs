// Runs one of lockbench's commands (scripts/<name>.ts) from a bundle, with the bundles of the target
// and the threads it starts beside it (harness/shared/bundle/bundle.mjs): `node scripts/run.mjs <name> [args]`.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { bundleEntryPoints, bundleFile, REPO_ROOT } from '../harness/shared/bundle/bundle.mjs';

const [name, ...args] = process.argv.slice(2);
if (name === undefined || !/^[a-z0-9-]+$/.test(name)) {
  process.stderr.write('usage: node scripts/run.mjs <command> [args...]   (a file scripts/<command>.ts)\n');
  process.exit(2);
}
const entry = `scripts/${name}.ts`;
if (!existsSync(join(REPO_ROOT, entry))) {
  const commands = readdirSync(join(REPO_ROOT, 'scripts')).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
  process.stderr.write(`no command "${name}": scripts/${name}.ts does not exist; commands: ${commands.map((f) => f.slice(0, -3)).join(', ')}\n`);
  process.exit(2);
}
let file;
try {
  file = bundleFile(await bundleEntryPoints([entry]), entry);
} catch (err) {
  // A read-only node_modules, say: the command runs from its source through tsx, only slower to start.
  process.stderr.write(`lockbench: could not bundle ${entry} (${err instanceof Error ? err.message.split('\n')[0] : String(err)}); running it through tsx\n`);
  const { register } = await import('tsx/esm/api');
  register();
  file = join(REPO_ROOT, entry);
}
// The command reads its arguments from process.argv.slice(2), as it does when tsx runs it.
process.argv = [process.argv[0], file, ...args];
await import(pathToFileURL(file).href);

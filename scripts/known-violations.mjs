// The second half of `npm run lint:deps`: the known-violation list may only shrink. The first half
// (depcruise --ignore-known) fails on a new violation; this fails on a known one that is gone but still
// listed, so the list is rewritten (`npm run lint:deps:known`) in the same change that removes it, and the
// same import cannot come back unnoticed.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const KNOWN_FILE = '.dependency-cruiser-known-violations.json';
/** What the lint cruises: the same list as the lint:deps scripts of package.json. */
const CRUISED = ['target', 'harness', 'scripts', 'scenarios'];

/** One violation as a line: the rule, and the import or the circle it is about. */
const key = (v) => `${v.rule.name}: ${v.from} -> ${v.to}${v.cycle ? ` (circle ${v.cycle.map((c) => c.name ?? c).join(' -> ')})` : ''}`;

// The package exports only its API (src/main/index.mjs): its CLI sits two folders up, in bin/.
const bin = join(dirname(fileURLToPath(import.meta.resolve('dependency-cruiser'))), '..', '..', 'bin', 'dependency-cruise.mjs');
const current = JSON.parse(
  execFileSync(process.execPath, [bin, '--config', '.dependency-cruiser.cjs', '--output-type', 'baseline', ...CRUISED], { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }),
);
const known = JSON.parse(readFileSync(join(root, KNOWN_FILE), 'utf8'));
const now = new Set(current.map(key));
const gone = known.map(key).filter((k) => !now.has(k));
if (gone.length > 0) {
  process.stderr.write(
    `${KNOWN_FILE} lists ${gone.length} violation(s) that are gone; run \`npm run lint:deps:known\` and commit the shorter list:\n` +
      gone.map((k) => `  ${k}\n`).join(''),
  );
  process.exit(1);
}
process.stdout.write(`known violations: ${known.length}, none gone unrecorded\n`);

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { loadTargetDescription, parseTargetDescription, TargetDescriptionError, type DescriptionIssue } from './load.ts';
import { BAD_CASES, EXAMPLE, EXAMPLE_DIR, example, running } from './testing/bad-descriptions.ts';

const README = readFileSync(fileURLToPath(new URL('./README.md', import.meta.url)), 'utf8');

function issuesOf(value: unknown): readonly DescriptionIssue[] {
  try {
    parseTargetDescription(value, 'case', EXAMPLE_DIR);
  } catch (err) {
    if (err instanceof TargetDescriptionError) return err.issues;
    throw err;
  }
  return [];
}

describe('target description validation', () => {
  it('accepts the FastAPI example', () => {
    expect(issuesOf(example())).toEqual([]);
  });

  it('accepts a running target given by URL', () => {
    expect(issuesOf(running(example()))).toEqual([]);
  });

  it('accepts a description without the built-in scenario\'s requests and seeded counts (it runs with its own workload)', () => {
    const d = example();
    delete d.requests;
    delete d.seeded;
    delete d.sql;
    expect(issuesOf(d)).toEqual([]);
  });

  it.each(BAD_CASES)('rejects: $name', ({ change, path, message }) => {
    const d = example();
    change(d);
    const issues = issuesOf(d);
    expect(issues).toHaveLength(1);
    expect(issues[0]!.path).toBe(path);
    expect(issues[0]!.message).toContain(message);
  });

  it('lists every case, with its field and message, in the README table', () => {
    for (const { name, path, message } of BAD_CASES) {
      const row = README.split('\n').find((line) => line.startsWith(`| ${name} |`));
      expect(row, name).toBeDefined();
      expect(row).toContain(`\`${path}\``);
      expect(row).toContain(message.replaceAll('|', '\\|'));
    }
  });

  describe('files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lockbench-targets-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('names a file that is not JSON', () => {
      const file = join(dir, 'broken.json');
      writeFileSync(file, '{"name": ');
      expect(() => loadTargetDescription(file)).toThrow(/broken\.json: not a valid target description:\n {2}\(file\): is not JSON/);
    });

    it('names a file that cannot be read', () => {
      expect(() => loadTargetDescription(join(dir, 'missing.json'))).toThrow(/\(file\): cannot be read: ENOENT/);
    });

    it('resolves relative paths from the file\'s folder', () => {
      const loaded = loadTargetDescription(EXAMPLE);
      expect(loaded.baseDir).toBe(EXAMPLE_DIR.replace(/\/$/, ''));
      expect(loaded.source).toBe(EXAMPLE);
    });
  });
});

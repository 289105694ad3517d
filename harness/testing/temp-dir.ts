import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';

/**
 * A fresh temporary folder for every test of the file (or describe block) that calls it, removed after
 * the test: `const tmp = tempDirPerTest('lockbench-x-')`, then `tmp.path` inside a test or a later hook.
 */
export function tempDirPerTest(prefix: string): { readonly path: string } {
  let path = '';
  beforeEach(() => {
    path = mkdtempSync(join(tmpdir(), prefix));
  });
  afterEach(() => rmSync(path, { recursive: true, force: true }));
  return {
    get path() {
      return path;
    },
  };
}

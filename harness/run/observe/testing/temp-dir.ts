import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A fresh temporary folder for one test's database files. */
export interface TempDir {
  path: string;
  /** A file path inside the folder. */
  file(name: string): string;
  remove(): void;
}

export function createTempDir(): TempDir {
  const path = mkdtempSync(join(tmpdir(), 'lockbench-observe-'));
  return { path, file: (name) => join(path, name), remove: () => rmSync(path, { recursive: true, force: true }) };
}

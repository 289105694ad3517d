import { mkdtempSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { recordedDefaultRun } from './testing.ts';
import { createRunFolder, pointLatest, REPORT_FILES, writeReports } from './write.ts';
import { readTimelines } from '../run/timelines.ts';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'lockbench-reports-'));
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

describe('report folder', () => {
  it('writes results.json, summary.md and junit.xml into <timestamp>-<scenario>/ and points latest at it', async () => {
    const results = recordedDefaultRun();
    const first = await createRunFolder(root, 'concurrent', new Date('2026-11-28T07:43:38.437Z'));
    expect(basename(first)).toBe('2026-11-28T07-43-38-437Z-concurrent');
    await writeReports(results, first, await readTimelines(first, results));
    await pointLatest(root, first);

    expect(JSON.parse(readFileSync(join(root, 'latest', REPORT_FILES.results), 'utf8'))).toEqual(results);
    expect(readFileSync(join(root, 'latest', REPORT_FILES.summary), 'utf8')).toMatch(/^# lockbench concurrent/);
    expect(readFileSync(join(root, 'latest', REPORT_FILES.junit), 'utf8')).toMatch(/^<\?xml/);

    const second = await createRunFolder(root, 'smoke', new Date('2026-11-28T08:00:00.000Z'));
    await pointLatest(root, second);
    expect(readlinkSync(join(root, 'latest'))).toBe(basename(second));
  });
});

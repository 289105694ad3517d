/**
 * End to end: the FastAPI example started from its description, imports sent through mapRequest,
 * the rows counted with the description's no-loss SQL on a read-only connection, and the process group
 * gone afterwards.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { buildImportEntries } from '../../../scenarios/lib/payload.ts';
import { profileSettings, settingsToProcess, type SettingValues, type StartPlan } from '../launch-plan.ts';
import { freePort, planLaunch, startDescribedTarget } from '../../run/launch.ts';
import { loadTargetDescription } from './load.ts';
import { classifyStatus, mapRequest } from './mapping.ts';
import type { ScenarioRequest } from '../../../scenarios/lib/contract.ts';
import { isAlive } from '../../testing/process.ts';

const FASTAPI = loadTargetDescription(fileURLToPath(new URL('../../../examples/fastapi-sqlalchemy/target.json', import.meta.url)));
const { description } = FASTAPI;
/** Per-artifact work inside the transaction, kept small: this test is about the path, not the timing. */
const WORK_MS = 2;
const ENTRIES = 12;

const workDirs: string[] = [];
afterAll(() => workDirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

async function send(baseUrl: string, request: ScenarioRequest): Promise<{ status: number; body: unknown }> {
  const mapped = mapRequest(description, request);
  const res = await fetch(`${baseUrl}${mapped.path}`, { method: mapped.method, headers: mapped.headers, body: mapped.body ?? null });
  return { status: res.status, body: await res.json() };
}

function storedRows(database: string, sourceId: string): number {
  const db = new Database(database, { readonly: true, fileMustExist: true });
  try {
    return (db.prepare(description.sql.artifactsPerSource!).get({ sourceId }) as { n: number }).n;
  } finally {
    db.close();
  }
}


/** Starts the example with `settings`, runs `body` against it, and stops it whatever happens. */
async function withExample(settings: SettingValues, body: (baseUrl: string, plan: StartPlan) => Promise<void>): Promise<number> {
  const workDir = mkdtempSync(join(tmpdir(), 'lockbench-fastapi-'));
  workDirs.push(workDir);
  const plan = planLaunch(FASTAPI, { workDir, port: await freePort(), settings: settingsToProcess(FASTAPI.description, settings) }) as StartPlan;
  const target = await startDescribedTarget(plan, { logFile: join(workDir, 'target.log') });
  try {
    await body(target.url, plan);
  } finally {
    await target.stop();
  }
  return target.pid;
}

describe('the FastAPI example through its target description', () => {
  it.each([
    ['monolithic', 1],
    ['batched', 3],
  ] as const)('imports %s (%i transaction(s)), re-posts without duplicates, and stops its process group', async (profile, transactions) => {
    const settings = { ...profileSettings(description, profile), ...(profile === 'batched' ? { batchSize: 5 } : {}), artifactWorkMs: WORK_MS };
    const sourceId = 'src-2';
    const entries = buildImportEntries({ prefix: sourceId, artifacts: ENTRIES, compositeEvery: 5, children: 2 });
    const pid = await withExample(settings, async (baseUrl, plan) => {
      const first = await send(baseUrl, { kind: 'import', sourceId, entries });
      expect(classifyStatus(description, 'import', first.status)).toBe('success');
      expect(first.body).toMatchObject({ status: 'completed', imported: ENTRIES, batches: Array.from({ length: transactions }, () => expect.objectContaining({ status: 'committed' })) });
      expect(storedRows(plan.database, sourceId)).toBe(ENTRIES);

      const again = await send(baseUrl, { kind: 'import', sourceId, entries });
      expect(classifyStatus(description, 'import', again.status)).toBe('success');
      expect(storedRows(plan.database, sourceId)).toBe(ENTRIES);

      const update = await send(baseUrl, { kind: 'catalogUpdate', entryId: 3, status: 'updating', title: 'Catalog entry 3 (update 1)' });
      expect(classifyStatus(description, 'catalogUpdate', update.status)).toBe('success');
      const read = await send(baseUrl, { kind: 'artifactRead', sourceId, limit: 5 });
      expect(classifyStatus(description, 'artifactRead', read.status)).toBe('success');
      expect(read.body).toMatchObject({ total: ENTRIES });
    });
    expect(isAlive(pid)).toBe(false);
  });

  it("its workflow-write SQL runs on the example's schema and its count finds the rows", async () => {
    let database = '';
    await withExample({ artifactWorkMs: WORK_MS }, async (_baseUrl, plan) => {
      database = plan.database;
    });
    const db = new Database(database, { fileMustExist: true });
    try {
      const write = description.sql.workflowWrite!;
      db.transaction(() => write.statements.forEach((sql) => db.prepare(sql).run({ executionId: 'writer-7-1', nowMs: Date.now() })))();
      expect((db.prepare(write.count).get({ executionIdPrefix: 'writer-7' }) as { n: number }).n).toBe(1);
    } finally {
      db.close();
    }
  });

  it('reports a target that exits before it is ready, with its last output lines', async () => {
    const workDir = mkdtempSync(join(tmpdir(), 'lockbench-fastapi-'));
    workDirs.push(workDir);
    const plan = planLaunch(FASTAPI, { workDir, port: await freePort(), settings: settingsToProcess(FASTAPI.description, { artifactWorkMs: WORK_MS }) }) as StartPlan;
    const broken = { ...plan, env: { ...plan.env, IMPORT_MODE: 'sideways' } };
    await expect(startDescribedTarget(broken)).rejects.toThrow(/target exited before it was ready[\s\S]*IMPORT_MODE must be one of monolithic, batched/);
  });
});

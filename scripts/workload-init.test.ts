/**
 * workload:init against the running FastAPI example: its /openapi.json fetched by URL becomes a workload
 * that loads, and the recorded fixture the unit tests use is still what the app serves.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningTarget } from '../harness/run/target-process/target-process.ts';
import type { StartPlan } from '../harness/plan/launch-plan.ts';
import { freePort, planLaunch, startDescribedTarget } from '../harness/run/launch.ts';
import { loadTargetDescription } from '../harness/plan/targets/load.ts';
import { runScript } from '../harness/testing/cli.ts';
import { loadWorkload } from '../harness/plan/workload/load.ts';

const SCRIPT = fileURLToPath(new URL('./workload-init.ts', import.meta.url));
const FIXTURE = fileURLToPath(new URL('../harness/plan/workload/fixtures/fastapi-openapi.json', import.meta.url));
const EXAMPLE = fileURLToPath(new URL('../examples/fastapi-sqlalchemy/target.json', import.meta.url));

const init = (args: readonly string[]) => runScript(SCRIPT, args);

describe('workload:init on the FastAPI example', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lockbench-workload-init-'));
  let target: RunningTarget | undefined;

  beforeAll(async () => {
    const plan = planLaunch(loadTargetDescription(EXAMPLE), { workDir: dir, port: await freePort() }) as StartPlan;
    target = await startDescribedTarget(plan, { logFile: join(dir, 'target.log') });
  });
  afterAll(async () => {
    await target?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves the OpenAPI document recorded as the unit tests\' fixture', async () => {
    const live: unknown = await (await fetch(`${target!.url}/openapi.json`)).json();
    expect(live).toEqual(JSON.parse(readFileSync(FIXTURE, 'utf8')));
  });

  it('writes a workload from the URL that loads, one stream per operation', async () => {
    const out = join(dir, 'workload.yaml');
    const run = await init(['--openapi', `${target!.url}/openapi.json`, '--out', out, '--rate', '2']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain(`wrote 6 streams to ${out}`);
    const { workload } = loadWorkload(out);
    expect(workload.streams.map((s) => s.name)).toEqual(['health', 'list-sources', 'import-artifacts', 'update-catalog-entry', 'list-artifacts', 'start-execution']);
    expect(workload.streams.every((s) => s.executor.type === 'constant-arrival-rate' && s.executor.rate === 2)).toBe(true);
  });

  it('refuses to overwrite a file without --force, and writes nothing for a document it cannot read', async () => {
    const existing = join(dir, 'mine.yaml');
    writeFileSync(existing, 'name: mine\n');
    const refused = await init(['--openapi', `${target!.url}/openapi.json`, '--out', existing]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('exists; give --force to overwrite it');
    expect(readFileSync(existing, 'utf8')).toBe('name: mine\n');
    const missing = join(dir, 'never.yaml');
    const unreadable = await init(['--openapi', `${target!.url}/no-such-document.json`, '--out', missing]);
    expect(unreadable.code).toBe(2);
    expect(unreadable.stderr).toContain('answered HTTP 404');
    expect(existsSync(missing)).toBe(false);
  });
});

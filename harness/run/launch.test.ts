import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BUILTIN_TARGET } from '../plan/targets/builtin.ts';
import { profileSettings, settingsToProcess, type StartPlan } from '../plan/launch-plan.ts';
import { planLaunch } from './launch.ts';
import { loadTargetDescription } from '../plan/targets/load.ts';

const EXAMPLE_DIR = fileURLToPath(new URL('../../examples/fastapi-sqlalchemy', import.meta.url));
const FASTAPI = loadTargetDescription(`${EXAMPLE_DIR}/target.json`);
const trial = { workDir: '/tmp/trial-1', port: 41234 };

describe('planLaunch', () => {
  it('fills the FastAPI example for a trial, with a profile carried in its environment', () => {
    const plan = planLaunch(FASTAPI, { ...trial, settings: settingsToProcess(FASTAPI.description, profileSettings(FASTAPI.description, 'batched')) }) as StartPlan;
    expect(plan).toMatchObject({
      kind: 'start',
      command: '/usr/bin/python3',
      args: ['-m', 'uvicorn', 'app.main:app', '--host', '127.0.0.1', '--port', '41234', '--no-access-log'],
      cwd: EXAMPLE_DIR,
      env: { DATABASE_PATH: '/tmp/trial-1/marketplace.db', IMPORT_MODE: 'batched', IMPORT_BATCH_SIZE: '10', BUSY_TIMEOUT_MS: '10000' },
      baseUrl: 'http://127.0.0.1:41234',
      database: '/tmp/trial-1/marketplace.db',
      readyTimeoutMs: 30_000,
    });
    expect(plan.ready).toMatchObject({ kind: 'line', stream: 'stderr' });
  });

  it('carries the built-in target\'s settings as flags after its own arguments', () => {
    const plan = planLaunch(BUILTIN_TARGET, { ...trial, settings: settingsToProcess(BUILTIN_TARGET.description, profileSettings(BUILTIN_TARGET.description, 'seed-fix')) }) as StartPlan;
    expect(plan.command).toBe(process.execPath);
    expect(plan.args).toEqual([
      '--import', 'tsx', 'scripts/target.ts', '--port', '0', '--db', '/tmp/trial-1/target.db',
      '--import-mode', 'batched', '--batch-size', '10', '--scheduler', 'sqlite', '--connections', 'pooled', '--busy-timeout-ms', '10000',
    ]);
    expect(plan.cwd).toBe(fileURLToPath(new URL('../..', import.meta.url)).replace(/\/$/, ''));
  });

  it('turns a ready URL path into a URL on the base URL', () => {
    const start = { ...FASTAPI.description.start!, ready: { url: '/api/health' } };
    const plan = planLaunch({ ...FASTAPI, description: { ...FASTAPI.description, start } }, trial) as StartPlan;
    expect(plan.ready).toEqual({ kind: 'url', url: 'http://127.0.0.1:41234/api/health' });
  });

  it('starts nothing for a target given by URL', () => {
    const { start: _dropped, settings: _s, profiles: _p, ...rest } = FASTAPI.description;
    const description = { ...rest, settings: {}, profiles: {}, url: 'http://127.0.0.1:8000/', database: 'data/app.db' };
    expect(planLaunch({ ...FASTAPI, description }, trial)).toEqual({ kind: 'running', baseUrl: 'http://127.0.0.1:8000', database: `${EXAMPLE_DIR}/data/app.db` });
  });
});

describe('settingsToProcess', () => {
  it('rejects an unknown setting, naming the known ones', () => {
    expect(() => settingsToProcess(FASTAPI.description, { batch: 5 })).toThrow('unknown setting "batch" for target fastapi-sqlalchemy; known settings: importMode, batchSize, artifactWorkMs, busyTimeoutMs');
  });
  it('rejects a value the setting does not allow', () => {
    expect(() => settingsToProcess(FASTAPI.description, { batchSize: 2.5 })).toThrow('setting "batchSize": expected an integer >= 1, got 2.5');
    expect(() => settingsToProcess(FASTAPI.description, { importMode: 'staged' })).toThrow('expected one of monolithic, batched');
  });
  it('takes numbers given as text, as --vary passes them', () => {
    expect(settingsToProcess(FASTAPI.description, { batchSize: '25' })).toEqual({ env: { IMPORT_BATCH_SIZE: '25' }, args: [] });
  });
  it('names the profiles when one is missing', () => {
    expect(() => profileSettings(FASTAPI.description, 'staged')).toThrow('target fastapi-sqlalchemy has no profile "staged"; its profiles: monolithic, batched');
  });
});

/** A run's target: its options from the description, its trials and their settings. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { BUILTIN_TARGET, BUILTIN_TARGET_INPUT } from './targets/builtin.ts';
import { loadTargetDescription } from './targets/load.ts';
import { resolveRunOptions } from './options.ts';
import { isLoopbackUrl, plannedTarget } from './target.ts';
import { targetChecks } from '../run/target-checks.ts';
import { planTrials, profileTrials, trialSettings } from './trials.ts';

const FASTAPI_FILE = fileURLToPath(new URL('../../examples/fastapi-sqlalchemy/target.json', import.meta.url));
const FASTAPI = loadTargetDescription(FASTAPI_FILE);
/** A description with no routes for the built-in scenario: it runs only with its own workload. */
const SHOP_FILE = fileURLToPath(new URL('../../examples/django-shop/target.json', import.meta.url));
const SHOP_WORKLOAD = fileURLToPath(new URL('../../examples/django-shop/workload.yaml', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'lockbench-run-target-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A description of a target already running at `url`, with the built-in target's routes. */
function runningDescription(url: string): string {
  const { start: _start, settings: _settings, profiles: _profiles, ...routes } = BUILTIN_TARGET_INPUT;
  const file = join(dir, `running-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify({ ...routes, url, database: join(dir, 'running.db') }));
  return file;
}

describe('a run with --target', () => {
  it("runs the description's profiles and gates on those it marks gated", () => {
    const options = resolveRunOptions({ target: FASTAPI_FILE });
    expect(options).toMatchObject({ target: FASTAPI_FILE, profiles: ['monolithic', 'batched'], gated: ['batched'], settings: {} });
    expect(profileTrials(options, FASTAPI)).toEqual([
      { id: 'monolithic', profile: { name: 'monolithic' }, settings: {}, gated: false },
      { id: 'batched', profile: { name: 'batched' }, settings: {}, gated: true },
    ]);
  });

  it('types --set values by the description and puts them on every profile, under a trial\'s own settings', () => {
    const options = resolveRunOptions({ target: FASTAPI_FILE, settings: { artifactWorkMs: '5' } });
    expect(options.settings).toEqual({ artifactWorkMs: 5 });
    const [monolithic, batched] = profileTrials(options, FASTAPI);
    expect(trialSettings(monolithic!, options, FASTAPI)).toEqual({ importMode: 'monolithic', busyTimeoutMs: 30000, artifactWorkMs: 5 });
    expect(trialSettings({ ...batched!, settings: { batchSize: 25 } }, options, FASTAPI)).toEqual({
      importMode: 'batched',
      batchSize: 25,
      busyTimeoutMs: 10000,
      artifactWorkMs: 5,
    });
  });

  it("gives the built-in target its profile's flags and the run's work model, as before", () => {
    const options = resolveRunOptions({ prepareMs: 30, writeMs: 1 });
    const staged = profileTrials(options, BUILTIN_TARGET).find((t) => t.id === 'staged')!;
    expect(trialSettings(staged, options)).toEqual({
      importMode: 'staged',
      batchSize: 10,
      scheduler: 'fifo',
      connections: 'pooled',
      busyTimeoutMs: 10000,
      prepareMs: 30,
      writeMs: 1,
    });
  });

  it("turns a sweep plan's trials into trials of the target, each point on its base profile", () => {
    const trials = planTrials(FASTAPI, { base: 'batched', trials: [{ id: 'batchSize-5.r1', settings: { batchSize: 5, importMode: undefined } }] }, true);
    expect(trials).toEqual([{ id: 'batchSize-5.r1', profile: { name: 'batched' }, settings: { batchSize: 5 }, gated: true }]);
    expect(() => planTrials(FASTAPI, { base: 'batched', trials: [{ id: 'x', settings: { batchSiz: 5 } }] }, true)).toThrow(/unknown setting "batchSiz"/);
  });

  it('runs a description without the built-in scenario\'s routes with its own workload', () => {
    expect(resolveRunOptions({ target: SHOP_FILE, workload: SHOP_WORKLOAD })).toMatchObject({ target: SHOP_FILE, workload: SHOP_WORKLOAD, gated: ['wal-immediate'] });
  });

  it('runs a target without profiles once, as it is', () => {
    const options = resolveRunOptions({ target: runningDescription('http://127.0.0.1:9') });
    expect(options).toMatchObject({ profiles: ['as-is'], gated: [] });
  });

  it.each([
    [{ target: join(dir, 'missing.json') }, /^--target: .*missing\.json: not a valid target description:\n {2}\(file\): cannot be read: ENOENT/],
    [{ target: FASTAPI_FILE, profiles: ['before'] }, /^--profiles: unknown profile "before"; expected some of monolithic, batched$/],
    [{ target: FASTAPI_FILE, imports: 9 }, /^--imports: expected an integer from 1 to 8, got 9$/],
    [{ target: FASTAPI_FILE, driver: 'k6' as const }, /^--driver: k6 drives only the built-in target/],
    [{ target: FASTAPI_FILE, scenario: 'smoke' as const }, /^--scenario: the smoke check reads the built-in target's own routes/],
    [{ target: FASTAPI_FILE, settings: { batchSize: 0 } }, /^--set: setting "batchSize": expected an integer >= 1, got 0$/],
    [{ target: FASTAPI_FILE, settings: { batchSiz: 1 } }, /^--set: unknown setting "batchSiz" for target fastapi-sqlalchemy/],
    [{ target: SHOP_FILE }, /^--workload: missing: the target description .*django-shop\/target\.json gives no "requests" and "seeded" .* so it runs only with the app's own --workload$/],
  ])('rejects %o naming the flag', (input, message) => {
    expect(() => resolveRunOptions(input)).toThrow(message);
  });

  it('refuses a running target on another host unless --allow-remote-target, saying why', () => {
    const remote = runningDescription('http://192.0.2.10:8000');
    expect(() => resolveRunOptions({ target: remote })).toThrow(
      /^--target: http:\/\/192\.0\.2\.10:8000\/? is not on this machine: lockbench sends its load only to 127\.0\.0\.1, and the lock observer watches the database file, which must be on this host; pass --allow-remote-target/,
    );
    expect(resolveRunOptions({ target: remote, allowRemoteTarget: true }).allowRemoteTarget).toBe(true);
  });

  it.each([
    ['http://127.0.0.1:8000', true],
    ['http://127.1.2.3/', true],
    ['http://localhost:3000', true],
    ['http://[::1]:8000', true],
    ['http://10.0.0.5:8000', false],
    ['http://example.com', false],
  ])('%s is on this machine: %s', (url, loopback) => {
    expect(isLoopbackUrl(url)).toBe(loopback);
  });
});

describe('the kind of target the plan hands over', () => {
  it('is decided once: lockbench\'s own target is built-in, a description\'s is described', () => {
    expect(plannedTarget(BUILTIN_TARGET).kind).toBe('builtin');
    expect(plannedTarget(FASTAPI).kind).toBe('described');
  });
});

describe('what a target cannot give, noted as codes', () => {
  it('notes nothing for the built-in target, and the missing lock figures of the FastAPI example', () => {
    expect(targetChecks(plannedTarget(BUILTIN_TARGET)).notes).toEqual([]);
    expect(targetChecks(plannedTarget(FASTAPI)).notes).toEqual([{ code: 'target-reports-no-locks', target: 'fastapi-sqlalchemy' }]);
  });

  it('notes each check a description without its SQL cannot run', () => {
    const bare = { ...FASTAPI, description: { ...FASTAPI.description, sql: {} } };
    expect(targetChecks(plannedTarget(bare)).notes).toEqual([
      { code: 'target-reports-no-locks', target: 'fastapi-sqlalchemy' },
      { code: 'no-workflow-write' },
      { code: 'no-artifacts-per-source' },
    ]);
  });
});

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { concurrentConfig } from '../../../../scenarios/lib/config.ts';
import { DEFAULT_IMPORTS } from '../../../../scenarios/lib/defaults.ts';
import { ALLOW_REMOTE_TARGET, envBaseUrl } from '../../../../scenarios/lib/env.ts';
import { parse as parseYaml } from 'yaml';
import { archiveEnv, DEFAULT_ARCHIVE_FILE, k6ArchiveArgs } from './archive.ts';
import { k6Script } from './driver.ts';

const REMOTE = 'http://lockbench-target.load.svc:3000';

describe('the scripts\' BASE_URL', () => {
  it('is on this machine by default', () => {
    for (const url of ['http://127.0.0.1:3000', 'http://localhost:8080/', 'http://[::1]:3000']) {
      expect(envBaseUrl({ BASE_URL: url }, 'BASE_URL', '')).toBe(url.replace(/\/$/, ''));
    }
  });

  it('refuses another machine without the opt-in, saying why and how to opt in', () => {
    for (const url of [REMOTE, 'http://10.0.0.7:3000', 'https://example.com']) {
      expect(() => envBaseUrl({ BASE_URL: url }, 'BASE_URL', '')).toThrow(/is not this machine.*ALLOW_REMOTE_TARGET=1.*--allow-remote-target/s);
    }
  });

  it('accepts another machine with ALLOW_REMOTE_TARGET=1 or true', () => {
    expect(envBaseUrl({ BASE_URL: `${REMOTE}/`, [ALLOW_REMOTE_TARGET]: '1' }, 'BASE_URL', '')).toBe(REMOTE);
    expect(envBaseUrl({ BASE_URL: 'https://example.com', [ALLOW_REMOTE_TARGET]: 'true' }, 'BASE_URL', '')).toBe('https://example.com');
    expect(() => envBaseUrl({ BASE_URL: REMOTE, [ALLOW_REMOTE_TARGET]: '0' }, 'BASE_URL', '')).toThrow(/not this machine/);
  });

  it('rejects a malformed URL or opt-in value whatever the opt-in', () => {
    expect(() => envBaseUrl({ BASE_URL: 'ftp://127.0.0.1', [ALLOW_REMOTE_TARGET]: '1' }, 'BASE_URL', '')).toThrow(/expected http:\/\/HOST:PORT/);
    expect(() => envBaseUrl({ BASE_URL: `${REMOTE}/api`, [ALLOW_REMOTE_TARGET]: '1' }, 'BASE_URL', '')).toThrow(/without a path/);
    expect(() => envBaseUrl({ BASE_URL: REMOTE, [ALLOW_REMOTE_TARGET]: 'yes' }, 'BASE_URL', '')).toThrow(/ALLOW_REMOTE_TARGET="yes" is not valid/);
  });
});

describe('archiveEnv', () => {
  it('holds every setting of the concurrent scenario, the defaults where none is given', () => {
    const env = archiveEnv({ baseUrl: 'http://127.0.0.1:3000', imports: 4 });
    expect(env).toMatchObject({ BASE_URL: 'http://127.0.0.1:3000', IMPORTS: '4', ARTIFACTS: '100', CATALOG_RATE: '20' });
    expect(env).not.toHaveProperty(ALLOW_REMOTE_TARGET);
    expect(concurrentConfig(env).imports).toBe(4);
    expect(archiveEnv({ baseUrl: 'http://127.0.0.1:3000' }).IMPORTS).toBe(String(DEFAULT_IMPORTS));
  });

  it('carries the remote opt-in into the archive only when asked', () => {
    expect(() => archiveEnv({ baseUrl: REMOTE })).toThrow(/not this machine/);
    expect(archiveEnv({ baseUrl: REMOTE, allowRemoteTarget: true })).toMatchObject({ BASE_URL: REMOTE, [ALLOW_REMOTE_TARGET]: '1' });
  });

  it('fails on an invalid setting, naming its variable', () => {
    expect(() => archiveEnv({ baseUrl: 'http://127.0.0.1:3000', maxDuration: 'soon' })).toThrow(/MAX_DURATION="soon"/);
  });
});

describe('k6ArchiveArgs', () => {
  it('archives scenarios/concurrent.ts with the settings as -e pairs and none of the shell\'s environment', () => {
    const args = k6ArchiveArgs({ BASE_URL: REMOTE, ALLOW_REMOTE_TARGET: '1' }, '/tmp/out.tar');
    expect(args.slice(0, 4)).toEqual(['archive', '--include-system-env-vars=false', '-O', '/tmp/out.tar']);
    expect(args).toEqual(expect.arrayContaining(['-e', `BASE_URL=${REMOTE}`, '-e', 'ALLOW_REMOTE_TARGET=1']));
    expect(args.at(-1)).toBe(k6Script('concurrent'));
  });
});

describe('deploy/k6-operator/testrun.yaml', () => {
  const manifest = parseYaml(readFileSync(new URL('../../../../deploy/k6-operator/testrun.yaml', import.meta.url), 'utf8')) as {
    apiVersion: string;
    kind: string;
    spec: { parallelism: number; script: { configMap: { name: string; file: string } } };
  };

  it('is a k6-operator TestRun of several runners running the archive k6:archive writes', () => {
    expect(manifest.apiVersion).toBe('k6.io/v1alpha1');
    expect(manifest.kind).toBe('TestRun');
    expect(manifest.spec.parallelism).toBeGreaterThan(1);
    expect(manifest.spec.script.configMap.file).toBe(DEFAULT_ARCHIVE_FILE);
  });
});

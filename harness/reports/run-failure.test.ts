import { describe, expect, it } from 'vitest';
import { INSTALL_K6_HELP } from '../run/drivers/k6/find.ts';
import { renderRunFailure, SHOWN_OUTPUT_LINES } from './run-failure.ts';

const traceback = Array.from({ length: 25 }, (_, i) => `  File "uvicorn/importer.py", line ${i}`);

describe('renderRunFailure', () => {
  it('says once that a server exited during start-up, with its exit code, its last lines and where its log is', () => {
    const text = renderRunFailure('scenario:concurrent', {
      code: 'target-did-not-start',
      trial: 'monolithic',
      start: { kind: 'exited', code: 1, signal: null },
      outputTail: [...traceback, "ModuleNotFoundError: No module named 'app'"],
      logFile: 'reports/x/target-monolithic.log',
    });
    expect(text).toMatch(/^scenario:concurrent: no verdict: the target of trial monolithic exited during start-up \(exit code 1\)\.\n/);
    expect(text).toContain("  ModuleNotFoundError: No module named 'app'\n");
    expect(text.split('\n').filter((l) => l.includes('uvicorn/importer.py'))).toHaveLength(SHOWN_OUTPUT_LINES - 1);
    expect(text).toContain('Its log: reports/x/target-monolithic.log\n');
    expect(text).toMatch(/no report was written \(exit 3\)\.\n$/);
    expect(text).not.toMatch(/FAIL|criteria/);
  });

  it('names the command that does not exist, and no empty log', () => {
    const text = renderRunFailure('scenario:concurrent', {
      code: 'target-did-not-start',
      trial: 'batched',
      start: { kind: 'spawn-failed', command: '/usr/bin/python', cwd: '/app', error: 'spawn /usr/bin/python ENOENT', cwdMissing: false },
      outputTail: [],
      logFile: 'reports/x/target-batched.log',
    });
    expect(text).toContain('could not be started: /usr/bin/python: spawn /usr/bin/python ENOENT (check "command" in the target description)');
    expect(text).not.toContain('Its log');
  });

  it('gives the k6 install routes once', () => {
    const text = renderRunFailure('scenario:concurrent', { code: 'driver-unavailable', driver: 'k6', message: `no k6 on PATH.\n${INSTALL_K6_HELP}` });
    expect(text.split('grafana/setup-k6-action')).toHaveLength(2);
    expect(text).not.toMatch(/FAIL/);
  });

  it('says a server that never became ready was not ready in time, and where its log is', () => {
    const text = renderRunFailure('scenario:sweep', {
      code: 'target-did-not-start',
      trial: 'batchSize-10.r1',
      start: { kind: 'not-ready', timeoutMs: 30_000, waitedFor: 'ready line' },
      outputTail: [],
      logFile: 'reports/x/target-batchSize-10.r1.log',
    });
    expect(text).toBe(
      'scenario:sweep: no verdict: the target of trial batchSize-10.r1 was not ready within 30,000 ms (no ready line).\n' +
        'It wrote nothing.\nIts log: reports/x/target-batchSize-10.r1.log\nNothing was judged and no report was written (exit 3).\n',
    );
  });
});


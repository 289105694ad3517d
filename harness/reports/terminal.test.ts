import { describe, expect, it } from 'vitest';
import { renderTerminal } from './terminal.ts';
import { recordedResults, withGatedFailure } from './testing.ts';

describe('renderTerminal', () => {
  const text = renderTerminal(recordedResults());
  const lines = text.split('\n');

  it('puts criterion, threshold, one column per profile and the gate side by side', () => {
    const header = lines.find((l) => l.startsWith('criterion'))!;
    expect(header.split(/\s{2,}/)).toEqual(['criterion', 'threshold', 'before', 'seed-fix', 'staged (gated)', 'gate']);
  });

  it('shows each measured figure with its verdict', () => {
    const lockHold = lines.find((l) => l.startsWith('lock-hold'))!;
    expect(lockHold).toMatch(/^lock-hold\s+< 500 ms\s+3,619 ms FAIL\s+337 ms pass\s+14\.4 ms pass\s+pass$/);
    expect(lines.find((l) => l.startsWith('no-loss'))).toMatch(/500 \/ 500 rows pass\s+pass$/);
  });

  it('ends with the gate verdict', () => {
    expect(text.trimEnd().split('\n').at(-1)).toBe('gate (staged): PASS');
    expect(renderTerminal(withGatedFailure('catalog-p99')).trimEnd().split('\n').at(-1)).toBe('gate (staged): FAIL');
  });

  it('marks an interrupted run incomplete', () => {
    const results = { ...recordedResults(), complete: false, incompleteReason: 'interrupted (SIGINT/SIGTERM)' };
    expect(renderTerminal(results)).toContain('INCOMPLETE: interrupted (SIGINT/SIGTERM); figures are what was measured.');
  });
});

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
    expect(lockHold).toMatch(/^lock-hold\s+< 500 ms\s+3,058 ms FAIL\s+320 ms pass\s+13\.4 ms pass\s+pass$/);
    expect(lines.find((l) => l.startsWith('no-loss'))).toMatch(/500 \/ 500 rows pass\s+pass$/);
  });

  it('shows the judged in-window latency beside the whole run, with the samples each rests on', () => {
    expect(lines.find((l) => l.startsWith('latency'))!.split(/\s{2,}/)).toEqual([
      'latency (import window: first import request sent to last answer)',
      'before',
      'seed-fix',
      'staged',
    ]);
    expect(lines.find((l) => l.startsWith('catalog p50 / p99 in import window'))).toMatch(/judged\s+.*\s3\.0 ms \/ 62\.0 ms \(61\)$/);
    expect(lines.find((l) => l.startsWith('catalog p50 / p99 whole run'))).toMatch(/\s2\.7 ms \/ 38\.3 ms \(401\)$/);
    expect(lines.find((l) => l.startsWith('workflow write p99 in import window'))).toMatch(/\s65\.2 ms \(61\)$/);
    expect(lines.find((l) => l.startsWith('workflow write p99 whole run'))).toMatch(/\s36\.0 ms \(423\)$/);
  });

  it('leaves the latency table out when no criterion judges in-window latency (the smoke check)', () => {
    const smoke = recordedResults();
    for (const profile of smoke.profiles) profile.criteria = profile.criteria.filter((c) => ['lock-hold', 'success', 'no-loss'].includes(c.id));
    const text = renderTerminal({ ...smoke, scenario: 'smoke' });
    expect(text).not.toContain('latency (import window');
    expect(text).not.toContain('catalog p50 / p99 in import window');
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

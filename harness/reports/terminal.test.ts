import { describe, expect, it } from 'vitest';
import { renderTerminal } from './terminal.ts';
import { recordedResults, withCrossCheckFault, withGatedFailure, withInterruptedRun, withObserverUnavailable } from './testing.ts';

const cells = (line: string | undefined) => line!.split(/\s{2,}/);

describe('renderTerminal', () => {
  const text = renderTerminal(recordedResults());
  const lines = text.split('\n');

  it('puts criterion, threshold, one column per profile and the gate side by side', () => {
    const header = lines.find((l) => l.startsWith('criterion'))!;
    expect(header.split(/\s{2,}/)).toEqual(['criterion', 'threshold', 'before', 'seed-fix', 'staged (gated)', 'gate']);
  });

  it('shows each measured figure with its verdict, and where the lock-hold figure came from', () => {
    const lockHold = lines.find((l) => l.startsWith('lock-hold'))!;
    expect(lockHold).toMatch(/^lock-hold\s+< 500 ms\s+3,049 ms \(observed\) FAIL\s+308 ms \(observed\) pass\s+14\.0 ms \(observed\) pass\s+pass$/);
    expect(lines.find((l) => l.startsWith('no-loss'))).toMatch(/500 \/ 500 rows pass\s+pass$/);
  });

  it('shows the judged in-window latency beside the whole run, with the samples each rests on', () => {
    expect(cells(lines.find((l) => l.startsWith('latency')))).toEqual([
      'latency (import window: first import request sent to last answer)',
      'before',
      'seed-fix',
      'staged',
    ]);
    expect(lines.find((l) => l.startsWith('catalog p50 / p99 in import window'))).toMatch(/judged\s+.*\s2\.8 ms \/ 55\.5 ms \(61\)$/);
    expect(lines.find((l) => l.startsWith('catalog p50 / p99 whole run'))).toMatch(/\s2\.4 ms \/ 40\.9 ms \(401\)$/);
    expect(lines.find((l) => l.startsWith('workflow write p99 in import window'))).toMatch(/\s80\.5 ms \(61\)$/);
    expect(lines.find((l) => l.startsWith('workflow write p99 whole run'))).toMatch(/\s35\.1 ms \(426\)$/);
  });

  it('leads with the verdict and says what each profile found in a sentence', () => {
    expect(lines[0]).toMatch(/^lockbench concurrent: PASS \(gate: staged\); 3 profile\(s\) in .*, measured by the k6 2\.2\.0, 2 CPUs$/);
    expect(lines.find((l) => l.startsWith('before misses'))).toMatch(/the longest write-lock hold was 3,049 ms \(observed\), the imports took [\d,]+ ms/);
    expect(lines.find((l) => l.startsWith('staged meets every criterion'))).toContain('14.0 ms (observed)');
  });

  it('says in one line whether the observer and the holders agree; the figures themselves are in summary.md', () => {
    expect(lines.find((l) => l.startsWith('lock observer vs self-reported'))).toBe(
      'lock observer vs self-reported figures (reported, not gating): before agree, seed-fix agree, staged agree; details in summary.md',
    );
    expect(text).not.toContain('holds >= 5 ms + one gap');
  });

  it('marks an instrumentation fault where it is, without failing the gate', () => {
    const faulty = renderTerminal(withCrossCheckFault()).split('\n');
    expect(faulty.find((l) => l.startsWith('lock observer vs self-reported'))).toContain('staged FAULT');
    expect(faulty.at(-2)).toBe('gate (staged): PASS');
  });

  it('labels lock-hold as self-reported and says why when the observer could not run', () => {
    const fallback = renderTerminal(withObserverUnavailable());
    expect(fallback).toMatch(/^lock-hold\s+< 500 ms\s+3,050 ms \(self-reported\) FAIL\s+308 ms \(self-reported\) pass\s+13\.9 ms \(self-reported\) pass\s+pass$/m);
    expect(fallback).toContain('before not checked, seed-fix not checked, staged not checked');
    expect(fallback).toContain(
      'staged: lock-hold judged on the SELF-REPORTED max hold (13.9 ms), not observed from outside: the lock observer could not start: UNSUPPORTED_PLATFORM',
    );
  });

  it('leaves the latency table out when no criterion judges in-window latency (the smoke check)', () => {
    const smoke = recordedResults();
    for (const profile of smoke.profiles) profile.criteria = profile.criteria.filter((c) => ['lock-hold', 'success', 'no-loss'].includes(c.id));
    const text = renderTerminal({ ...smoke, scenario: 'smoke' });
    expect(text).not.toContain('latency (import window');
    expect(text).not.toContain('catalog p50 / p99 in import window');
  });

  it('leaves the cross-check line out for a run that never reached an observer', () => {
    const early = recordedResults();
    for (const profile of early.profiles) profile.observed = null;
    expect(renderTerminal(early)).not.toContain('lock observer vs self-reported');
  });

  it('ends with the gate verdict', () => {
    expect(text.trimEnd().split('\n').at(-1)).toBe('gate (staged): PASS');
    expect(renderTerminal(withGatedFailure('catalog-p99')).trimEnd().split('\n').at(-1)).toBe('gate (staged): FAIL');
  });

  it('marks an interrupted run incomplete', () => {
    const results = { ...recordedResults(), complete: false, incompleteReason: 'interrupted (SIGINT/SIGTERM)' };
    expect(renderTerminal(results)).toContain('INCOMPLETE: interrupted (SIGINT/SIGTERM); figures are what was measured.');
  });

  describe('an interrupted run', () => {
    const interrupted = renderTerminal(withInterruptedRun()).split('\n');

    it('says INCOMPLETE and no verdict first, with how many profiles ran to the end, and never FAIL', () => {
      expect(interrupted[0]).toMatch(/^lockbench concurrent: INCOMPLETE, no verdict: interrupted \(SIGINT\/SIGTERM\); gate: staged; 0 of 3 profile\(s\) ran to the end in /);
      expect(interrupted.join('\n')).not.toMatch(/FAIL/);
      expect(interrupted.at(-2)).toBe('gate (staged): no verdict (INCOMPLETE: interrupted (SIGINT/SIGTERM))');
    });

    it('shows partial figures as not measured and profiles that never ran as not run, with no pass beside them', () => {
      expect(cells(interrupted.find((l) => l.startsWith('import-wall')))).toEqual(['import-wall', '< 4,000 ms', 'not measured (partial run)', 'not run', 'not run', 'no verdict']);
      expect(interrupted.filter((l) => /\bpass\b/.test(l))).toEqual([]);
    });

    it('counts apart the requests the stop cut off, gives the rows without comparing them, and the file check on its own', () => {
      const before = interrupted.find((l) => l.startsWith('  before:'))!;
      expect(before).toContain('125 requests, 115 succeeded, 0 failed, 10 cut off by the stop;');
      expect(before).toContain('200 rows stored and 0 acknowledged when it stopped (not compared: the run was cut short); integrity_check ok');
      expect(before).not.toMatch(/NOT OK/);
    });

    it('does not say the lock figures agree for a profile cut short', () => {
      expect(interrupted.find((l) => l.startsWith('lock observer vs self-reported'))).toContain('before not checked');
    });
  });
});


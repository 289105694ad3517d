import { describe, expect, it } from 'vitest';
import { renderTerminal } from './terminal.ts';
import { recordedDefaultRun, withCrossCheckFault, withGatedFailure, withInterruptedRun, withObserverUnavailable } from './testing.ts';

const cells = (line: string | undefined) => line!.split(/\s{2,}/);

describe('renderTerminal', () => {
  const text = renderTerminal(recordedDefaultRun());
  const lines = text.split('\n');

  it('puts criterion, threshold, one column per profile and the gate side by side', () => {
    const header = lines.find((l) => l.startsWith('criterion'))!;
    expect(header.split(/\s{2,}/)).toEqual(['criterion', 'threshold', 'before', 'staged (gated)', 'gate']);
  });

  it('shows each measured figure with its verdict, and where the lock figures came from', () => {
    expect(cells(lines.find((l) => l.startsWith('lock-hold')))).toEqual(['lock-hold', '< 500 ms', '1,498 ms FAIL', '19.2 ms pass', 'pass']);
    expect(lines.find((l) => l.startsWith('no-loss'))).toMatch(/200 rows of 200 acknowledged pass\s+pass$/);
    expect(lines).toContain('before: lock figures from the external observer (every holder)');
    expect(lines).toContain('staged: lock figures from the external observer (every holder)');
  });

  it('shows the judged in-window latency beside the whole run, with the samples each rests on', () => {
    expect(cells(lines.find((l) => l.startsWith('latency judged inside a window')))).toEqual(['latency judged inside a window, beside the whole run', 'before', 'staged']);
    expect(lines.find((l) => l.startsWith('catalog-p99: catalog p50 / p99 in the imports window'))).toMatch(/judged\s+2,147 ms \/ 6,388 ms \(132\)\s+4\.1 ms \/ 60\.4 ms \(25\)$/);
    expect(lines.find((l) => l.startsWith('catalog p50 / p99 whole run'))).toMatch(/\s3\.8 ms \/ 56\.4 ms \(46\)$/);
    expect(lines.find((l) => l.startsWith('workflow-p99: workflow p50 / p99 in the imports window'))).toMatch(/\s1\.6 ms \/ 75\.9 ms \(25\)$/);
    expect(lines.find((l) => l.startsWith('workflow p50 / p99 whole run'))).toMatch(/\s1\.4 ms \/ 69\.3 ms \(51\)$/);
  });

  it('leads with the verdict, and gives each profile its verdict on every criterion', () => {
    expect(lines[0]).toMatch(/^lockbench concurrent: PASS \(gate: staged\); 2 profile\(s\) in .*, measured by the builtin driver \(undici 7\.30\.2\), 2 CPUs$/);
    const criteria = lines.slice(lines.findIndex((l) => l.startsWith('criterion')) + 2, lines.indexOf('', 2));
    expect(criteria.map((l) => cells(l)[0])).toEqual(['lock-hold', 'import-wall', 'catalog-p99', 'success', 'workflow-p99', 'no-loss']);
    // before misses every criterion but success and no-loss; staged meets every one.
    expect(criteria.map((l) => cells(l)[2]!.endsWith('FAIL'))).toEqual([true, true, true, false, true, false]);
    expect(criteria.every((l) => cells(l)[3]!.endsWith(' pass'))).toBe(true);
  });

  it('says in one line whether the observer and the holders agree; the figures themselves are in summary.md', () => {
    expect(lines.find((l) => l.startsWith('lock observer vs self-reported'))).toBe(
      'lock observer vs self-reported figures (reported, not gating): before agree, staged agree; details in summary.md',
    );
    expect(text).not.toContain('holds >= 5 ms + one gap');
  });

  it('marks an instrumentation fault where it is, without failing the gate', () => {
    const faulty = renderTerminal(withCrossCheckFault()).split('\n');
    expect(faulty.find((l) => l.startsWith('lock observer vs self-reported'))).toContain('staged FAULT');
    expect(faulty.at(-2)).toBe('gate (staged): PASS');
  });

  it('says the lock figures are self-reported, and why, when the observer could not run', () => {
    const fallback = renderTerminal(withObserverUnavailable());
    expect(fallback).toMatch(/^lock-hold\s+< 500 ms\s+1,498 ms FAIL\s+19\.6 ms pass\s+pass$/m);
    expect(fallback).toContain('before not checked, staged not checked');
    expect(fallback).toContain('staged: lock figures self-reported by the holders (the observer did not watch): the target\'s own and the side writers\' holds');
  });

  it('leaves the windowed latency table out when no criterion judges latency inside a window (the smoke check)', () => {
    const smoke = recordedDefaultRun();
    for (const profile of smoke.profiles) profile.workload!.criteria = profile.workload!.criteria.filter((c) => ['lock-hold', 'success', 'no-loss'].includes(c.id));
    const text = renderTerminal({ ...smoke, scenario: 'smoke' });
    expect(text).not.toContain('latency judged inside a window');
    expect(text).not.toContain('in the imports window');
  });

  it('leaves the cross-check line out for a run that never reached an observer', () => {
    const early = recordedDefaultRun();
    for (const profile of early.profiles) profile.observed = null;
    expect(renderTerminal(early)).not.toContain('lock observer vs self-reported');
  });

  it('ends with the gate verdict', () => {
    expect(text.trimEnd().split('\n').at(-1)).toBe('gate (staged): PASS');
    expect(renderTerminal(withGatedFailure('catalog-p99')).trimEnd().split('\n').at(-1)).toBe('gate (staged): FAIL');
  });

  it('marks an interrupted run incomplete', () => {
    const results = { ...recordedDefaultRun(), complete: false, incompleteReason: 'interrupted (SIGINT/SIGTERM)' };
    expect(renderTerminal(results)).toContain('INCOMPLETE: interrupted (SIGINT/SIGTERM); figures are what was measured.');
  });

  describe('an interrupted run', () => {
    const interrupted = renderTerminal(withInterruptedRun()).split('\n');

    it('says INCOMPLETE and no verdict first, with how many profiles ran to the end, and never FAIL', () => {
      expect(interrupted[0]).toMatch(/^lockbench concurrent: INCOMPLETE, no verdict: interrupted \(SIGINT\/SIGTERM\); gate: staged; 0 of 2 profile\(s\) ran to the end in /);
      expect(interrupted.join('\n')).not.toMatch(/FAIL/);
      expect(interrupted.at(-2)).toBe('gate (staged): no verdict (INCOMPLETE: interrupted (SIGINT/SIGTERM))');
    });

    it('shows partial figures as not measured and profiles that never ran as not run, with no pass beside them', () => {
      expect(cells(interrupted.find((l) => l.startsWith('import-wall')))).toEqual(['import-wall', '< 4,000 ms', 'not measured (partial run)', 'not run', 'no verdict']);
      expect(interrupted.filter((l) => /\bpass\b/.test(l))).toEqual([]);
    });

    it('gives the rows without comparing them, and the file check on its own', () => {
      expect(interrupted).toContain('before: integrity: rows not compared with what was acknowledged (the run was cut short); PRAGMA integrity_check ok');
      expect(interrupted.join('\n')).not.toMatch(/NOT OK/);
    });

    it('does not say the lock figures agree for a profile cut short', () => {
      expect(interrupted.find((l) => l.startsWith('lock observer vs self-reported'))).toContain('before not checked');
    });
  });
});

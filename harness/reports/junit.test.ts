import { describe, expect, it } from 'vitest';
import { renderJunit } from './junit.ts';
import { recordedResults, withGatedFailure } from './testing.ts';

const count = (xml: string, tag: string) => xml.split(`<${tag}`).length - 1;

describe('renderJunit', () => {
  it('has one test case per criterion of each gated profile only', () => {
    const xml = renderJunit(recordedResults());
    expect(count(xml, 'testsuite ')).toBe(1);
    expect(xml).toContain('<testsuite name="lockbench.concurrent.staged" tests="6" failures="0"');
    expect(count(xml, 'testcase ')).toBe(6);
    expect(count(xml, 'failure ')).toBe(0);
    expect(xml).not.toContain('lockbench.concurrent.before');
  });

  it('fails the case of a failed criterion with the measured figure and escapes XML', () => {
    const xml = renderJunit(withGatedFailure('workflow-p99'));
    expect(xml).toContain('failures="1"');
    expect(xml).toContain('<failure message="measured 4,321 ms, expected &lt; 1,000 ms">');
  });

  it('fails every case of a gated profile that did not complete', () => {
    const results = recordedResults();
    const staged = results.profiles.find((p) => p.gated)!;
    staged.status = 'incomplete';
    staged.error = 'interrupted';
    const xml = renderJunit(results);
    expect(count(xml, 'failure ')).toBe(6);
    expect(xml).toContain('message="profile incomplete: interrupted"');
  });
});

import { describe, expect, it } from 'vitest';
import { RUN_DEFAULTS } from '../../harness/plan/options.ts';
import { addLoadOptions, LOAD_OPTION_KEYS, loadOptionsFrom, runProgram } from './cli.ts';

function parsed(argv: string[]) {
  const program = addLoadOptions(runProgram('test', 'test'));
  program.parse(argv, { from: 'user' });
  return { program, input: loadOptionsFrom(program, LOAD_OPTION_KEYS) };
}

describe('the load flags', () => {
  it('apply no default of their own: a flag left out reaches the plan undefined', () => {
    expect(parsed([]).input).toEqual({});
  });

  it('pass on what the user gave, --no-observer and the renamed --k6 and --report-dir included', () => {
    expect(parsed(['--imports', '3', '--no-observer', '--k6', '/bin/k6', '--report-dir', 'out']).input).toEqual({
      imports: 3,
      observer: false,
      k6Path: '/bin/k6',
      reportRoot: 'out',
    });
  });

  it("show the plan's defaults in --help", () => {
    const help = parsed([]).program.helpInformation({ error: false });
    expect(help.replace(/\s+/g, ' ')).toContain(`(default: ${RUN_DEFAULTS.imports})`);
    expect(help.replace(/\s+/g, ' ')).toContain(`(choices: "builtin", "k6", default: "${RUN_DEFAULTS.driver}")`);
    expect(help.replace(/\s+/g, ' ')).toContain(`(default: ${JSON.stringify(RUN_DEFAULTS.maxDuration)})`);
    expect(help.replace(/\s+/g, ' ')).toContain(`(default: ${RUN_DEFAULTS.observerIntervalUs})`);
  });
});

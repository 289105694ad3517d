/**
 * The command every lockbench CLI builds on: errors through exceptions (exit codes are the command's),
 * no stray arguments, and one hint for the commonest slip with npm scripts: flags written before `--`
 * go to npm, not to the command. npm then either passes a flag's value on as a stray argument
 * (`too many arguments`) or keeps `--flag=value` as its own setting, and the command never sees it.
 */
import { Command, Help, type ErrorOptions, type Option, type ParseOptions } from 'commander';
import { EXIT } from './exit.ts';
/** npm passes the settings it took from its command line to the script as these variables. */
const NPM_CONFIG_PREFIX = 'npm_config_';
/** The long flags npm has a setting of its own for: never taken for a slip. */
const NPM_OWN_SETTINGS: ReadonlySet<string> = new Set(['json', 'help', 'version']);

/** A flag npm kept as its own setting: `value` is "true" when npm read it as a switch. */
export interface TakenFlag {
  flag: string;
  value: string;
  /** The command's flag takes a value (so npm passed that value on as a stray argument). */
  takesValue: boolean;
}

/** The flags of `program` that npm kept as its settings (`--profiles=before` before the `--`), with their values. */
export function flagsTakenByNpm(program: Command, env: NodeJS.ProcessEnv = process.env): TakenFlag[] {
  if (env.npm_lifecycle_event === undefined) return [];
  const taken: TakenFlag[] = [];
  for (const option of program.options) {
    const name = option.long?.replace(/^--(no-)?/, '');
    if (name === undefined || NPM_OWN_SETTINGS.has(name)) continue;
    const value = env[`${NPM_CONFIG_PREFIX}${name.replace(/-/g, '_')}`];
    if (value !== undefined) taken.push({ flag: option.long!, value, takesValue: option.required || option.optional });
  }
  return taken;
}

/** What the user meant to type: the same flags and arguments after `--`. */
export function dashDashHint(script: string, taken: readonly TakenFlag[], stray: readonly string[]): string {
  const rest = [...stray];
  const words: string[] = [];
  for (const { flag, value, takesValue } of taken) {
    // A flag npm read as a switch had its value passed on as the next stray argument: put them back together.
    if (value !== 'true') words.push(flag, value);
    else if (takesValue && rest.length > 0) words.push(flag, rest.shift()!);
    else words.push(flag);
  }
  words.push(...rest);
  return `flags go after \`--\`: npm run ${script} -- ${words.length > 0 ? words.join(' ') : '--help'}`;
}

/** The defaults `--help` shows for options whose default the plan applies (commander applies none of them). */
const shownDefaults = new WeakMap<Option, unknown>();

/**
 * Shows `value` as the option's default in `--help`, as commander's own `.default()` would, without
 * applying it: an option left out stays undefined, and the plan (harness/plan/options.ts) applies its
 * named default, the one place that does.
 */
export function showDefault<O extends Option>(option: O, value: unknown): O {
  shownDefaults.set(option, value);
  return option;
}

class LockbenchHelp extends Help {
  override optionDescription(option: Option): string {
    if (!shownDefaults.has(option)) return super.optionDescription(option);
    // A copy that carries the default for the text alone; the option itself keeps none.
    const shown = Object.assign(Object.create(Object.getPrototypeOf(option) as object) as Option, option, { defaultValue: shownDefaults.get(option) });
    return super.optionDescription(shown);
  }
}

class LockbenchCommand extends Command {
  private stray: readonly string[] = [];

  override createHelp(): Help {
    return Object.assign(new LockbenchHelp(), this.configureHelp());
  }

  override parse(argv?: readonly string[], options?: ParseOptions): this {
    const taken = flagsTakenByNpm(this);
    if (taken.length > 0) {
      // The words that are no flag of the command: what npm passed on. After node and the script unless `from: 'user'`.
      this.stray = this.parseOptions([...(options?.from === 'user' ? (argv ?? []) : (argv ?? process.argv).slice(2))]).operands;
      const list = taken.map((t) => (t.value === 'true' ? t.flag : `${t.flag}=${t.value}`)).join(', ');
      this.error(`error: npm took ${list} as its own setting${taken.length > 1 ? 's' : ''}, so ${this.name()} never saw ${taken.length > 1 ? 'them' : 'it'}`, {
        code: 'lockbench.flagsBeforeDashDash',
        exitCode: EXIT.badUsage,
      });
    }
    super.parse(argv, options);
    // npm ran this command, not the ones it starts (the target inherits this environment): they check nothing.
    delete process.env.npm_lifecycle_event;
    return this;
  }

  override error(message: string, options?: ErrorOptions): never {
    const script = process.env.npm_lifecycle_event;
    // Only under npm is a missing `--` the likely cause.
    if (script !== undefined && (options?.code === 'commander.excessArguments' || options?.code === 'lockbench.flagsBeforeDashDash')) {
      return super.error(`${message}\n${dashDashHint(script, flagsTakenByNpm(this), this.args.length > 0 ? this.args : this.stray)}`, { ...options, exitCode: EXIT.badUsage });
    }
    return super.error(message, options);
  }
}

/** A command that throws instead of exiting, writes usage errors to stderr, and takes no stray arguments. */
export function lockbenchCommand(name: string, description: string): Command {
  return new LockbenchCommand(name)
    .description(description)
    .exitOverride()
    .configureOutput({ writeErr: (text) => process.stderr.write(text), writeOut: (text) => process.stdout.write(text) })
    .allowExcessArguments(false);
}

/** Parses a command's arguments: null to go on, or the exit code (0 after --help, 2 for bad usage). */
import { type Command, CommanderError } from 'commander';
import { commanderExit } from './exit.ts';

export function parseArgs(program: Command): number | null {
  try {
    program.parse(process.argv.slice(2), { from: 'user' });
    return null;
  } catch (err) {
    if (err instanceof CommanderError) return commanderExit(err.exitCode);
    throw err;
  }
}

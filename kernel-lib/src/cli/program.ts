import { Command, CommanderError } from 'commander';
import { EmotuneError } from '../errors.js';
import { registerCommands } from './commands/index.js';

/** Exit codes: 0 ok, 1 the work failed, 2 bad arguments or bad input named in a one-line message. */
export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

/** Thrown by a command for bad arguments; printed as one line, exit 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export async function buildProgram(argv: readonly string[] = []): Promise<Command> {
  const program = new Command('emotune')
    .description('EmoTune Lab: plan, run and analyse condition-adherence evaluations of symbolic-music generators')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) })
    .showHelpAfterError(false);
  await registerCommands(program, argv[0]);
  for (const cmd of program.commands) cmd.exitOverride();
  return program;
}

/** Runs the CLI and returns the exit code; never lets a stack trace be the only message. */
export async function runCli(argv: string[]): Promise<number> {
  const program = await buildProgram(argv);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT_OK;
  } catch (e) {
    return exitCodeFor(e, (s) => process.stderr.write(s));
  }
}

/** The exit code for what a command threw, after writing its one-line message (in-process runs share it). */
export function exitCodeFor(e: unknown, writeErr: (text: string) => void): number {
  if (e instanceof CommanderError) {
    if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help')
      return EXIT_OK;
    return EXIT_USAGE; // commander already printed its one-line message
  }
  if (e instanceof UsageError) {
    writeErr(`emotune: ${e.message}\n`);
    return EXIT_USAGE;
  }
  if (e instanceof EmotuneError) {
    writeErr(`emotune: ${e.message}\n`);
    // A write that failed (disk full) or a folder in use is not bad input: the work failed.
    return e.code.startsWith('io.') || e.code === 'run.locked' ? EXIT_FAILED : EXIT_USAGE;
  }
  const err = e as Error;
  writeErr(`emotune: unexpected error: ${err?.message ?? String(e)}\n`);
  if (process.env.EMOTUNE_DEBUG) writeErr(`${err?.stack ?? ''}\n`);
  return EXIT_FAILED;
}

import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import { EmotuneError } from '../errors.js';

/**
 * Whether a configured command can start: its program on PATH (or at the path given, taken from the
 * command's working folder) and every argument that names a script file present. Checked before any run
 * starts, so a wrong path costs seconds instead of a grid of failed runs.
 */

/** Arguments that name a file the program will open (scripts), by their extension. */
const SCRIPT_EXT = /\.(py|pyc|mjs|cjs|js|ts|sh|bash|r|jl|lua|pl|rb)$/i;

function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

function isExecutable(p: string): boolean {
  try {
    accessSync(p, constants.X_OK);
    return isFile(p);
  } catch {
    return false;
  }
}

/** The program's full path, looked up as the operating system would (PATH for bare names). */
export function findProgram(program: string, cwd: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (program.includes('/')) {
    const p = isAbsolute(program) ? program : resolve(cwd, program);
    return isExecutable(p) ? p : undefined;
  }
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir === '') continue;
    const p = join(dir, program);
    if (isExecutable(p)) return p;
  }
  return undefined;
}

export interface CommandProblem {
  /** `generator.command[1]`. */
  field: string;
  message: string;
  found: string;
  fix: string;
}

/** What stops a command from starting, or undefined. A leading `emotune` is this package's CLI (always there). */
export function commandProblem(command: readonly string[], cwd: string, field: string): CommandProblem | undefined {
  if (command.length === 0)
    return {
      field,
      message: 'the command is empty',
      found: '[]',
      fix: 'give the program and its arguments, e.g. ["python", "main_cp.py"]',
    };
  if (command[0] === 'emotune') return undefined;
  const program = command[0]!;
  if (findProgram(program, cwd) === undefined) {
    return program.includes('/')
      ? {
          field: `${field}[0]`,
          message: 'program not found or not executable',
          found: isAbsolute(program) ? program : resolve(cwd, program),
          fix: `an existing executable file (relative paths are taken from ${cwd})`,
        }
      : {
          field: `${field}[0]`,
          message: 'program not found on PATH',
          found: program,
          fix:
            program === 'python' && findProgram('python3', cwd)
              ? 'write "python3" (this machine has python3 but no python), or the full path of your environment\'s python'
              : `install it, give its full path, or activate the environment that has it before running emotune (PATH=${process.env.PATH ?? ''})`,
        };
  }
  for (const [i, arg] of command.entries()) {
    if (i === 0 || arg.includes('{midi}') || arg.startsWith('-') || !SCRIPT_EXT.test(arg)) continue;
    const p = isAbsolute(arg) ? arg : resolve(cwd, arg);
    if (!isFile(p)) {
      return {
        field: `${field}[${i}]`,
        message: 'script not found',
        found: p,
        fix: `the path of an existing file (relative paths are taken from the command's folder ${cwd})`,
      };
    }
  }
  return undefined;
}

/** Throws a one-line EmotuneError (file, field, cause, fix) when the command cannot start. */
export function assertCommandRunnable(command: readonly string[], cwd: string, field: string, file?: string): void {
  const p = commandProblem(command, cwd, field);
  if (p)
    throw new EmotuneError(p.message, {
      file,
      field: p.field,
      expected: p.fix,
      found: p.found,
      code: 'config.command',
    });
}

import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

/**
 * Where this package lives on disk. Every module sits one folder below `src/` or `dist/`, so the package
 * root is two levels up from this file, whether it runs compiled (dist/) or from source under vitest (src/).
 */
export const packageRoot: string = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The built `emotune` CLI entry; commands starting with `emotune` run it with this Node. */
export const cliMainPath: string = join(packageRoot, 'dist', 'cli', 'main.js');

/** Folder with the embedded generator, its models and vocabularies, the built-in classifier, the main-job config. */
export const embeddedDir: string = join(packageRoot, 'embedded');

/** Replace a leading `emotune` with this Node and this package's CLI, so configs need no PATH set-up. */
export function resolveCommand(command: readonly string[]): string[] {
  if (command[0] === 'emotune') return [process.execPath, cliMainPath, ...command.slice(1)];
  return [...command];
}

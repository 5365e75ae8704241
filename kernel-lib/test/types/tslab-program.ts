// tslab compiles notebook cells with its own TypeScript 5.0, CommonJS output and node10 module resolution
// (which ignores package.json `exports`): these helpers check a file the same way.
import { createRequire } from 'node:module';
import type * as ts from 'typescript';
import { join } from 'node:path';
import { repoRoot } from '../helpers.js';

const require = createRequire(import.meta.url);
export type TS = typeof ts;

/** tslab's bundled TypeScript. */
export function tslabTypeScript(): TS {
  return require('@tslab/typescript-for-tslab') as TS;
}

/**
 * Type errors of `file` as tslab's compiler sees them, each as `file: message`. `skipLibCheck: false` also
 * checks the package's .d.ts files (published types must be valid for TypeScript 5.0 users).
 */
export function tslabDiagnostics(
  file: string,
  options: { skipLibCheck: boolean },
): Array<{ diagnostic: ts.Diagnostic; text: string }> {
  const ts = tslabTypeScript();
  const program = ts.createProgram([file], {
    strict: true,
    target: ts.ScriptTarget.ES2020,
    module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.NodeJs, // node10, as tslab
    esModuleInterop: true,
    skipLibCheck: options.skipLibCheck,
    types: ['node'],
    typeRoots: [join(repoRoot, 'node_modules', '@types')],
    noEmit: true,
  });
  return ts
    .getPreEmitDiagnostics(program)
    .filter((d) => !d.file || !d.file.fileName.includes('/node_modules/') || d.file.fileName.includes('kernel-lib'))
    .map((d) => ({
      diagnostic: d,
      text: `${d.file?.fileName ?? ''}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`,
    }));
}

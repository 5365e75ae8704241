// The root export is the notebook API: every name the notebooks call is there, stage internals are not, and
// every function on it carries a doc comment with an example (what tslab's hover shows).
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers.js';
import { tslabDiagnostics } from './tslab-program.js';

interface RootExport {
  name: string;
  isValue: boolean;
  isFunction: boolean;
  summary: string;
  tags: string[];
  /** The code of its `@example` tags, without the fences. */
  examples: string[];
}

let root: RootExport[] = [];

/** The root's exports as the type checker sees them, followed through re-exports to their declarations. */
function rootExports(): RootExport[] {
  const entry = join(repoRoot, 'kernel-lib', 'src', 'index.ts');
  const program = ts.createProgram([entry], {
    strict: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    types: ['node'],
    noEmit: true,
    skipLibCheck: true,
  });
  const checker = program.getTypeChecker();
  const moduleSymbol = checker.getSymbolAtLocation(program.getSourceFile(entry)!)!;
  return checker.getExportsOfModule(moduleSymbol).map((exported) => {
    const target = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
    return {
      name: exported.getName(),
      isValue: (target.flags & ts.SymbolFlags.Value) !== 0,
      isFunction: (target.flags & (ts.SymbolFlags.Function | ts.SymbolFlags.Class)) !== 0,
      summary: ts.displayPartsToString(target.getDocumentationComment(checker)).trim(),
      tags: target.getJsDocTags(checker).map((t) => t.name),
      examples: target
        .getJsDocTags(checker)
        .filter((t) => t.name === 'example')
        .map((t) =>
          ts
            .displayPartsToString(t.text)
            .replace(/^\s*```ts\n?/, '')
            .replace(/\n?```\s*$/, ''),
        ),
    };
  });
}

/** `et.X` names in the code cells of every notebook. */
function notebookNames(): Map<string, string> {
  const names = new Map<string, string>();
  const dir = join(repoRoot, 'notebooks');
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.ipynb'))) {
    const nb = JSON.parse(readFileSync(join(dir, file), 'utf8')) as {
      cells: Array<{ cell_type: string; source: string | string[] }>;
    };
    for (const cell of nb.cells.filter((c) => c.cell_type === 'code')) {
      const source = Array.isArray(cell.source) ? cell.source.join('') : cell.source;
      for (const m of source.matchAll(/\bet\.([A-Za-z_$][\w$]*)/g)) names.set(m[1]!, file);
    }
  }
  return names;
}

beforeAll(() => {
  root = rootExports();
}, 120_000);

describe('the root export (@emotune/kernel-lib)', () => {
  it('has every name the notebooks call', () => {
    const used = notebookNames();
    expect(used.size, 'the notebooks call et.* names').toBeGreaterThan(20);
    const exported = new Set(root.map((e) => e.name));
    const missing = [...used].filter(([name]) => !exported.has(name)).map(([name, file]) => `${file}: et.${name}`);
    expect(missing).toEqual([]);
  });

  it('is curated: a few dozen values, no stage internals', () => {
    const values = root.filter((e) => e.isValue).map((e) => e.name);
    expect(values.length).toBeGreaterThanOrEqual(40);
    expect(values.length).toBeLessThanOrEqual(65);
    for (const internal of [
      'TAIL_CHARS',
      'killGroup',
      'StampClock',
      'mean',
      'parseKeyName',
      'parseKey',
      'tryParseKey',
      'runProcess',
      'publishDisplay',
    ]) {
      expect(values, internal).not.toContain(internal);
    }
  });

  it('documents every function and class with a summary and an @example', () => {
    const undocumented = root
      .filter((e) => e.isFunction && (e.summary === '' || !e.tags.includes('example')))
      .map(
        (e) =>
          `${e.name}${e.summary === '' ? ' (no summary)' : ''}${e.tags.includes('example') ? '' : ' (no @example)'}`,
      );
    expect(undocumented).toEqual([]);
  });

  it('documents every other value with a summary', () => {
    expect(root.filter((e) => e.isValue && !e.isFunction && e.summary === '').map((e) => e.name)).toEqual([]);
  });
});

/** What the examples take as given: the values a notebook has by then. */
const EXAMPLE_CONTEXT = [
  'import * as et from "@emotune/kernel-lib";',
  'import * as path from "path";',
  'import * as fs from "fs";',
  'declare const config: et.LoadedConfig;',
  'declare const plan: et.RunPlan;',
  'declare const vocabs: Record<string, et.Word2Event>;',
  'declare const run: et.RunPlanResult;',
  'declare const record: et.RunRecord;',
  'declare const analysis: et.AnalysisResult<et.RunRecord>;',
  'declare const extended: et.ExtendedResults;',
  'declare const reference: et.ReferenceBlock;',
  'declare const text: string;',
  'declare const meta: et.GenerationMeta;',
  'declare const metaFile: string;',
  'declare const metaFiles: string[];',
  'declare const files: string[];',
];

describe('the @example code of the root functions', () => {
  it("type-checks against the built package with tslab's TypeScript 5.0, as a notebook cell would", () => {
    expect(existsSync(join(repoRoot, 'kernel-lib', 'dist', 'index.d.ts')), 'build first').toBe(true);
    const examples = root.flatMap((e) => e.examples.map((code) => ({ name: e.name, code })));
    expect(examples.length).toBeGreaterThan(40);
    const dir = join(repoRoot, 'notebooks', '.types-check');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'examples.ts');
    const body = examples.map((x, i) => `// ${x.name}\nexport async function example${i}() {\n${x.code}\n}`);
    writeFileSync(file, [...EXAMPLE_CONTEXT, ...body].join('\n'));
    const lines = readFileSync(file, 'utf8').split('\n');
    const diags = tslabDiagnostics(file, { skipLibCheck: true }).map(({ diagnostic: d, text }) => {
      const line = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line : -1;
      const owner =
        lines
          .slice(0, line + 1)
          .reverse()
          .find((l) => l.startsWith('// ')) ?? '';
      return `${owner.slice(3)}: ${lines[line]?.trim() ?? ''}: ${text}`;
    });
    expect(diags).toEqual([]);
  }, 120_000);
});

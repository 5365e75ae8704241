// Each stage stays reachable as `@emotune/kernel-lib/<stage>`: through `exports` for Node (ESM import and CJS
// require) and TypeScript's node16 resolution, and through `typesVersions` for tslab's TypeScript 5.0, whose
// node10 resolution ignores `exports`. Needs the build (dist/).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import repoTs from 'typescript';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers.js';
import { tslabDiagnostics, tslabTypeScript } from './tslab-program.js';

const libDir = join(repoRoot, 'kernel-lib');
const pkg = JSON.parse(readFileSync(join(libDir, 'package.json'), 'utf8')) as {
  exports: Record<string, string | { types: string; default: string }>;
  typesVersions: Record<string, Record<string, string[]>>;
};
/** `[subpath without ./, its exports entry]` for every entry point but the root and package.json. */
const subpaths = Object.entries(pkg.exports)
  .filter(([key, target]) => key !== '.' && typeof target !== 'string')
  .map(([key, target]) => [key.slice(2), target as { types: string; default: string }] as const);
const STAGES = [
  'config',
  'vocab',
  'plan',
  'generate',
  'run',
  'formats',
  'metrics',
  'aggregate',
  'reference',
  'display',
];

/** Export names of every entry point as a real Node process loads them (`mode`: ESM import or CJS require). */
function loadedNames(mode: 'import' | 'require'): Record<string, string[]> {
  const specifiers = ['@emotune/kernel-lib', ...subpaths.map(([sub]) => `@emotune/kernel-lib/${sub}`)];
  const script =
    mode === 'import'
      ? `const out = {}; for (const s of ${JSON.stringify(specifiers)}) out[s] = Object.keys(await import(s)).filter((k) => k !== 'default').sort(); console.log(JSON.stringify(out));`
      : `const out = {}; for (const s of ${JSON.stringify(specifiers)}) out[s] = Object.keys(require(s)).filter((k) => k !== 'default' && k !== '__esModule').sort(); console.log(JSON.stringify(out));`;
  const args =
    mode === 'import'
      ? ['--input-type=module', '-e', script]
      : ['--input-type=commonjs', '--no-warnings', '-e', script];
  return JSON.parse(
    execFileSync(process.execPath, args, { cwd: repoRoot, encoding: 'utf8', timeout: 60_000 }),
  ) as Record<string, string[]>;
}

describe('subpath exports', () => {
  it('cover every stage, each with a typesVersions twin pointing at the same built .d.ts', () => {
    expect(subpaths.map(([sub]) => sub)).toEqual(expect.arrayContaining(STAGES));
    for (const [sub, target] of subpaths) {
      expect(existsSync(join(libDir, target.types)), `${sub}: ${target.types} (build first)`).toBe(true);
      expect(existsSync(join(libDir, target.default)), `${sub}: ${target.default}`).toBe(true);
      expect(pkg.typesVersions['*']?.[sub], `typesVersions for ${sub}`).toEqual([target.types.replace(/^\.\//, '')]);
    }
  });

  it('load under Node as ESM and as CommonJS, with the same names', () => {
    const esm = loadedNames('import');
    const cjs = loadedNames('require');
    expect(cjs).toEqual(esm);
    for (const stage of STAGES) expect(esm[`@emotune/kernel-lib/${stage}`]?.length, stage).toBeGreaterThan(0);
    // Internals left the root but stay reachable from their stage.
    expect(esm['@emotune/kernel-lib']).not.toContain('killGroup');
    expect(esm['@emotune/kernel-lib/run']).toEqual(expect.arrayContaining(['killGroup', 'TAIL_CHARS', 'StampClock']));
  }, 120_000);

  it('resolve to the same .d.ts under node10 (tslab) and node16 (exports) resolution', () => {
    const tslabTs = tslabTypeScript();
    const from = join(repoRoot, 'notebooks', 'cell.ts');
    for (const [sub, target] of subpaths) {
      const want = realpathSync(join(libDir, target.types));
      const node10 = tslabTs.resolveModuleName(
        `@emotune/kernel-lib/${sub}`,
        from,
        { moduleResolution: tslabTs.ModuleResolutionKind.NodeJs },
        tslabTs.sys,
      );
      expect(node10.resolvedModule && realpathSync(node10.resolvedModule.resolvedFileName), `node10: ${sub}`).toBe(
        want,
      );
      const node16 = repoTs.resolveModuleName(
        `@emotune/kernel-lib/${sub}`,
        from,
        { module: repoTs.ModuleKind.Node16, moduleResolution: repoTs.ModuleResolutionKind.Node16 },
        repoTs.sys,
      );
      expect(node16.resolvedModule && realpathSync(node16.resolvedModule.resolvedFileName), `node16: ${sub}`).toBe(
        want,
      );
    }
    const rootNode10 = tslabTs.resolveModuleName(
      '@emotune/kernel-lib',
      from,
      { moduleResolution: tslabTs.ModuleResolutionKind.NodeJs },
      tslabTs.sys,
    );
    expect(rootNode10.resolvedModule && realpathSync(rootNode10.resolvedModule.resolvedFileName)).toBe(
      realpathSync(join(libDir, 'dist', 'index.d.ts')),
    );
  });

  it("type-check a cell importing the root and stage subpaths with tslab's TypeScript 5.0", () => {
    const ts = tslabTypeScript();
    expect(ts.version.startsWith('5.0')).toBe(true);
    const dir = join(repoRoot, 'notebooks', '.types-check');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'subpaths.ts');
    writeFileSync(
      file,
      [
        'import * as et from "@emotune/kernel-lib";',
        'import { npMean } from "@emotune/kernel-lib/metrics";',
        'import { TAIL_CHARS, type RunRecord } from "@emotune/kernel-lib/run";',
        'import { tableHtml, tablePayload } from "@emotune/kernel-lib/display";',
        'import { parseMidi } from "@emotune/kernel-lib/formats";',
        'import { wilsonInterval } from "@emotune/kernel-lib/aggregate";',
        'import { cohenKappa } from "@emotune/kernel-lib/reference";',
        'import { parseConfig } from "@emotune/kernel-lib/config";',
        'import { comparePythonStrings } from "@emotune/kernel-lib/vocab";',
        'import { runId } from "@emotune/kernel-lib/plan";',
        'import { GENERATOR_DEFAULTS } from "@emotune/kernel-lib/generate";',
        'import { EmotuneError } from "@emotune/kernel-lib/errors";',
        'import { cliMainPath } from "@emotune/kernel-lib/paths";',
        'import type { TablePayloadV1 } from "@emotune/kernel-lib/display-types";',
        'async function cell(records: RunRecord[]) {',
        '  const m: number = npMean([1, 2, 3]) + TAIL_CHARS + cohenKappa([[1, 0], [0, 1]]).kappa;',
        '  const payload: TablePayloadV1 = tablePayload([{ m }]);',
        '  const html: string = tableHtml(payload) + cliMainPath + runId.name + String(GENERATOR_DEFAULTS);',
        '  const score = parseMidi(new Uint8Array(0));',
        '  const e: Error = new EmotuneError("x", { field: "f" });',
        '  const sorted = ["b", "a"].sort(comparePythonStrings);',
        '  const w = wilsonInterval(1, 2);',
        '  const c = parseConfig;',
        '  et.showPianoRoll(score, { title: html });',
        '  return [records.length, e.message, sorted, w, c] as const;',
        '}',
        'void cell;',
      ].join('\n'),
    );
    expect(tslabDiagnostics(file, { skipLibCheck: false }).map((d) => d.text)).toEqual([]);
  }, 120_000);
});

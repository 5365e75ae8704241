// docs/architecture.md: each stage imports only from stages before it (formats/ and stats/ are the base layer; the package-level
// modules errors.ts, prng.ts, package-paths.ts, path-inside.ts are open to all). This reads every import of kernel-lib/src and checks the order,
// and that metrics/ outside its edge (metrics/edge/) neither touches files nor starts processes or threads.
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, dirname, sep } from 'node:path';
import { repoRoot } from '../helpers.js';

// formats (file formats, key names) and stats (intervals and tests) are the base layer every stage may use.
const ORDER = [
  'formats',
  'stats',
  'config',
  'vocab',
  'plan',
  'generate',
  'run',
  'metrics',
  'aggregate',
  'audio',
  'display',
  'reference',
  'cli',
];
const src = join(repoRoot, 'kernel-lib', 'src');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** Every import of a file: its module specifier and the names it binds (`import type` binds none at run time). */
function importsOf(text: string): Array<{ spec: string; names: string[] }> {
  const out: Array<{ spec: string; names: string[] }> = [];
  for (const m of text.matchAll(
    /(?:^|\n)\s*(import|export)(\s+type\b)?([^'";]*?)\bfrom\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|(?:^|\n)\s*import\s+['"]([^'"]+)['"]/g,
  )) {
    if (m[5] !== undefined || m[6] !== undefined) {
      out.push({ spec: (m[5] ?? m[6])!, names: ['*'] });
      continue;
    }
    if (m[2]) continue;
    const clause = (m[3] ?? '').replace(/\btype\s+\w+(\s+as\s+\w+)?/g, '');
    const names = [...clause.matchAll(/(?:^|[{,\s])(\w+)(?:\s+as\s+\w+)?\s*(?=[,}]|$)/g)].map((n) => n[1]!);
    out.push({ spec: m[4]!, names: clause.includes('*') ? ['*', ...names] : names });
  }
  return out;
}

function stageOf(file: string): string | undefined {
  const first = relative(src, file).split(sep)[0]!;
  return ORDER.includes(first) ? first : undefined;
}

describe('stage layering of kernel-lib/src', () => {
  it('no stage imports from a stage after it (package-level modules are open to all)', () => {
    const violations: string[] = [];
    for (const file of files(src)) {
      const from = stageOf(file);
      if (!from) continue;
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(
        /(?:import|export)[^'"]*?from\s+['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)/g,
      )) {
        const spec = (m[1] ?? m[2])!;
        const to = stageOf(resolve(dirname(file), spec));
        if (!to || to === from) continue;
        if (ORDER.indexOf(to) > ORDER.indexOf(from))
          violations.push(`${relative(src, file)} imports ${spec} (${from} -> ${to})`);
      }
    }
    expect(violations).toEqual([]);
  });

  it('the pure part of metrics/ (all but metrics/edge/) reads no files and starts no processes or threads', () => {
    const edge = join(src, 'metrics', 'edge');
    const violations = pureMetricsViolations(
      files(join(src, 'metrics')).filter((f) => !f.startsWith(edge + sep) && f !== join(src, 'metrics', 'index.ts')),
    );
    expect(violations).toEqual([]);
  });

  it('the purity rule catches a file or process import added to a pure metrics module', () => {
    const file = join(src, 'metrics', 'np-stats.ts');
    const text = readFileSync(file, 'utf8');
    const added = [
      "import { readFileSync } from 'node:fs';",
      "import { readdir } from 'fs/promises';",
      "import { spawn } from 'node:child_process';",
      "import { Worker } from 'node:worker_threads';",
      "import Tinypool from 'tinypool';",
      "import { execa } from 'execa';",
      "import { runProcess } from '../run/process.js';",
      "import { classifyMidi } from './edge/classifier-process.js';",
      "import { readMidi, parseMidi } from '../formats/midi-read.js';",
      "const m = await import('node:fs');",
    ];
    for (const line of added) expect(pureMetricsViolations([file], `${line}\n${text}`)).toHaveLength(1);
    // Pure imports pass: parsing bytes, types, other pure metrics.
    const pure = [
      "import { parseMidi } from '../formats/midi-read.js';",
      "import type { readMidi } from '../formats/midi-read.js';",
      "import { npMean } from './np-stats.js';",
    ];
    for (const line of pure) expect(pureMetricsViolations([file], `${line}\n${text}`)).toEqual([]);
  });
});

/** Node's file, process and thread modules and the libraries that wrap them. */
const EFFECT_MODULES = /^(node:)?(fs|fs\/promises|child_process|worker_threads|cluster)$|^(tinypool|execa)$/;
/** formats/ holds both parsers (pure) and the functions that read or write files (`readMidi`, `writeNpy`...). */
const FORMATS_EFFECTS = /^(read|write)[A-Z]/;

/** Imports that make a pure metrics module touch files, processes or threads (text overrides the file, for tests). */
function pureMetricsViolations(paths: readonly string[], text?: string): string[] {
  const violations: string[] = [];
  for (const file of paths) {
    for (const { spec, names } of importsOf(text ?? readFileSync(file, 'utf8'))) {
      const why = !spec.startsWith('.')
        ? EFFECT_MODULES.test(spec) && 'a file/process/thread module'
        : (() => {
            const to = relative(src, resolve(dirname(file), spec)).split(sep);
            if (to[0] === 'run') return 'the run stage (processes)';
            if (to[0] === 'metrics' && to[1] === 'edge') return 'the metrics edge';
            if (to[0] === 'formats' && names.some((n) => n === '*' || FORMATS_EFFECTS.test(n)))
              return `a file reader/writer of formats/ (${names.filter((n) => n === '*' || FORMATS_EFFECTS.test(n)).join(', ')})`;
            if (to[0] === 'formats' && (to[1] === 'read-input.js' || to[1] === 'atomic-write.js'))
              return 'formats file I/O';
            return false;
          })();
      if (why) violations.push(`${relative(src, file)} imports ${spec}: ${why}; move the code to metrics/edge/`);
    }
  }
  return violations;
}

// docs/architecture.md: each stage imports only from stages before it (formats/ and stats/ are the base layer; the package-level
// modules errors.ts, prng.ts, package-paths.ts are open to all). This reads every import of kernel-lib/src and checks the order.
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
});

// The docs are the contract a user reads: every link in them resolves inside the repository, and nothing
// points at the starting design notes (DESIGN.md), which are not part of it.
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { repoRoot } from '../helpers.js';

const SKIP_NAMES = new Set(['node_modules', '.git', '.jupyter-data', '.ipynb_checkpoints']);
// Build and run outputs (see .gitignore).
const SKIP_PATHS = new Set([
  'kernel-lib/dist',
  'extension/lib',
  'extension/labextension',
  'test/jupyterlab-app/dist',
  'bench/render/dist',
  'test/artifacts',
  'experiments',
  'notebooks/experiments',
  'kernel-lib/embedded/exp',
  'examples/exp',
]);
const TEXT = /\.(ts|mjs|cjs|js|py|md|json|ipynb|sh)$/;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    if (SKIP_NAMES.has(n) || SKIP_PATHS.has(relative(repoRoot, p))) return [];
    const s = statSync(p);
    return s.isDirectory() ? files(p) : TEXT.test(n) && s.size < 2_000_000 ? [p] : [];
  });
}

describe('documentation links', () => {
  it('no source or doc refers to DESIGN.md', () => {
    const self = join(repoRoot, 'kernel-lib', 'test', 'layout', 'docs-links.test.ts');
    const hits = files(repoRoot)
      .filter((f) => f !== self && readFileSync(f, 'utf8').includes('DESIGN.md'))
      .map((f) => relative(repoRoot, f));
    expect(hits).toEqual([]);
  });

  it('every relative link of README.md, docs/ and examples/ resolves to a file in the repository', () => {
    const docs = [
      join(repoRoot, 'README.md'),
      join(repoRoot, 'examples', 'README.md'),
      ...readdirSync(join(repoRoot, 'docs'))
        .filter((n) => n.endsWith('.md'))
        .map((n) => join(repoRoot, 'docs', n)),
    ];
    const broken: string[] = [];
    for (const doc of docs) {
      for (const m of readFileSync(doc, 'utf8').matchAll(/\]\(([^)\s]+)\)/g)) {
        const target = m[1]!.split('#')[0]!;
        if (target === '' || /^[a-z]+:/.test(target)) continue; // anchors and URLs
        const abs = resolve(dirname(doc), target);
        if (!abs.startsWith(repoRoot + sep) || !existsSync(abs)) broken.push(`${relative(repoRoot, doc)}: ${m[1]}`);
      }
    }
    expect(broken).toEqual([]);
  });
});

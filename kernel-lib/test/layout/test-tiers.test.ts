// The integration tier is a list of paths in vitest.config.ts: a test file moved or renamed without updating it
// would silently fall back into the unit tier (or a stale glob would hide nothing), so every entry must name files.
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SLOW_OR_EXTERNAL } from '../../../vitest.config.js';
import { repoRoot } from '../helpers.js';

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? e.name === 'node_modules'
        ? []
        : testFiles(join(dir, e.name))
      : e.name.endsWith('.test.ts')
        ? [relative(repoRoot, join(dir, e.name))]
        : [],
  );
}

/** The subset of glob syntax the list uses: `**` any folders, `*` any characters within a name. */
const globToRegExp = (glob: string) =>
  new RegExp(
    `^${glob
      .split('**/')
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*'))
      .join('(?:[^/]+/)*')}$`,
  );

describe('test tiers (vitest.config.ts)', () => {
  const files = testFiles(join(repoRoot, 'kernel-lib', 'test'));

  it('every integration-tier entry names at least one test file', () => {
    const stale = SLOW_OR_EXTERNAL.filter((glob) => !files.some((f) => globToRegExp(glob).test(f)));
    expect(stale).toEqual([]);
  });

  it('reads globs as vitest does for the forms the list uses', () => {
    expect(globToRegExp('kernel-lib/test/**/x/cli.test.ts').test('kernel-lib/test/metrics/x/cli.test.ts')).toBe(true);
    expect(globToRegExp('kernel-lib/test/**/x/cli.test.ts').test('kernel-lib/test/x/cli.test.ts')).toBe(true);
    expect(globToRegExp('kernel-lib/test/types/**/*.test.ts').test('kernel-lib/test/types/a.test.ts')).toBe(true);
    expect(globToRegExp('kernel-lib/test/run/a.test.ts').test('kernel-lib/test/run/b.test.ts')).toBe(false);
  });
});

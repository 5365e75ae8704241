import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isInside, isInsideReal } from '../src/path-inside.js';
import { tempDir } from './helpers.js';

describe('isInside', () => {
  it('is true strictly inside the folder, false for the folder itself, its parent, siblings and prefixes', () => {
    expect(isInside('/a/exp', '/a/exp/run')).toBe(true);
    expect(isInside('/a/exp', '/a/exp/run/x.mid')).toBe(true);
    expect(isInside('/a/exp', '/a/exp/..run')).toBe(true); // a name starting with two dots is still inside
    expect(isInside('/a/exp', '/a/exp')).toBe(false);
    expect(isInside('/a/exp', '/a/exp/')).toBe(false);
    expect(isInside('/a/exp', '/a')).toBe(false);
    expect(isInside('/a/exp', '/a/exp2/run')).toBe(false);
    expect(isInside('/a/exp', '/a/exp/run/../../other')).toBe(false);
    expect(isInside('/a/exp', 'relative/run')).toBe(false); // resolved against the working folder
  });

  it('property: a child built by joining names to the folder is inside it', () => {
    const name = fc.stringMatching(/^[A-Za-z0-9_.-]{1,8}$/).filter((s) => s !== '.' && s !== '..');
    fc.assert(
      fc.property(fc.array(name, { minLength: 1, maxLength: 4 }), (names) => {
        expect(isInside('/base/exp', join('/base/exp', ...names))).toBe(true);
        expect(isInside(join('/base/exp', ...names), '/base/exp')).toBe(false);
      }),
    );
  });
});

describe('isInside on any paths', () => {
  it('property: agrees with the definition (relative path neither empty, nor up, nor absolute)', () => {
    const seg = fc.constantFrom('a', 'b', '.', '..', '', '.x', '..y', 'a.b');
    const path = fc.array(seg, { maxLength: 5 }).map((xs) => `/${xs.join('/')}`);
    fc.assert(
      fc.property(path, path, fc.boolean(), (parent, tail, nest) => {
        const child = nest ? parent + tail : tail;
        const rel = relative(resolve(parent), resolve(child));
        const expected = rel !== '' && rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
        expect(isInside(parent, child)).toBe(expected);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('isInsideReal', () => {
  it('follows links: a file named through a link to the folder is inside it, a copy elsewhere is not', () => {
    const root = tempDir('emotune-inside-');
    const exp = join(root, 'exp');
    mkdirSync(join(exp, 'run'), { recursive: true });
    writeFileSync(join(exp, 'run', 'a.mid'), 'x');
    symlinkSync(exp, join(root, 'link'));
    expect(isInsideReal(join(root, 'link'), join(exp, 'run', 'a.mid'))).toBe(true);
    expect(isInsideReal(exp, join(root, 'link', 'run', 'a.mid'))).toBe(true);
    expect(isInsideReal(exp, join(root, 'copy', 'run', 'a.mid'))).toBe(false); // missing: resolved as written
    expect(isInside(join(root, 'link'), join(exp, 'run', 'a.mid'))).toBe(false); // lexically it is not
  });
});

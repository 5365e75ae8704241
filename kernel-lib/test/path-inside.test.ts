import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isInside } from '../src/path-inside.js';

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

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatFixed, padLeft, padRight, pyFloatRepr, pyJsonDumpIndent } from '../../src/aggregate/py-format.js';

// Expected strings are Python 3's own output: format(x, '.Nf') and repr(x).
describe("formatFixed matches Python's f'{x:.Nf}'", () => {
  it.each([
    [0.125, 2, '0.12'], // exact tie: half to even (JS toFixed gives 0.13)
    [0.375, 2, '0.38'],
    [2.5, 0, '2'],
    [0.5, 0, '0'],
    [1.5, 0, '2'],
    [1.005, 2, '1.00'], // binary value is below the tie
    [-0.001, 2, '-0.00'],
    [677.585, 2, '677.59'],
    [0.74445, 4, '0.7444'],
    [12.345, 2, '12.35'],
    [99.995, 2, '100.00'],
    [1e22, 2, '10000000000000000000000.00'],
    [5e-324, 2, '0.00'],
    [NaN, 2, 'nan'],
    [Infinity, 2, 'inf'],
  ])('%s with %i decimals -> %s', (x, d, want) => {
    expect(formatFixed(x, d)).toBe(want);
  });

  it('agrees with toFixed wherever the value is not an exact tie', () => {
    fc.assert(
      fc.property(fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.integer({ min: 0, max: 6 }), (x, d) => {
        const scaled = x * 10 ** d;
        fc.pre(Math.abs(scaled - Math.trunc(scaled)) !== 0.5);
        const js = x.toFixed(d);
        // toFixed writes -0 as "0"; Python keeps the sign
        const py = formatFixed(x, d);
        expect(py.replace(/^-(0\.?0*)$/, '$1')).toBe(js.replace(/^-(0\.?0*)$/, '$1'));
      }),
    );
  });
});

describe("pyFloatRepr matches Python's repr(float)", () => {
  it.each([
    [1e-5, '1e-05'],
    [1e16, '1e+16'],
    [1, '1.0'],
    [0.1, '0.1'],
    [123456789012345680, '1.2345678901234568e+17'],
    [1.5e-7, '1.5e-07'],
    [0.0001, '0.0001'],
    [12345.678, '12345.678'],
    [-0, '-0.0'],
    [1e15, '1000000000000000.0'],
    [2.5e15, '2500000000000000.0'],
  ])('%s -> %s', (x, want) => expect(pyFloatRepr(x)).toBe(want));

  it('round-trips every double', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
        expect(Object.is(Number(pyFloatRepr(x)), x)).toBe(true);
      }),
    );
  });
});

describe('padding counts code points as Python does', () => {
  it('pads strings with astral characters by code point', () => {
    expect(padRight('a😀', 4)).toBe('a😀  ');
    expect(padLeft('↑', 3)).toBe('  ↑');
    expect(padRight('toolongvalue', 4)).toBe('toolongvalue');
  });
});

describe('pyJsonDumpIndent is json.dump(indent=2)', () => {
  it('writes floats as Python does and nests with two spaces', () => {
    const text = pyJsonDumpIndent(
      [{ a: 1, b_adherence: 0, c: [], d: {}, e: 'é', f: null, g: [1, 'x'] }],
      (k) => k === 'b_adherence',
    );
    expect(text).toBe(
      '[\n  {\n    "a": 1,\n    "b_adherence": 0.0,\n    "c": [],\n    "d": {},\n    "e": "\\u00e9",\n    "f": null,\n    "g": [\n      1,\n      "x"\n    ]\n  }\n]',
    );
  });
});

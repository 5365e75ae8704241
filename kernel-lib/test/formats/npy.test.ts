import fc from 'fast-check';
import { describe, it, expect } from 'vitest';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseNpy, encodeNpy, writeNpy, readNpy, row, column, toRows } from '../../src/formats/npy.js';
import { EmotuneError } from '../../src/errors.js';
import { errorOf } from '../expect-error.js';

/** Build .npy bytes by hand: magic, version, header length, header dict (padded like numpy), payload. */
function npyBytes(header: string, payload: Uint8Array, version: [number, number] = [1, 0]): Uint8Array {
  const lenBytes = version[0] === 1 ? 2 : 4;
  const pre = 6 + 2 + lenBytes;
  let text = header;
  const pad = (64 - ((pre + text.length + 1) % 64)) % 64;
  text += ' '.repeat(pad) + '\n';
  const enc = new TextEncoder().encode(text);
  const out = new Uint8Array(pre + enc.length + payload.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, version[0], version[1]]);
  const view = new DataView(out.buffer);
  if (lenBytes === 2) view.setUint16(8, enc.length, true);
  else view.setUint32(8, enc.length, true);
  out.set(enc, pre);
  out.set(payload, pre + enc.length);
  return out;
}

function payload(size: 1 | 2 | 4 | 8, values: (number | bigint)[], little: boolean, signed = true): Uint8Array {
  const buf = new Uint8Array(values.length * size);
  const v = new DataView(buf.buffer);
  values.forEach((x, i) => {
    const o = i * size;
    if (size === 1) (signed ? v.setInt8 : v.setUint8).call(v, o, Number(x));
    if (size === 2) (signed ? v.setInt16 : v.setUint16).call(v, o, Number(x), little);
    if (size === 4) (signed ? v.setInt32 : v.setUint32).call(v, o, Number(x), little);
    if (size === 8) (signed ? v.setBigInt64 : v.setBigUint64).call(v, o, BigInt(x), little);
  });
  return buf;
}

const dict = (descr: string, shape: string, fortran = 'False') =>
  `{'descr': '${descr}', 'fortran_order': ${fortran}, 'shape': ${shape}, }`;

describe('parseNpy: integer dtypes, both byte orders', () => {
  const cases: [string, 1 | 2 | 4 | 8, boolean, (number | bigint)[]][] = [
    ['|i1', 1, true, [-128, 0, 127, 5, -1, 3]],
    ['|u1', 1, false, [0, 255, 1, 2, 3, 4]],
    ['<i2', 2, true, [-32768, 32767, 0, 1, -2, 3]],
    ['<u2', 2, false, [65535, 0, 1, 2, 3, 4]],
    ['<i4', 4, true, [-(2 ** 31), 2 ** 31 - 1, 0, 1, -2, 3]],
    ['<u4', 4, false, [2 ** 32 - 1, 0, 1, 2, 3, 4]],
    ['<i8', 8, true, [-(2 ** 53 - 1), 2 ** 53 - 1, 0, 1, -2, 3]],
    ['<u8', 8, false, [2 ** 53 - 1, 0, 1, 2, 3, 4]],
  ];
  for (const [descr, size, signed, values] of cases) {
    for (const little of [true, false]) {
      const d = little || size === 1 ? descr : `>${descr.slice(1)}`;
      it(`reads ${d} as a 2x3 C-order array`, () => {
        const arr = parseNpy(npyBytes(dict(d, '(2, 3)'), payload(size, values, little, signed)), 'x.npy');
        expect(arr.shape).toEqual([2, 3]);
        expect(Array.from(arr.data)).toEqual(values.map(Number));
      });
    }
  }

  it('gives the same values from the npyjs path (aligned) and the DataView path (unaligned header)', () => {
    const values = [1, -2, 3, 400000, -5, 6];
    const aligned = npyBytes(dict('<i8', '(6,)'), payload(8, values, true));
    // A header whose length leaves the payload at an odd offset forces the DataView decoder.
    const text = `${dict('<i8', '(6,)')}\n`;
    const enc = new TextEncoder().encode(text);
    const odd = new Uint8Array(10 + enc.length + 48);
    odd.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, enc.length, 0]);
    odd.set(enc, 10);
    odd.set(payload(8, values, true), 10 + enc.length);
    expect((10 + enc.length) % 8).not.toBe(0);
    expect(Array.from(parseNpy(aligned).data)).toEqual(values);
    expect(Array.from(parseNpy(odd).data)).toEqual(values);
  });

  it('reads header versions 2.0 and 3.0 (utf-8 header)', () => {
    for (const v of [
      [2, 0],
      [3, 0],
    ] as [number, number][]) {
      const arr = parseNpy(npyBytes(dict('<i4', '(1, 2)'), payload(4, [7, 8], true), v));
      expect(Array.from(arr.data)).toEqual([7, 8]);
    }
  });

  it('reads 0-d and empty arrays', () => {
    expect(Array.from(parseNpy(npyBytes(dict('<i8', '()'), payload(8, [42], true))).data)).toEqual([42]);
    const empty = parseNpy(npyBytes(dict('<i8', '(0, 8)'), new Uint8Array(0)));
    expect(empty.shape).toEqual([0, 8]);
    expect(empty.data.length).toBe(0);
  });
});

describe('parseNpy: clear errors', () => {
  const good = npyBytes(dict('<i8', '(2,)'), payload(8, [1, 2], true));
  it('wrong magic', () => {
    const bad = good.slice();
    bad[1] = 0x58;
    const e = errorOf(() => parseNpy(bad, 'f.npy'));
    expect(e.code).toBe('npy.magic');
    expect(e.message).toContain('f.npy');
  });
  it('unsupported version', () => {
    const bad = good.slice();
    bad[6] = 4;
    expect(errorOf(() => parseNpy(bad)).code).toBe('npy.version');
  });
  it('bad header dict', () => {
    expect(errorOf(() => parseNpy(npyBytes("{'descr': '<i8', 'shape': (2,)}", payload(8, [1, 2], true)))).code).toBe(
      'npy.bad-header',
    );
    expect(
      errorOf(() =>
        parseNpy(npyBytes("{'descr': '<i8', 'fortran_order': False, 'shape': (2,", payload(8, [1, 2], true))),
      ).code,
    ).toBe('npy.bad-header');
    expect(errorOf(() => parseNpy(npyBytes(dict('<i8', '(2.5,)'), payload(8, [1, 2], true)))).code).toBe(
      'npy.bad-header',
    );
    expect(errorOf(() => parseNpy(npyBytes(dict('<i8', '[2]'), payload(8, [1, 2], true)))).field).toBe('header.shape');
  });
  it('Fortran order', () => {
    const e = errorOf(() => parseNpy(npyBytes(dict('<i8', '(1, 2)', 'True'), payload(8, [1, 2], true)), 'f.npy'));
    expect(e.code).toBe('npy.fortran-order');
    expect(e.field).toBe('header.fortran_order');
  });
  it('object, float, bool and structured dtypes', () => {
    for (const d of ['|O', '<f8', '<f4', '|b1', '<U5', '<c16']) {
      const e = errorOf(() => parseNpy(npyBytes(dict(d, '(1,)'), new Uint8Array(8))));
      expect(e.code).toBe('npy.dtype');
      expect(e.field).toBe('header.descr');
    }
    expect(
      errorOf(() =>
        parseNpy(npyBytes("{'descr': [('a', '<i4')], 'fortran_order': False, 'shape': (1,), }", new Uint8Array(4))),
      ).code,
    ).toBe('npy.dtype');
  });
  it('truncated data and truncated header', () => {
    expect(errorOf(() => parseNpy(good.subarray(0, good.length - 1))).code).toBe('npy.truncated');
    expect(errorOf(() => parseNpy(good.subarray(0, 30))).code).toBe('npy.truncated');
    expect(errorOf(() => parseNpy(good.subarray(0, 8))).code).toBe('npy.truncated');
  });
  it('shape/size mismatch (extra bytes)', () => {
    const extra = new Uint8Array(good.length + 8);
    extra.set(good);
    expect(errorOf(() => parseNpy(extra)).code).toBe('npy.size-mismatch');
  });
  it('int64 beyond 2^53', () => {
    const e = errorOf(() => parseNpy(npyBytes(dict('<i8', '(2,)'), payload(8, [1n, 2n ** 53n], true)), 'big.npy'));
    expect(e.code).toBe('npy.int64-range');
    expect(e.field).toBe('data[1]');
    expect(
      errorOf(() => parseNpy(npyBytes(dict('>u8', '(1,)'), payload(8, [2n ** 64n - 1n], false, false)))).code,
    ).toBe('npy.int64-range');
    // Little-endian, the layout read as two 32-bit halves: the first value past either end is refused.
    expect(errorOf(() => parseNpy(npyBytes(dict('<i8', '(2,)'), payload(8, [0n, -(2n ** 53n)], true)))).field).toBe(
      'data[1]',
    );
    expect(errorOf(() => parseNpy(npyBytes(dict('<u8', '(1,)'), payload(8, [2n ** 63n], true, false)))).code).toBe(
      'npy.int64-range',
    );
  });

  it('reads any little-endian int64 within ±(2^53-1) exactly', () => {
    fc.assert(
      fc.property(fc.array(fc.bigInt({ min: -(2n ** 53n - 1n), max: 2n ** 53n - 1n }), { maxLength: 40 }), (values) => {
        const arr = parseNpy(npyBytes(dict('<i8', `(${values.length},)`), payload(8, values, true)));
        expect(Array.from(arr.data)).toEqual(values.map(Number));
      }),
    );
  });
  it('huge shapes are refused before allocating', () => {
    expect(errorOf(() => parseNpy(npyBytes(dict('<i8', '(100000000000, 100000)'), new Uint8Array(0)))).code).toBe(
      'npy.too-large',
    );
  });
});

describe('encodeNpy / writeNpy', () => {
  it('round-trips int64 and int32 2-D arrays', () => {
    const data = [0, 1, -2, 2 ** 40, 5, 6];
    const a = parseNpy(encodeNpy([2, 3], data));
    expect(a.dtype).toBe('int64');
    expect(a.shape).toEqual([2, 3]);
    expect(Array.from(a.data)).toEqual(data);
    const b = parseNpy(encodeNpy([3, 2], [1, 2, 3, 4, 5, -6], 'int32'));
    expect(b.dtype).toBe('int32');
    expect(Array.from(b.data)).toEqual([1, 2, 3, 4, 5, -6]);
  });
  it('writes the header numpy expects (little-endian int64, C order)', () => {
    const text = new TextDecoder('latin1').decode(encodeNpy([2, 3], [1, 2, 3, 4, 5, 6]).subarray(10, 80));
    expect(text).toMatch(/'descr':\s*'<i8'/);
    expect(text).toMatch(/'fortran_order':\s*False/);
    expect(text).toMatch(/'shape':\s*\(2,\s*3\)/);
  });
  it('refuses a length that does not match the shape, and non-integers', () => {
    expect(() => encodeNpy([2, 2], [1, 2, 3])).toThrow(EmotuneError);
    expect(() => encodeNpy([1], [1.5])).toThrow(EmotuneError);
    expect(() => encodeNpy([1], [2 ** 31], 'int32')).toThrow(EmotuneError);
  });
  it('writeNpy then readNpy gives the array back; a missing file is an EmotuneError', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'npy-'));
    const p = join(dir, 'a.npy');
    await writeNpy(p, [2, 2], [9, 8, 7, 6]);
    expect((await readFile(p)).subarray(0, 6).toString('latin1')).toBe('\x93NUMPY');
    expect(Array.from((await readNpy(p)).data)).toEqual([9, 8, 7, 6]);
    await expect(readNpy(join(dir, 'missing.npy'))).rejects.toBeInstanceOf(EmotuneError);
  });
});

describe('row / column helpers', () => {
  const arr = parseNpy(encodeNpy([3, 2], [1, 2, 3, 4, 5, 6]));
  it('take rows and columns of a [T, F] array', () => {
    expect(row(arr, 1)).toEqual([3, 4]);
    expect(column(arr, 1)).toEqual([2, 4, 6]);
    expect(toRows(arr)).toEqual([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
  });
  it('refuse out-of-range indices and non-2-D arrays', () => {
    expect(() => column(arr, 2)).toThrow(EmotuneError);
    expect(() => row(arr, 3)).toThrow(EmotuneError);
    expect(() => column(parseNpy(encodeNpy([2], [1, 2])), 0)).toThrow(EmotuneError);
  });
});

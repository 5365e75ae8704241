import { parse as npyjsParse, dump as npyjsDump } from 'npyjs';
import { EmotuneError, describeValue, throwInputError } from '../errors.js';
import { writeFileAtomic } from './atomic-write.js';
import type { IntArray, NpyIntDtype } from './types.js';
import { readInputFile } from './read-input.js';

/**
 * `.npy` reading and writing for the integer token arrays the generator writes ([T, F], C order).
 * The header is parsed and validated here (npyjs trusts it blindly and knows no big-endian); the
 * little-endian payload is decoded by npyjs, everything else with a DataView.
 */

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY
/** Refuse arrays whose element count alone would exhaust memory; token arrays are far smaller. */
const MAX_ELEMENTS = 2 ** 28;

interface DtypeInfo {
  dtype: NpyIntDtype;
  size: 1 | 2 | 4 | 8;
  signed: boolean;
  little: boolean;
}

const CODE_TO_DTYPE: Record<string, NpyIntDtype> = {
  i1: 'int8',
  u1: 'uint8',
  i2: 'int16',
  u2: 'uint16',
  i4: 'int32',
  u4: 'uint32',
  i8: 'int64',
  u8: 'uint64',
};

// ---- header dict: a tiny, strict reader for the Python literal numpy writes ----

type PyLiteral = string | number | boolean | null | PyLiteral[] | { tuple: PyLiteral[] } | Map<string, PyLiteral>;

class LiteralReader {
  pos = 0;
  constructor(
    private readonly text: string,
    private readonly file: string | undefined,
  ) {}

  private error(what: string): never {
    throwInputError(
      `malformed .npy header dict: ${what} at character ${this.pos}`,
      this.file,
      'header',
      'npy.bad-header',
      "a Python dict like {'descr': '<i8', 'fortran_order': False, 'shape': (3, 8)}",
      describeValue(this.text),
    );
  }

  private skip(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos]!)) this.pos++;
  }

  value(depth = 0): PyLiteral {
    if (depth > 8) this.error('nesting too deep');
    this.skip();
    const c = this.text[this.pos];
    if (c === undefined) this.error('unexpected end');
    if (c === '{') return this.dict(depth);
    if (c === '(' || c === '[') return this.sequence(c === '(' ? ')' : ']', depth);
    if (c === "'" || c === '"') return this.string(c);
    const word = /^[A-Za-z_][A-Za-z0-9_]*/.exec(this.text.slice(this.pos))?.[0];
    if (word !== undefined) {
      this.pos += word.length;
      if (word === 'True') return true;
      if (word === 'False') return false;
      if (word === 'None') return null;
      this.error(`unexpected name ${word}`);
    }
    const num = /^[-+]?\d+L?/.exec(this.text.slice(this.pos))?.[0];
    if (num !== undefined) {
      this.pos += num.length;
      return Number(num.replace('L', ''));
    }
    this.error(`unexpected character ${JSON.stringify(c)}`);
  }

  private string(quote: string): string {
    this.pos++;
    let out = '';
    while (this.pos < this.text.length && this.text[this.pos] !== quote) {
      if (this.text[this.pos] === '\\') this.error('escape sequences are not supported');
      out += this.text[this.pos++];
    }
    if (this.pos >= this.text.length) this.error('unterminated string');
    this.pos++;
    return out;
  }

  private sequence(close: string, depth: number): PyLiteral {
    this.pos++;
    const items: PyLiteral[] = [];
    let sawComma = false;
    for (;;) {
      this.skip();
      if (this.text[this.pos] === close) {
        this.pos++;
        break;
      }
      items.push(this.value(depth + 1));
      this.skip();
      if (this.text[this.pos] === ',') {
        this.pos++;
        sawComma = true;
        continue;
      }
      if (this.text[this.pos] === close) {
        this.pos++;
        break;
      }
      this.error(`expected ',' or '${close}'`);
    }
    // `(3)` is just 3 in Python; only `(3,)` is a tuple.
    if (close === ')' && items.length === 1 && !sawComma) return items[0]!;
    return close === ')' ? { tuple: items } : items;
  }

  private dict(depth: number): PyLiteral {
    this.pos++;
    const map = new Map<string, PyLiteral>();
    for (;;) {
      this.skip();
      if (this.text[this.pos] === '}') {
        this.pos++;
        break;
      }
      const key = this.value(depth + 1);
      if (typeof key !== 'string') this.error('dict key is not a string');
      this.skip();
      if (this.text[this.pos] !== ':') this.error("expected ':'");
      this.pos++;
      map.set(key, this.value(depth + 1));
      this.skip();
      if (this.text[this.pos] === ',') {
        this.pos++;
        continue;
      }
      if (this.text[this.pos] === '}') {
        this.pos++;
        break;
      }
      this.error("expected ',' or '}'");
    }
    return map;
  }

  end(): void {
    this.skip();
    if (this.pos !== this.text.length) this.error('trailing characters');
  }
}

function parseDtype(descr: PyLiteral, file: string | undefined): DtypeInfo {
  const expected = "an integer dtype: '<i1' '|u1' '<i2' '<u2' '<i4' '<u4' '<i8' '<u8' or a '>' variant";
  if (typeof descr !== 'string') {
    throwInputError(
      'unsupported dtype (structured or malformed)',
      file,
      'header.descr',
      'npy.dtype',
      expected,
      describeValue(descr),
    );
  }
  const m = /^([<>|=]?)([a-zA-Z])(\d*)$/.exec(descr);
  if (m === null)
    throwInputError('unsupported dtype', file, 'header.descr', 'npy.dtype', expected, describeValue(descr));
  const [, order, kind, width] = m;
  if (kind === 'O')
    throwInputError(
      'object arrays are not supported (they hold pickled Python objects)',
      file,
      'header.descr',
      'npy.dtype',
      expected,
      describeValue(descr),
    );
  if (kind === 'f' || kind === 'c')
    throwInputError(
      'floating-point arrays are not supported',
      file,
      'header.descr',
      'npy.dtype',
      expected,
      describeValue(descr),
    );
  const dtype = CODE_TO_DTYPE[`${kind}${width}`];
  if (dtype === undefined)
    throwInputError('unsupported dtype', file, 'header.descr', 'npy.dtype', expected, describeValue(descr));
  const size = Number(width) as 1 | 2 | 4 | 8;
  // '=' and '|' mean native order; numpy only writes them for 1-byte types, and hosts are little-endian.
  return { dtype, size, signed: kind === 'i', little: order !== '>' };
}

function parseShape(shape: PyLiteral, file: string | undefined): number[] {
  const expected = 'a tuple of non-negative integers';
  if (typeof shape !== 'object' || shape === null || !('tuple' in shape)) {
    throwInputError(
      'shape is not a tuple',
      file,
      'header.shape',
      'npy.bad-header',
      expected,
      describeValue(shape instanceof Map ? '{…}' : shape),
    );
  }
  const dims = shape.tuple;
  for (const d of dims) {
    if (typeof d !== 'number' || !Number.isSafeInteger(d) || d < 0) {
      throwInputError(
        'bad dimension in shape',
        file,
        'header.shape',
        'npy.bad-header',
        expected,
        describeValue(d instanceof Map ? '{…}' : d),
      );
    }
  }
  return dims as number[];
}

interface NpyHeader {
  info: DtypeInfo;
  shape: number[];
  count: number;
  dataOffset: number;
}

/** The header's text (after the magic, version and length checks) and where the data starts. */
function headerText(bytes: Uint8Array, file: string | undefined): { text: string; dataOffset: number } {
  if (bytes.length < MAGIC.length || MAGIC.some((b, i) => bytes[i] !== b)) {
    throwInputError(
      'not a .npy file',
      file,
      'magic',
      'npy.magic',
      '\\x93NUMPY',
      describeValue(String.fromCharCode(...bytes.subarray(0, 6))),
    );
  }
  if (bytes.length < 10) throwInputError('file ends inside the header', file, 'header', 'npy.truncated');
  const major = bytes[6]!;
  const minor = bytes[7]!;
  if (![1, 2, 3].includes(major) || minor !== 0) {
    throwInputError(
      'unsupported .npy format version',
      file,
      'version',
      'npy.version',
      '1.0, 2.0 or 3.0',
      `${major}.${minor}`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let headerLen: number;
  let headerStart: number;
  if (major === 1) {
    headerLen = view.getUint16(8, true);
    headerStart = 10;
  } else {
    if (bytes.length < 12) throwInputError('file ends inside the header', file, 'header', 'npy.truncated');
    headerLen = view.getUint32(8, true);
    headerStart = 12;
  }
  const dataOffset = headerStart + headerLen;
  if (dataOffset > bytes.length) {
    throwInputError(
      'file ends inside the header',
      file,
      'header',
      'npy.truncated',
      `${headerLen} header bytes`,
      `${bytes.length - headerStart}`,
    );
  }
  const raw = bytes.subarray(headerStart, dataOffset);
  let text: string;
  try {
    text = new TextDecoder(major === 3 ? 'utf-8' : 'latin1', { fatal: true }).decode(raw);
  } catch (cause) {
    throw new EmotuneError('header is not valid text', { file, field: 'header', code: 'npy.bad-header', cause });
  }
  return { text, dataOffset };
}

/** The header's Python dict, with exactly the keys descr, fortran_order (a bool) and shape. */
function headerDict(text: string, file: string | undefined): Map<string, PyLiteral> {
  const reader = new LiteralReader(text, file);
  const dict = reader.value();
  reader.end();
  if (!(dict instanceof Map)) {
    throwInputError('header is not a dict', file, 'header', 'npy.bad-header', 'a Python dict', describeValue(text));
  }
  const keys = [...dict.keys()].sort();
  if (keys.join(',') !== 'descr,fortran_order,shape') {
    throwInputError(
      'header has the wrong keys',
      file,
      'header',
      'npy.bad-header',
      "exactly 'descr', 'fortran_order', 'shape'",
      describeValue(keys),
    );
  }
  const fortran = dict.get('fortran_order');
  if (typeof fortran !== 'boolean') {
    throwInputError(
      'fortran_order is not a bool',
      file,
      'header.fortran_order',
      'npy.bad-header',
      'True or False',
      describeValue(fortran),
    );
  }
  return dict;
}

function readHeader(bytes: Uint8Array, file: string | undefined): NpyHeader {
  const { text, dataOffset } = headerText(bytes, file);
  const dict = headerDict(text, file);
  const fortran = dict.get('fortran_order') as boolean;
  const info = parseDtype(dict.get('descr')!, file);
  const shape = parseShape(dict.get('shape')!, file);
  let count = 1;
  for (const d of shape) {
    count *= d;
    if (count > MAX_ELEMENTS)
      throwInputError(
        'array too large',
        file,
        'header.shape',
        'npy.too-large',
        `at most ${MAX_ELEMENTS} elements`,
        describeValue(shape),
      );
  }
  // numpy writes True only for arrays that are F- but not C-contiguous (2-D and up).
  if (fortran) {
    throwInputError(
      'Fortran-order arrays are not supported',
      file,
      'header.fortran_order',
      'npy.fortran-order',
      'False (C order)',
      'True',
    );
  }
  return { info, shape, count, dataOffset };
}

// Made once: building them per value cost more than the rest of the decoding.
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const MIN_SAFE = BigInt(Number.MIN_SAFE_INTEGER);

function toNumber(v: bigint, file: string | undefined, index: number): number {
  if (v > MAX_SAFE || v < MIN_SAFE) {
    throwInputError(
      '64-bit value beyond the exactly representable range',
      file,
      `data[${index}]`,
      'npy.int64-range',
      'a value within ±(2^53-1)',
      v.toString(),
    );
  }
  return Number(v);
}

const PLATFORM_LITTLE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * Little-endian int64/uint64 (what generators write) read as two 32-bit halves: exact, and without making a
 * BigInt per value, which was most of an analysis's decoding time. Undefined for other layouts.
 */
function decode64(bytes: Uint8Array, h: NpyHeader, file: string | undefined): Float64Array | undefined {
  if (h.info.size !== 8 || !h.info.little || !PLATFORM_LITTLE) return undefined;
  const start = bytes.byteOffset + h.dataOffset;
  const words =
    start % 4 === 0
      ? new Int32Array(bytes.buffer, start, h.count * 2)
      : new Int32Array(bytes.slice(h.dataOffset, h.dataOffset + h.count * 8).buffer);
  const out = new Float64Array(h.count);
  for (let i = 0; i < h.count; i++) {
    const lo = words[2 * i]! >>> 0;
    const hi = h.info.signed ? words[2 * i + 1]! : words[2 * i + 1]! >>> 0;
    const v = hi * 4294967296 + lo;
    // Beyond ±(2^53-1) the sum is inexact, and also not a safe integer: report the exact value.
    out[i] = Number.isSafeInteger(v) ? v : toNumber((BigInt(hi) << 32n) + BigInt(lo), file, i);
  }
  return out;
}

/** Decode with npyjs (little-endian, aligned payload), or undefined when it cannot be used. */
function decodeWithNpyjs(bytes: Uint8Array, h: NpyHeader): ArrayLike<number | bigint> | undefined {
  if (!h.info.little || h.dataOffset % h.info.size !== 0) return undefined;
  const end = h.dataOffset + h.count * h.info.size;
  // A fresh buffer cut exactly at the payload's end, so npyjs sees no trailing bytes.
  const buf = bytes.slice(0, end).buffer;
  try {
    const parsed = npyjsParse(buf);
    const data = parsed.data as unknown as ArrayLike<number | bigint>;
    return data.length === h.count ? data : undefined;
  } catch {
    return undefined; // npyjs's own header reading disagrees; the DataView path decides.
  }
}

function decodeWithView(bytes: Uint8Array, h: NpyHeader): ArrayLike<number | bigint> {
  const view = new DataView(bytes.buffer, bytes.byteOffset + h.dataOffset, h.count * h.info.size);
  const { size, signed, little } = h.info;
  const out: (number | bigint)[] = new Array(h.count);
  for (let i = 0; i < h.count; i++) {
    const o = i * size;
    switch (size) {
      case 1:
        out[i] = signed ? view.getInt8(o) : view.getUint8(o);
        break;
      case 2:
        out[i] = signed ? view.getInt16(o, little) : view.getUint16(o, little);
        break;
      case 4:
        out[i] = signed ? view.getInt32(o, little) : view.getUint32(o, little);
        break;
      case 8:
        out[i] = signed ? view.getBigInt64(o, little) : view.getBigUint64(o, little);
        break;
    }
  }
  return out;
}

/** Parse `.npy` bytes holding an integer array. Every problem is an EmotuneError naming the file and field. */
export function parseNpy(bytes: Uint8Array, file?: string): IntArray {
  const h = readHeader(bytes, file);
  const nbytes = h.count * h.info.size;
  const available = bytes.length - h.dataOffset;
  if (available < nbytes) {
    throwInputError(
      'data is truncated',
      file,
      'data',
      'npy.truncated',
      `${nbytes} bytes for shape (${h.shape.join(', ')})`,
      `${available} bytes`,
    );
  }
  if (available > nbytes) {
    throwInputError(
      'data size does not match the shape',
      file,
      'data',
      'npy.size-mismatch',
      `${nbytes} bytes for shape (${h.shape.join(', ')})`,
      `${available} bytes`,
    );
  }
  const fast = decode64(bytes, h, file);
  if (fast) return { dtype: h.info.dtype, shape: h.shape, data: fast };
  const raw = decodeWithNpyjs(bytes, h) ?? decodeWithView(bytes, h);
  let data: Int32Array | Float64Array;
  if (h.info.size < 4 || (h.info.size === 4 && h.info.signed)) {
    data = Int32Array.from(raw as ArrayLike<number>);
  } else {
    data = new Float64Array(h.count);
    for (let i = 0; i < h.count; i++) {
      const v = raw[i]!;
      data[i] = typeof v === 'bigint' ? toNumber(v, file, i) : v;
    }
  }
  return { dtype: h.info.dtype, shape: h.shape, data };
}

/**
 * Reads an integer `.npy` array (a generated song's CP tokens) as `{ shape, data }`.
 * @example
 * ```ts
 * const tokens = await et.readNpy(meta.paths.npy);
 * console.log(tokens.shape); // [rows, token types]
 * ```
 */
export async function readNpy(path: string): Promise<IntArray> {
  const bytes = await readInputFile(path, 'npy');
  return parseNpy(bytes, path);
}

const RANGES: Record<'int64' | 'int32', [number, number]> = {
  int64: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
  int32: [-(2 ** 31), 2 ** 31 - 1],
};

/** Encode an integer array as `.npy` (format 1.0, little-endian, C order), via npyjs's writer. */
export function encodeNpy(shape: number[], data: ArrayLike<number>, dtype: 'int64' | 'int32' = 'int64'): Uint8Array {
  const count = shape.reduce((a, b) => a * b, 1);
  if (shape.some((d) => !Number.isSafeInteger(d) || d < 0)) {
    throw new EmotuneError('bad shape', {
      field: 'shape',
      expected: 'non-negative integers',
      found: describeValue(shape),
      code: 'npy.encode',
    });
  }
  if (count !== data.length) {
    throw new EmotuneError('data length does not match the shape', {
      field: 'data',
      expected: `${count} values`,
      found: `${data.length}`,
      code: 'npy.encode',
    });
  }
  const [lo, hi] = RANGES[dtype];
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (!Number.isInteger(v) || v < lo || v > hi) {
      throw new EmotuneError(`value does not fit ${dtype}`, {
        field: `data[${i}]`,
        expected: `an integer in [${lo}, ${hi}]`,
        found: String(v),
        code: 'npy.encode',
      });
    }
  }
  let typed: Int32Array | BigInt64Array;
  if (dtype === 'int32') {
    typed = Int32Array.from(data);
  } else {
    typed = new BigInt64Array(data.length);
    for (let i = 0; i < data.length; i++) typed[i] = BigInt(data[i]!);
  }
  // npyjs writes the host's byte order; every supported host is little-endian, which parseNpy checks on read.
  return new Uint8Array(npyjsDump(typed, shape, { dtype: dtype === 'int32' ? 'i4' : 'i8' }));
}

export async function writeNpy(
  path: string,
  shape: number[],
  data: ArrayLike<number>,
  dtype: 'int64' | 'int32' = 'int64',
): Promise<void> {
  await writeFileAtomic(path, encodeNpy(shape, data, dtype));
}

function requireMatrix(arr: IntArray, what: string): [number, number] {
  if (arr.shape.length !== 2) {
    throw new EmotuneError(`${what} needs a 2-D array`, {
      field: 'shape',
      expected: '[T, F]',
      found: describeValue(arr.shape),
      code: 'npy.shape',
    });
  }
  return [arr.shape[0]!, arr.shape[1]!];
}

/** Row i of a C-order [T, F] array. */
export function row(arr: IntArray, i: number): number[] {
  const [t, f] = requireMatrix(arr, 'row');
  if (!Number.isInteger(i) || i < 0 || i >= t) {
    throw new EmotuneError('row index out of range', {
      field: 'row',
      expected: `0..${t - 1}`,
      found: String(i),
      code: 'npy.index',
    });
  }
  return Array.from(arr.data.slice(i * f, (i + 1) * f) as ArrayLike<number>);
}

/** Column j of a C-order [T, F] array (one token type over all CP steps). */
export function column(arr: IntArray, j: number): number[] {
  const [t, f] = requireMatrix(arr, 'column');
  if (!Number.isInteger(j) || j < 0 || j >= f) {
    throw new EmotuneError('column index out of range', {
      field: 'column',
      expected: `0..${f - 1}`,
      found: String(j),
      code: 'npy.index',
    });
  }
  const out = new Array<number>(t);
  for (let i = 0; i < t; i++) out[i] = arr.data[i * f + j]!;
  return out;
}

/** All rows of a [T, F] array as plain arrays. */
export function toRows(arr: IntArray): number[][] {
  const [t] = requireMatrix(arr, 'toRows');
  return Array.from({ length: t }, (_, i) => row(arr, i));
}

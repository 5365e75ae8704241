import { EmotuneError, describeValue } from '../errors.js';
import type { Word2Event } from '../formats/types.js';
import { validateWord2Event } from './word2event.js';
import { readInputFile } from '../formats/read-input.js';

/**
 * A restricted unpickler (protocols 0-5) for plain data only: dict, list, tuple, set, int, float, str,
 * bytes, bool, None and memo references. Every opcode that could import or call something (GLOBAL,
 * REDUCE, BUILD, ...) is refused before anything happens, so a hostile `dictionary.pkl` is only an error.
 *
 * Results: dict -> plain object (keys converted as Python's json does: int 1 -> "1", True -> "true",
 * None -> "null"), list/tuple/set -> array, bytes -> Uint8Array, int -> number (bigint beyond 2^53).
 */

/** Opcodes that construct or call objects, or need out-of-band data: refused by name. */
const FORBIDDEN: Record<number, string> = {
  0x63: 'GLOBAL',
  0x93: 'STACK_GLOBAL',
  0x52: 'REDUCE',
  0x62: 'BUILD',
  0x69: 'INST',
  0x6f: 'OBJ',
  0x81: 'NEWOBJ',
  0x92: 'NEWOBJ_EX',
  0x82: 'EXT1',
  0x83: 'EXT2',
  0x84: 'EXT4',
  0x50: 'PERSID',
  0x51: 'BINPERSID',
  0x97: 'NEXT_BUFFER',
  0x98: 'READONLY_BUFFER',
};

const MARK = Symbol('MARK');

/**
 * Longest integer accepted from LONG1/LONG4 (bytes). A vocabulary holds small indices; without a cap a 400 KB
 * LONG4 costs minutes of bigint arithmetic.
 */
export const MAX_LONG_BYTES = 1024;

/** What the refusal of a global tells the user to do: the one-time conversion to word2event JSON. */
export const PICKLE_CONVERT_HINT =
  'a dictionary.pkl holding numpy integers converts once to JSON with: npx emotune vocab convert <dictionary.pkl> --out word2event.json (then point word2event_path at the JSON)';

/**
 * With `numpyScalars`, the only globals allowed: numpy's scalar constructor, numpy.dtype and _codecs.encode
 * (protocol 2 spells bytes with it). They are interpreted here, never called: a numpy scalar becomes the
 * number its bytes hold.
 */
const NUMPY_GLOBALS: Record<string, 'scalar' | 'dtype' | 'encode'> = {
  'numpy.core.multiarray.scalar': 'scalar',
  'numpy._core.multiarray.scalar': 'scalar',
  'numpy.dtype': 'dtype',
  '_codecs.encode': 'encode',
};

class AllowedGlobal {
  constructor(readonly name: 'scalar' | 'dtype' | 'encode') {}
}

class NumpyDtype {
  byteorder = '=';
  constructor(readonly code: string) {}
}

export interface UnpickleOptions {
  /** Read numpy scalars (np.int64 and friends) as numbers; every other global stays refused. */
  numpyScalars?: boolean;
}
type Value = unknown;

function opName(op: number): string {
  return FORBIDDEN[op] ?? `0x${op.toString(16).padStart(2, '0')}`;
}

class Unpickler {
  private pos = 0;
  private stack: Value[] = [];
  private readonly memo = new Map<number, Value>();
  /** Arrays that stand for tuples (immutable in Python) and sets, to refuse APPEND/ADDITEMS like Python. */
  private readonly tuples = new WeakSet<object>();
  private readonly sets = new WeakMap<object, Set<unknown>>();
  private opStart = 0;
  private op = 0;

  constructor(
    private readonly b: Uint8Array,
    private readonly file: string | undefined,
    private readonly options: UnpickleOptions = {},
  ) {}

  /** GLOBAL, STACK_GLOBAL, REDUCE and BUILD for numpy scalars only (see NUMPY_GLOBALS). */
  private numpyOp(op: number): void {
    if (op === 0x63 || op === 0x93) {
      let name: string;
      if (op === 0x63) name = `${this.line()}.${this.line()}`;
      else {
        const n = this.pop();
        const m = this.pop();
        name = `${String(m)}.${String(n)}`;
      }
      const allowed = Object.hasOwn(NUMPY_GLOBALS, name) ? NUMPY_GLOBALS[name] : undefined;
      if (allowed === undefined)
        this.fail(`forbidden global ${name}: only plain data and numpy scalars are read`, 'pickle.forbidden-global');
      this.stack.push(new AllowedGlobal(allowed));
      return;
    }
    if (op === 0x62) {
      // BUILD: only a dtype's state (its byte order is the second item)
      const state = this.pop();
      const target = this.top();
      if (!(target instanceof NumpyDtype))
        this.fail('BUILD on something that is not a numpy dtype', 'pickle.forbidden-opcode');
      if (Array.isArray(state) && typeof state[1] === 'string') target.byteorder = state[1];
      return;
    }
    const args = this.pop(); // REDUCE
    const fn = this.pop();
    if (!(fn instanceof AllowedGlobal) || !Array.isArray(args))
      this.fail('REDUCE of something that is not a numpy scalar', 'pickle.forbidden-opcode');
    this.stack.push(this.callAllowed(fn.name, args));
  }

  private callAllowed(name: 'scalar' | 'dtype' | 'encode', args: Value[]): Value {
    if (name === 'dtype') {
      if (typeof args[0] !== 'string') this.fail('numpy.dtype without a type code', 'pickle.bad-value');
      return new NumpyDtype(args[0]);
    }
    if (name === 'encode') {
      const text = args[0];
      // eslint-disable-next-line no-control-regex -- latin-1 is every code point up to U+00FF, controls included
      if (typeof text !== 'string' || !/^[\u0000-\u00ff]*$/.test(text))
        this.fail('_codecs.encode of something that is not latin-1 text', 'pickle.bad-value');
      return Uint8Array.from(text, (c) => c.charCodeAt(0));
    }
    const [dtype, data] = args;
    if (!(dtype instanceof NumpyDtype) || !(data instanceof Uint8Array))
      this.fail('numpy scalar without a dtype and bytes', 'pickle.bad-value');
    const m = /^([iubf])(\d+)$/.exec(dtype.code);
    const size = m ? Number(m[2]) : 0;
    if (m === null || data.length !== size)
      this.fail(
        `unsupported numpy scalar type ${dtype.code}`,
        'pickle.bad-value',
        'an integer, bool or float scalar',
        `${dtype.code} with ${data.length} bytes`,
      );
    const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
    const little = dtype.byteorder !== '>';
    const kind = m[1]!;
    if (kind === 'b') return data[0] !== 0;
    if (kind === 'f') {
      if (size === 8) return view.getFloat64(0, little);
      if (size === 4) return view.getFloat32(0, little);
    } else if (size === 1) return kind === 'i' ? view.getInt8(0) : view.getUint8(0);
    else if (size === 2) return kind === 'i' ? view.getInt16(0, little) : view.getUint16(0, little);
    else if (size === 4) return kind === 'i' ? view.getInt32(0, little) : view.getUint32(0, little);
    else if (size === 8) return this.int(kind === 'i' ? view.getBigInt64(0, little) : view.getBigUint64(0, little));
    this.fail(`unsupported numpy scalar type ${dtype.code}`, 'pickle.bad-value');
  }

  private fail(message: string, code: string, expected?: string, found?: string): never {
    throw new EmotuneError(message, {
      file: this.file,
      field: `opcode ${opName(this.op)}@${this.opStart}`,
      code,
      expected,
      found,
    });
  }

  private need(n: number): void {
    if (!Number.isSafeInteger(n) || n < 0 || this.pos + n > this.b.length) {
      this.fail(
        'pickle data is truncated',
        'pickle.truncated',
        `${n} more bytes`,
        `${Math.max(0, this.b.length - this.pos)}`,
      );
    }
  }

  private bytes(n: number): Uint8Array {
    this.need(n);
    const out = this.b.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  private u8(): number {
    this.need(1);
    return this.b[this.pos++]!;
  }

  private view(n: number): DataView {
    const s = this.bytes(n);
    return new DataView(s.buffer, s.byteOffset, n);
  }

  private u32(): number {
    return this.view(4).getUint32(0, true);
  }

  private u64(): number {
    const v = this.view(8).getBigUint64(0, true);
    if (v > BigInt(this.b.length))
      this.fail('length beyond the end of the data', 'pickle.truncated', `at most ${this.b.length}`, v.toString());
    return Number(v);
  }

  /** A text line for protocol-0 opcodes (without the newline). */
  private line(): string {
    const nl = this.b.indexOf(0x0a, this.pos);
    if (nl < 0) this.fail('pickle data is truncated (no end of line)', 'pickle.truncated');
    const s = latin1(this.b.subarray(this.pos, nl));
    this.pos = nl + 1;
    return s;
  }

  private utf8(n: number): string {
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(this.bytes(n));
    } catch (cause) {
      if (cause instanceof EmotuneError) throw cause;
      this.fail('string is not valid UTF-8', 'pickle.bad-value');
    }
  }

  private pop(): Value {
    if (this.stack.length === 0) this.fail('stack underflow', 'pickle.stack');
    const v = this.stack.pop();
    if (v === MARK) this.fail('unexpected MARK on the stack', 'pickle.stack');
    return v;
  }

  private top(): Value {
    const v = this.stack[this.stack.length - 1];
    if (this.stack.length === 0 || v === MARK) this.fail('stack underflow', 'pickle.stack');
    return v;
  }

  /** Items pushed since the last MARK; the MARK is removed. */
  private popMark(): Value[] {
    const i = this.stack.lastIndexOf(MARK);
    if (i < 0) this.fail('no MARK on the stack', 'pickle.stack');
    const items = this.stack.slice(i + 1);
    this.stack.length = i;
    return items;
  }

  private tuple(items: Value[]): Value[] {
    this.tuples.add(items);
    return items;
  }

  private parseInt(text: string): number | bigint {
    const t = text.trim().replace(/L$/, '').replace(/_/g, '');
    const m = /^([+-]?)(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|\d+)$/.exec(t);
    if (m === null || t.length > 5000)
      this.fail('bad integer literal', 'pickle.bad-value', 'an integer', describeValue(text));
    const big = BigInt(m[2]!) * (m[1] === '-' ? -1n : 1n);
    return this.int(big);
  }

  private int(v: bigint): number | bigint {
    return v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(v) : v;
  }

  private longBytes(n: number): number | bigint {
    if (n > MAX_LONG_BYTES)
      this.fail(
        'integer too large for a vocabulary',
        'pickle.too-large',
        `at most ${MAX_LONG_BYTES} bytes`,
        `${n} bytes`,
      );
    const s = this.bytes(n);
    if (n === 0) return 0;
    // One hex parse instead of a shift per byte (which is quadratic in the length).
    let hex = '';
    for (let i = n - 1; i >= 0; i--) hex += s[i]!.toString(16).padStart(2, '0');
    let v = BigInt(`0x${hex}`);
    if (s[n - 1]! & 0x80) v -= 1n << BigInt(8 * n);
    return this.int(v);
  }

  private parseFloat(text: string): number {
    const t = text.trim().toLowerCase();
    if (/^[+-]?(inf|infinity)$/.test(t)) return t.startsWith('-') ? -Infinity : Infinity;
    if (/^[+-]?nan$/.test(t)) return NaN;
    if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/.test(t))
      this.fail('bad float literal', 'pickle.bad-value', 'a float', describeValue(text));
    return Number(t);
  }

  /** Python 2 `repr` of a byte string, as the STRING opcode writes it; decoded byte-for-byte. */
  private parseQuoted(text: string): string {
    const q = text[0];
    if (text.length < 2 || (q !== "'" && q !== '"') || text[text.length - 1] !== q) {
      this.fail('STRING argument is not quoted', 'pickle.bad-value', 'a quoted string', describeValue(text));
    }
    const body = text.slice(1, -1);
    let out = '';
    for (let i = 0; i < body.length; i++) {
      const c = body[i]!;
      if (c !== '\\') {
        out += c;
        continue;
      }
      const n = body[++i];
      const simple: Record<string, string> = {
        n: '\n',
        t: '\t',
        r: '\r',
        '\\': '\\',
        "'": "'",
        '"': '"',
        a: '\x07',
        b: '\b',
        f: '\f',
        v: '\v',
        '0': '\0',
      };
      if (n === 'x' && /^[0-9a-fA-F]{2}$/.test(body.slice(i + 1, i + 3))) {
        out += String.fromCharCode(parseInt(body.slice(i + 1, i + 3), 16));
        i += 2;
      } else if (n !== undefined && /[0-7]/.test(n) && /^[0-7]{1,3}/.test(body.slice(i))) {
        const oct = /^[0-7]{1,3}/.exec(body.slice(i))![0];
        out += String.fromCharCode(parseInt(oct, 8) & 0xff);
        i += oct.length - 1;
      } else if (n !== undefined && simple[n] !== undefined) {
        out += simple[n];
      } else {
        out += `\\${n ?? ''}`;
      }
    }
    return out;
  }

  /** raw-unicode-escape, as protocol 0's UNICODE opcode writes it. */
  private parseRawUnicode(text: string): string {
    return text.replace(
      /\\u([0-9a-fA-F]{4})|\\U([0-9a-fA-F]{8})/g,
      (all, u4: string | undefined, u8: string | undefined) => {
        const cp = parseInt((u4 ?? u8)!, 16);
        if (cp > 0x10ffff) this.fail('code point out of range', 'pickle.bad-value', 'at most U+10FFFF', all);
        return String.fromCodePoint(cp);
      },
    );
  }

  /** Python's json turns int/float/bool/None keys into strings; anything else cannot be an object key. */
  private key(k: Value): string {
    if (typeof k === 'string') return k;
    if (typeof k === 'number') return Number.isInteger(k) || !Number.isFinite(k) ? pyNumberKey(k) : String(k);
    if (typeof k === 'bigint') return k.toString();
    if (typeof k === 'boolean') return k ? 'true' : 'false';
    if (k === null) return 'null';
    this.fail(
      'dict key is not a string, number, bool or None',
      'pickle.unsupported-key',
      'str/int/float/bool/None',
      describeValue(Array.isArray(k) ? '(tuple or list)' : typeof k),
    );
  }

  private setItem(d: Value, k: Value, v: Value): void {
    if (!isPlainDict(d)) this.fail('SETITEM on something that is not a dict', 'pickle.stack');
    // defineProperty, so a key named __proto__ is data, not a prototype change.
    Object.defineProperty(d, this.key(k), { value: v, enumerable: true, writable: true, configurable: true });
  }

  private list(target: Value, what: string): Value[] {
    if (!Array.isArray(target) || this.tuples.has(target) || this.sets.has(target))
      this.fail(`${what} on something that is not a list`, 'pickle.stack');
    return target;
  }

  private memoGet(i: number): Value {
    if (!this.memo.has(i)) this.fail('memo key not found', 'pickle.memo', 'a key stored earlier', String(i));
    return this.memo.get(i);
  }

  private memoPut(i: number): void {
    this.memo.set(i, this.top());
  }

  run(): Value {
    const b = this.b;
    for (;;) {
      if (this.pos >= b.length) {
        this.opStart = this.pos;
        this.fail('pickle data ends without STOP', 'pickle.truncated');
      }
      this.opStart = this.pos;
      this.op = b[this.pos++]!;
      const op = this.op;
      if (this.options.numpyScalars && (op === 0x63 || op === 0x93 || op === 0x52 || op === 0x62)) {
        this.numpyOp(op);
        continue;
      }
      if (FORBIDDEN[op] !== undefined) {
        const hint =
          op === 0x63 || op === 0x93 || op === 0x52 || op === 0x62
            ? `; ${PICKLE_CONVERT_HINT.replace('<dictionary.pkl>', this.file ?? '<dictionary.pkl>')}`
            : '';
        this.fail(
          `forbidden opcode ${FORBIDDEN[op]}: only plain data (dict, list, tuple, str, int, float, bool, None) is accepted${hint}`,
          'pickle.forbidden-opcode',
        );
      }
      switch (op) {
        case 0x80: {
          // PROTO
          const v = this.u8();
          if (v > 5) this.fail('unsupported pickle protocol', 'pickle.protocol', '0..5', String(v));
          break;
        }
        case 0x95:
          this.u64();
          break; // FRAME: only a length hint
        case 0x2e:
          return this.pop(); // STOP
        case 0x28:
          this.stack.push(MARK);
          break; // MARK
        case 0x30:
          this.pop();
          break; // POP
        case 0x31:
          this.popMark();
          break; // POP_MARK
        case 0x32:
          this.stack.push(this.top());
          break; // DUP
        case 0x4e:
          this.stack.push(null);
          break; // NONE
        case 0x88:
          this.stack.push(true);
          break; // NEWTRUE
        case 0x89:
          this.stack.push(false);
          break; // NEWFALSE
        case 0x49: {
          // INT: "00"/"01" are Python 2's False/True
          const t = this.line();
          this.stack.push(t === '00' ? false : t === '01' ? true : this.parseInt(t));
          break;
        }
        case 0x4a:
          this.stack.push(this.view(4).getInt32(0, true));
          break; // BININT
        case 0x4b:
          this.stack.push(this.u8());
          break; // BININT1
        case 0x4d:
          this.stack.push(this.view(2).getUint16(0, true));
          break; // BININT2
        case 0x4c:
          this.stack.push(this.parseInt(this.line()));
          break; // LONG
        case 0x8a:
          this.stack.push(this.longBytes(this.u8()));
          break; // LONG1
        case 0x8b: {
          // LONG4
          const n = this.view(4).getInt32(0, true);
          if (n < 0) this.fail('negative length', 'pickle.bad-value', 'a length >= 0', String(n));
          this.stack.push(this.longBytes(n));
          break;
        }
        case 0x46:
          this.stack.push(this.parseFloat(this.line()));
          break; // FLOAT
        case 0x47:
          this.stack.push(this.view(8).getFloat64(0, false));
          break; // BINFLOAT (big-endian)
        case 0x53:
          this.stack.push(this.parseQuoted(this.line()));
          break; // STRING
        case 0x54: {
          // BINSTRING
          const n = this.view(4).getInt32(0, true);
          if (n < 0) this.fail('negative length', 'pickle.bad-value', 'a length >= 0', String(n));
          this.stack.push(latin1(this.bytes(n)));
          break;
        }
        case 0x55:
          this.stack.push(latin1(this.bytes(this.u8())));
          break; // SHORT_BINSTRING
        case 0x56:
          this.stack.push(this.parseRawUnicode(this.line()));
          break; // UNICODE
        case 0x58:
          this.stack.push(this.utf8(this.u32()));
          break; // BINUNICODE
        case 0x8c:
          this.stack.push(this.utf8(this.u8()));
          break; // SHORT_BINUNICODE
        case 0x8d:
          this.stack.push(this.utf8(this.u64()));
          break; // BINUNICODE8
        case 0x42:
          this.stack.push(this.bytes(this.u32()).slice());
          break; // BINBYTES
        case 0x43:
          this.stack.push(this.bytes(this.u8()).slice());
          break; // SHORT_BINBYTES
        case 0x8e:
          this.stack.push(this.bytes(this.u64()).slice());
          break; // BINBYTES8
        case 0x96:
          this.stack.push(this.bytes(this.u64()).slice());
          break; // BYTEARRAY8
        case 0x5d:
          this.stack.push([]);
          break; // EMPTY_LIST
        case 0x6c:
          this.stack.push(this.popMark());
          break; // LIST
        case 0x61: {
          // APPEND
          const v = this.pop();
          this.list(this.top(), 'APPEND').push(v);
          break;
        }
        case 0x65: {
          // APPENDS
          const items = this.popMark();
          const target = this.list(this.top(), 'APPENDS');
          for (const v of items) target.push(v);
          break;
        }
        case 0x29:
          this.stack.push(this.tuple([]));
          break; // EMPTY_TUPLE
        case 0x74:
          this.stack.push(this.tuple(this.popMark()));
          break; // TUPLE
        case 0x85:
          this.stack.push(this.tuple([this.pop()]));
          break; // TUPLE1
        case 0x86: {
          // TUPLE2
          const b2 = this.pop();
          const a = this.pop();
          this.stack.push(this.tuple([a, b2]));
          break;
        }
        case 0x87: {
          // TUPLE3
          const c = this.pop();
          const b2 = this.pop();
          const a = this.pop();
          this.stack.push(this.tuple([a, b2, c]));
          break;
        }
        case 0x7d:
          this.stack.push({});
          break; // EMPTY_DICT
        case 0x64: {
          // DICT
          const items = this.popMark();
          if (items.length % 2 !== 0) this.fail('odd number of items for DICT', 'pickle.stack');
          const d = {};
          for (let i = 0; i < items.length; i += 2) this.setItem(d, items[i], items[i + 1]);
          this.stack.push(d);
          break;
        }
        case 0x73: {
          // SETITEM
          const v = this.pop();
          const k = this.pop();
          this.setItem(this.top(), k, v);
          break;
        }
        case 0x75: {
          // SETITEMS
          const items = this.popMark();
          if (items.length % 2 !== 0) this.fail('odd number of items for SETITEMS', 'pickle.stack');
          const d = this.top();
          for (let i = 0; i < items.length; i += 2) this.setItem(d, items[i], items[i + 1]);
          break;
        }
        case 0x8f: {
          // EMPTY_SET
          const s: Value[] = [];
          this.sets.set(s, new Set());
          this.stack.push(s);
          break;
        }
        case 0x90: {
          // ADDITEMS (members tracked in a Set: linear, where scanning the array was quadratic)
          const items = this.popMark();
          const s = this.top();
          const members = Array.isArray(s) ? this.sets.get(s) : undefined;
          if (!Array.isArray(s) || members === undefined)
            this.fail('ADDITEMS on something that is not a set', 'pickle.stack');
          for (const v of items) {
            if (!members.has(v)) {
              members.add(v);
              s.push(v);
            }
          }
          break;
        }
        case 0x91: {
          // FROZENSET
          const s = [...new Set(this.popMark())];
          this.tuples.add(s);
          this.stack.push(s);
          break;
        }
        case 0x67:
          this.stack.push(this.memoGet(Number(this.parseInt(this.line()))));
          break; // GET
        case 0x68:
          this.stack.push(this.memoGet(this.u8()));
          break; // BINGET
        case 0x6a:
          this.stack.push(this.memoGet(this.u32()));
          break; // LONG_BINGET
        case 0x70:
          this.memoPut(Number(this.parseInt(this.line())));
          break; // PUT
        case 0x71:
          this.memoPut(this.u8());
          break; // BINPUT
        case 0x72:
          this.memoPut(this.u32());
          break; // LONG_BINPUT
        case 0x94:
          this.memoPut(this.memo.size);
          break; // MEMOIZE
        default:
          this.fail(
            'unknown pickle opcode',
            'pickle.bad-opcode',
            'a pickle opcode (protocol 0-5)',
            `0x${op.toString(16)}`,
          );
      }
    }
  }
}

function latin1(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i += 8192) s += String.fromCharCode(...b.subarray(i, i + 8192));
  return s;
}

/** Python's json writes float keys with repr: 1.0 -> "1.0", inf -> "Infinity". */
function pyNumberKey(k: number): string {
  if (k === Infinity) return 'Infinity';
  if (k === -Infinity) return '-Infinity';
  if (Number.isNaN(k)) return 'NaN';
  return String(k);
}

function isPlainDict(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array);
}

/** Unpickle plain data. Anything else, or damaged input, is an EmotuneError (codes `pickle.*`). */
export function parsePickle(bytes: Uint8Array, file?: string, options: UnpickleOptions = {}): unknown {
  return new Unpickler(bytes, file, options).run();
}

export interface PickledDictionary {
  event2word: Record<string, Record<string, number>>;
  word2event: Word2Event;
}

/** The `(event2word, word2event)` pair from `bytes` of a dictionary.pkl, validated. */
export function parseDictionaryPkl(bytes: Uint8Array, file?: string, options: UnpickleOptions = {}): PickledDictionary {
  const value = parsePickle(bytes, file, options);
  if (!Array.isArray(value) || value.length !== 2) {
    throw new EmotuneError('dictionary pickle is not an (event2word, word2event) pair', {
      file,
      field: '(root)',
      code: 'vocab.invalid',
      expected: 'a 2-tuple of dicts',
      found: describeValue(Array.isArray(value) ? `${value.length} items` : typeof value),
    });
  }
  const [e2w, w2e] = value as [unknown, unknown];
  const word2event = validateWord2Event(w2e, file, 'word2event');
  if (!isPlainDict(e2w)) {
    throw new EmotuneError('event2word is not a dict', {
      file,
      field: 'event2word',
      code: 'vocab.invalid',
      expected: 'a dict of dicts',
    });
  }
  const event2word: Record<string, Record<string, number>> = {};
  for (const [type, map] of Object.entries(e2w)) {
    if (!isPlainDict(map)) {
      throw new EmotuneError('token type is not a dict', {
        file,
        field: `event2word.${type}`,
        code: 'vocab.invalid',
        expected: 'a dict label -> index',
      });
    }
    const inner: Record<string, number> = {};
    for (const [label, idx] of Object.entries(map)) {
      if (typeof idx !== 'number' || !Number.isInteger(idx)) {
        throw new EmotuneError('index is not an integer', {
          file,
          field: `event2word.${type}.${label}`,
          code: 'vocab.invalid',
          expected: 'an integer',
          found: describeValue(idx),
        });
      }
      Object.defineProperty(inner, label, { value: idx, enumerable: true, writable: true, configurable: true });
    }
    Object.defineProperty(event2word, type, { value: inner, enumerable: true, writable: true, configurable: true });
  }
  return { event2word, word2event };
}

export async function readDictionaryPkl(path: string): Promise<PickledDictionary> {
  const bytes = await readInputFile(path, 'vocab');
  return parseDictionaryPkl(bytes, path);
}

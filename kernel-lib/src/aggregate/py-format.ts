import { pythonJsonString } from '../formats/python-style.js';
/**
 * Python's number formatting, so printed lines and the comparison table match the reference notebook character for
 * character. `format(x, '.2f')` rounds the exact binary value half-to-even; JavaScript's toFixed rounds exact ties away
 * from zero ((0.125).toFixed(2) is "0.13", Python gives "0.12"), so the digits are computed here exactly.
 */

/** The exact value of a finite double as (BigInt digits, count of decimals): x = digits / 10^scale. */
function exactDecimal(x: number): { neg: boolean; digits: bigint; scale: number } {
  const buf = new DataView(new ArrayBuffer(8));
  buf.setFloat64(0, x);
  const hi = buf.getUint32(0);
  const lo = buf.getUint32(4);
  const neg = hi >>> 31 === 1;
  const exp = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let e: number;
  if (exp === 0)
    e = -1074; // subnormal
  else {
    mant |= 1n << 52n;
    e = exp - 1075;
  }
  if (e >= 0) return { neg, digits: mant << BigInt(e), scale: 0 };
  // mant / 2^-e = mant * 5^-e / 10^-e
  return { neg, digits: mant * 5n ** BigInt(-e), scale: -e };
}

/** Python's `f"{x:.{decimals}f}"` (round half to even on the exact binary value; nan, inf, -0.00). */
export function formatFixed(x: number, decimals: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  const { neg, digits, scale } = exactDecimal(x);
  let q: bigint;
  if (scale <= decimals) q = digits * 10n ** BigInt(decimals - scale);
  else {
    const div = 10n ** BigInt(scale - decimals);
    q = digits / div;
    const r = digits % div;
    const twice = 2n * r;
    if (twice > div || (twice === div && q % 2n === 1n)) q += 1n;
  }
  let s = q.toString();
  if (decimals > 0) {
    s = s.padStart(decimals + 1, '0');
    s = `${s.slice(0, s.length - decimals)}.${s.slice(s.length - decimals)}`;
  }
  return neg ? `-${s}` : s;
}

/** Length in code points, as Python counts for format widths. */
function pyLen(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/** `f"{s:<w}"` / `f"{s:w}"` for strings. */
export function padRight(s: string, width: number): string {
  const n = pyLen(s);
  return n >= width ? s : s + ' '.repeat(width - n);
}

/** `f"{s:>w}"`, and the default alignment of numbers. */
export function padLeft(s: string, width: number): string {
  const n = pyLen(s);
  return n >= width ? s : ' '.repeat(width - n) + s;
}

/** Python's `repr(float)`: shortest round-trip digits, `1.0`, `1e-05`, `1e+16`, `nan`, `inf`. */
export function pyFloatRepr(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? 'Infinity' : '-Infinity';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const [mant, expStr] = x.toExponential().split('e') as [string, string];
  const exp = Number(expStr);
  const neg = mant.startsWith('-');
  const digits = mant.replace('-', '').replace('.', '');
  let body: string;
  if (exp < -4 || exp >= 16) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    body = `${m}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  } else if (exp < 0) body = `0.${'0'.repeat(-exp - 1)}${digits}`;
  else if (digits.length <= exp + 1) body = `${digits}${'0'.repeat(exp + 1 - digits.length)}.0`;
  else body = `${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
  return neg ? `-${body}` : body;
}

/**
 * `json.dump(value, f, indent=2)` (ensure_ascii, NaN/Infinity as Python writes them). `isFloat(path)` says
 * which numbers Python held as floats (JSON.parse cannot tell 1.0 from 1): those print as `1.0`.
 */
export function pyJsonDumpIndent(
  value: unknown,
  isFloat: (key: string | number) => boolean = () => false,
  indent = 2,
): string {
  const walk = (v: unknown, depth: number, key: string | number): string => {
    const pad = ' '.repeat(indent * (depth + 1));
    const end = ' '.repeat(indent * depth);
    if (v === null || v === undefined) return 'null';
    if (typeof v === 'boolean') return v ? 'true' : 'false';
    if (typeof v === 'number') {
      if (isFloat(key) || !Number.isInteger(v)) return pyFloatRepr(v);
      return String(v);
    }
    if (typeof v === 'string') return pythonJsonString(v);
    if (Array.isArray(v)) {
      if (v.length === 0) return '[]';
      return `[\n${v.map((x, i) => pad + walk(x, depth + 1, i)).join(',\n')}\n${end}]`;
    }
    const entries = Object.entries(v as Record<string, unknown>);
    if (entries.length === 0) return '{}';
    return `{\n${entries.map(([k, x]) => `${pad}${pythonJsonString(k)}: ${walk(x, depth + 1, k)}`).join(',\n')}\n${end}}`;
  };
  return walk(value, 0, '');
}

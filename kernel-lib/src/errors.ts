/**
 * One error type for every bad input the pipeline meets, so callers (CLI, notebook, runner) can print a
 * one-line message naming the file, the field and what was expected instead of a stack trace.
 */
export interface EmotuneErrorDetails {
  /** The file the bad input came from, when there is one. */
  file?: string;
  /** Dotted path of the offending field (`models[1].key_aware`, `header.shape`, `opcode@17`). */
  field?: string;
  /** What was expected there, in words. */
  expected?: string;
  /** What was found instead (already shortened for display). */
  found?: string;
  /** A machine-readable category, e.g. `npy.truncated`, `config.invalid`, `pickle.forbidden-opcode`. */
  code?: string;
  cause?: unknown;
}

/**
 * The error every bad input raises: a one-line message naming the file, the field and what was expected.
 * @example
 * ```ts
 * try {
 *   await et.loadConfig("broken.json");
 * } catch (e) {
 *   if (et.isEmotuneError(e)) console.log(e.message, e.file, e.field, e.code);
 *   else throw e;
 * }
 * ```
 */
export class EmotuneError extends Error {
  readonly file?: string;
  readonly field?: string;
  readonly expected?: string;
  readonly found?: string;
  readonly code: string;

  constructor(message: string, details: EmotuneErrorDetails = {}) {
    super(EmotuneError.compose(message, details), details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'EmotuneError';
    this.file = details.file;
    this.field = details.field;
    this.expected = details.expected;
    this.found = details.found;
    this.code = details.code ?? 'emotune.error';
  }

  private static compose(message: string, d: EmotuneErrorDetails): string {
    const where = [d.file, d.field].filter((s) => s !== undefined && s !== '').join(': ');
    let text = where ? `${where}: ${message}` : message;
    if (d.expected !== undefined) text += ` (expected ${d.expected}`;
    if (d.found !== undefined) text += d.expected !== undefined ? `, found ${d.found})` : ` (found ${d.found})`;
    else if (d.expected !== undefined) text += ')';
    return text;
  }
}

/**
 * Shorten a value for an error message: compact JSON, at most `max` characters. The value is walked only as far
 * as the message needs (a few hundred characters, a few levels deep), so a huge, deep or self-sharing structure
 * (a "billion laughs" pickle) costs no more than a small one; non-finite numbers print as Infinity/NaN.
 */
export function describeValue(value: unknown, max = 60): string {
  const s = boundedJson(value, max + 1);
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

const STOP = Symbol('stop');

function bitLength(v: bigint): number {
  const hex = v.toString(16);
  return (hex.length - 1) * 4 + parseInt(hex[0]!, 16).toString(2).length;
}
const MAX_DEPTH = 8;

function boundedJson(value: unknown, limit: number): string {
  let out = '';
  const emit = (t: string) => {
    out += t.length > limit ? t.slice(0, limit) : t;
    if (out.length >= limit) throw STOP;
  };
  const walk = (v: unknown, depth: number): void => {
    if (v === null) return emit('null');
    switch (typeof v) {
      case 'number':
        return emit(Number.isFinite(v) ? JSON.stringify(v) : String(v));
      // A 400 KB integer must not be printed (toString is slow on huge bigints): its size says enough.
      case 'bigint':
        return emit(
          v > 10n ** 30n || v < -(10n ** 30n)
            ? `${v < 0n ? '-' : ''}<integer of ${bitLength(v < 0n ? -v : v)} bits>`
            : v.toString(),
        );
      case 'string':
        return emit(JSON.stringify(v.length > limit ? v.slice(0, limit) : v));
      case 'boolean':
        return emit(String(v));
      case 'object':
        break;
      default:
        return emit(String(v));
    }
    if (depth >= MAX_DEPTH) return emit('…');
    if (ArrayBuffer.isView(v)) return emit(`<${(v as Uint8Array).length ?? v.byteLength} bytes>`);
    if (Array.isArray(v)) {
      emit('[');
      for (let i = 0; i < v.length; i++) {
        if (i > 0) emit(',');
        walk(v[i], depth + 1);
      }
      return emit(']');
    }
    emit('{');
    let first = true;
    for (const k in v as Record<string, unknown>) {
      if (!Object.hasOwn(v as object, k)) continue;
      if (!first) emit(',');
      first = false;
      emit(`${JSON.stringify(k.length > limit ? k.slice(0, limit) : k)}:`);
      walk((v as Record<string, unknown>)[k], depth + 1);
    }
    emit('}');
  };
  try {
    walk(value, 0);
  } catch (e) {
    if (e !== STOP) throw e;
  }
  return out;
}

/** Throws the EmotuneError of a bad input file: the parsers' one way of saying where and what. */
export function throwInputError(
  message: string,
  file: string | undefined,
  field: string,
  code: string,
  expected?: string,
  found?: string,
): never {
  throw new EmotuneError(message, { file, field, code, expected, found });
}

/**
 * Whether `e` is an EmotuneError (a bad input, reported in one line) rather than a bug.
 * @example
 * ```ts
 * try {
 *   await et.readMidi("not-a-midi.txt");
 * } catch (e) {
 *   console.log(et.isEmotuneError(e) ? e.message : e);
 * }
 * ```
 */
export function isEmotuneError(e: unknown): e is EmotuneError {
  return e instanceof EmotuneError;
}

/** The message of anything thrown (an Error's message, else its string form): the one place that unwraps it. */
export function errorMessage(e: unknown): string {
  const m = (e as { message?: unknown } | null | undefined)?.message;
  return typeof m === 'string' ? m : String(e);
}

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

/** Shorten a value for an error message: JSON where possible, at most `max` characters. */
export function describeValue(value: unknown, max = 60): string {
  let s: string;
  try {
    s = typeof value === 'string' ? JSON.stringify(value) : JSON.stringify(value) ?? String(value);
  } catch {
    s = String(value);
  }
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
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

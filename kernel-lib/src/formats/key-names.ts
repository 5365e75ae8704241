/**
 * The one home of key names: pitch-class names, the `<tonic>:maj|min` grammar, parsing and spelling.
 * Keys are spelled with sharps everywhere inside EmoTune Lab (`A#:maj`), as EMOPIA's vocabularies and the
 * reference notebook write them; flats and long mode names are accepted on input (`Bb:maj`, `c#:minor`,
 * `F# major`) and normalised, so a config with `"keys": ["Bb:maj"]` reaches the generator as `A#:maj`.
 */
import { EmotuneError } from '../errors.js';

/** Pitch-class names 0..11 with sharps (C, C#, D, ... B). */
export const PITCH_CLASS_NAMES = ['C', 'C#', 'D', 'D#', 'E', 'F', 'F#', 'G', 'G#', 'A', 'A#', 'B'] as const;

export type KeyMode = 'maj' | 'min';

export interface KeyName {
  /** Pitch class of the tonic, 0 = C. */
  tonic: number;
  mode: KeyMode;
}

/** `C:maj`, `A#:min`: the sharp spelling used everywhere inside the package. */
export function formatKey(key: KeyName): string {
  return `${PITCH_CLASS_NAMES[key.tonic]}:${key.mode}`;
}

const LETTERS: Record<string, number> = { C: 0, D: 2, E: 4, F: 5, G: 7, A: 9, B: 11 };
const KEY_RE = /^\s*([A-Ga-g])([#b♯♭]*)\s*[: ]\s*(maj|min|major|minor)\s*$/i;

/** Reads `C:maj` / `A:min` (also `Bb:maj`, `c#:minor`, `F# major`); null for anything else. */
export function tryParseKey(text: string): KeyName | null {
  const m = KEY_RE.exec(String(text));
  if (!m) return null;
  let tonic = LETTERS[m[1]!.toUpperCase()]!;
  for (const ch of m[2]!) tonic += ch === '#' || ch === '♯' ? 1 : -1;
  const mode: KeyMode = m[3]!.toLowerCase().startsWith('maj') ? 'maj' : 'min';
  return { tonic: ((tonic % 12) + 12) % 12, mode };
}

/** Like {@link tryParseKey}, but a name that is not a key is a one-line error naming the file and field. */
export function parseKey(text: string, file?: string, field = 'key'): KeyName {
  const k = tryParseKey(text);
  if (!k) {
    throw new EmotuneError('not a key name', {
      file,
      field,
      expected: '<tonic>:maj or <tonic>:min, e.g. A:min or Bb:maj',
      found: JSON.stringify(text),
      code: 'key.invalid',
    });
  }
  return k;
}

/** The sharp spelling of a key name (`Bb:maj` -> `A#:maj`); throws like {@link parseKey}. */
export function normaliseKeyName(text: string, file?: string, field = 'key'): string {
  return formatKey(parseKey(text, file, field));
}

/** All 24 keys in the reference notebook's search order: for each tonic C..B, major before minor. */
export const ALL_KEYS: readonly KeyName[] = PITCH_CLASS_NAMES.flatMap((_, tonic) => [
  { tonic, mode: 'maj' as const },
  { tonic, mode: 'min' as const },
]);

/** The same 24 keys as names: C:maj, C:min, C#:maj, ... B:min. */
export const KEY_NAMES: readonly string[] = ALL_KEYS.map(formatKey);

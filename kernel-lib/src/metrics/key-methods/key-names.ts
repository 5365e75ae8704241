import { EmotuneError } from '../../errors.js';

/** Tonic names in the seed's order (sharps, as the seed writes keys). */
export const TONICS = ['C', 'C#', 'D', 'D#', 'E', 'F', 'F#', 'G', 'G#', 'A', 'A#', 'B'] as const;

export type KeyMode = 'maj' | 'min';

export interface KeyName {
  /** Pitch class of the tonic, 0 = C. */
  tonic: number;
  mode: KeyMode;
}

/** `C:maj`, `A:min` as the seed writes them. */
export function formatKey(key: KeyName): string {
  return `${TONICS[key.tonic]}:${key.mode}`;
}

const LETTERS: Record<string, number> = { C: 0, D: 2, E: 4, F: 5, G: 7, A: 9, B: 11 };

/**
 * Reads `C:maj` / `A:min` (also `Bb:maj`, `c#:minor`, `F# major`); returns null for anything else.
 * Flats are accepted so that labels from other tools compare equal to the seed's sharp spelling.
 */
export function tryParseKey(text: string): KeyName | null {
  const m = /^\s*([A-Ga-g])([#b♯♭]*)\s*[: ]\s*(maj|min|major|minor)\s*$/i.exec(text);
  if (!m) return null;
  let tonic = LETTERS[m[1]!.toUpperCase()]!;
  for (const ch of m[2]!) tonic += ch === '#' || ch === '♯' ? 1 : -1;
  const mode: KeyMode = m[3]!.toLowerCase().startsWith('maj') ? 'maj' : 'min';
  return { tonic: ((tonic % 12) + 12) % 12, mode };
}

export function parseKey(text: string, file?: string, field = 'key'): KeyName {
  const k = tryParseKey(text);
  if (!k) throw new EmotuneError('not a key name', { file, field, expected: 'a key such as "C:maj" or "A:min"', found: JSON.stringify(text), code: 'key.bad-name' });
  return k;
}

/** All 24 keys in the seed's search order: for each tonic C..B, major before minor. */
export const ALL_KEYS: readonly KeyName[] = TONICS.flatMap((_, tonic) => [
  { tonic, mode: 'maj' as const },
  { tonic, mode: 'min' as const },
]);

import { EmotuneError } from '../../errors.js';
import type { MidiNote } from '../../formats/types.js';
import type { CorrelationName } from './correlation.js';
import { detectKey, type KeyMethodDetection } from './detect.js';
import { KEY_PROFILES, type KeyProfile } from './profiles.js';

/** A named key-finding method: one profile, one similarity. */
export interface KeyMethod {
  name: string;
  profile: KeyProfile;
  correlation: CorrelationName;
  description: string;
}

/** The reference notebook's method (Krumhansl-Kessler, cosine); `emotune key`'s default for parity. */
export const REFERENCE_KEY_METHOD = 'kk-cosine';

/**
 * The method `--method best` selects. Chosen on the project's 197-piece key set (WTC + chorales) by `emotune validate` with the rule
 * stated in docs/validation.md (highest mean MIREX score over all 197 pieces; ties by exact accuracy, then
 * by list order); the report re-derives the choice and says so if the data would now pick another.
 */
export const RECOMMENDED_KEY_METHOD = 'albrecht-cosine';

export const KEY_METHODS: readonly KeyMethod[] = KEY_PROFILES.flatMap((profile) =>
  (['cosine', 'pearson'] as const).map((correlation) => ({
    name: `${profile.id}-${correlation}`,
    profile,
    correlation,
    description: `${profile.label} profile, ${correlation === 'cosine' ? "cosine similarity (the reference notebook's score)" : 'Pearson correlation (as music21)'}`,
  })),
);

/** Every selectable name: the methods, plus the aliases `reference` and `best`. */
export const keyMethodNames: readonly string[] = [...KEY_METHODS.map((m) => m.name), 'reference', 'best'];

/**
 * The alias of the reference notebook's method; `seed`, its name before the glossary (docs/architecture.md), still
 * works.
 */
export function isReferenceMethodAlias(name: string): boolean {
  return name === 'reference' || name === 'seed';
}

/** Resolves a method name or alias (`reference`, `best`); a bad name is an EmotuneError listing the choices. */
export function keyMethod(name: string): KeyMethod {
  const resolved = isReferenceMethodAlias(name)
    ? REFERENCE_KEY_METHOD
    : name === 'best'
      ? RECOMMENDED_KEY_METHOD
      : name;
  const m = KEY_METHODS.find((x) => x.name === resolved);
  if (!m) {
    throw new EmotuneError('unknown key method', {
      field: 'method',
      expected: `one of ${keyMethodNames.join(', ')}`,
      found: JSON.stringify(name),
      code: 'key.unknown-method',
    });
  }
  return m;
}

/**
 * Detects the key of `notes` with the named method (or alias).
 * @example
 * ```ts
 * const k = et.detectKeyWith(et.RECOMMENDED_KEY_METHOD, (await et.readMidi("song.mid")).notes);
 * console.log(k.key, k.score); // e.g. "A:min" 0.87; "reference" gives the reference notebook's detector
 * ```
 */
export function detectKeyWith(
  name: string,
  notes: readonly Pick<MidiNote, 'pitch' | 'start' | 'end'>[],
): KeyMethodDetection & { method: string } {
  const m = keyMethod(name);
  return { ...detectKey(notes, { profile: m.profile, correlation: m.correlation }), method: m.name };
}

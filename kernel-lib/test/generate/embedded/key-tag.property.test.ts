import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normaliseKeyTag } from '../../../src/generate/embedded/generator-args.js';
import { PITCH_NAMES, parseKey } from '../../../src/generate/embedded/vocabulary.js';

const LETTER_PC: Record<string, number> = { C: 0, D: 2, E: 4, F: 5, G: 7, A: 9, B: 11 };

describe('--key_tag spelling', () => {
  it('any natural, sharp or flat tonic normalises to the sharp spelling of the same pitch class and mode', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...Object.keys(LETTER_PC)),
        fc.constantFrom('', '#', 'b'),
        fc.constantFrom('maj', 'min'),
        (letter, accidental, mode) => {
          if (accidental === '#' && (letter === 'E' || letter === 'B')) return; // E#, B# are not in the key vocabulary
          const tag = normaliseKeyTag(`${letter}${accidental}:${mode}`);
          const key = parseKey(tag);
          expect(key).toBeDefined();
          const pc = (LETTER_PC[letter]! + (accidental === '#' ? 1 : accidental === 'b' ? -1 : 0) + 12) % 12;
          expect(key!.tonic).toBe(pc);
          expect(key!.minor).toBe(mode === 'min');
          expect(tag).toBe(`${PITCH_NAMES[pc]}:${mode}`);
        },
      ),
    );
  });

  it('leaves anything else as given, so the usage error quotes it', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        fc.pre(!/^[A-G]b:(maj|min)$/.test(s));
        expect(normaliseKeyTag(s)).toBe(s);
      }),
    );
  });
});

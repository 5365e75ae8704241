import { describe, expect, it } from 'vitest';
import { EmotuneError } from '../../../src/errors.js';
import {
  RECOMMENDED_KEY_METHOD,
  REFERENCE_KEY_METHOD,
  detectKeyWith,
  keyConfusionMatrix,
  keyMethod,
  keyMethodNames,
  mirexCategory,
  mirexScore,
} from '../../../src/metrics/key-methods/index.js';
import { parseKey, tryParseKey } from '../../../src/formats/key-names.js';

const k = (s: string) => parseKey(s);

describe('mirexScore', () => {
  it('weights exact 1, fifth 0.5, relative 0.3, parallel 0.2, other 0 (reference C:maj)', () => {
    expect(mirexScore(k('C:maj'), k('C:maj'))).toBe(1);
    expect(mirexScore(k('G:maj'), k('C:maj'))).toBe(0.5);
    expect(mirexScore(k('F:maj'), k('C:maj'))).toBe(0.5);
    expect(mirexScore(k('A:min'), k('C:maj'))).toBe(0.3);
    expect(mirexScore(k('C:min'), k('C:maj'))).toBe(0.2);
    expect(mirexScore(k('D:maj'), k('C:maj'))).toBe(0);
    expect(mirexScore(k('G:min'), k('C:maj'))).toBe(0); // a fifth away but another mode
    expect(mirexScore(k('E:min'), k('C:maj'))).toBe(0);
  });
  it('handles minor references: relative major is 3 semitones up', () => {
    expect(mirexScore(k('C:maj'), k('A:min'))).toBe(0.3);
    expect(mirexScore(k('E:min'), k('A:min'))).toBe(0.5);
    expect(mirexScore(k('D:min'), k('A:min'))).toBe(0.5);
    expect(mirexScore(k('A:maj'), k('A:min'))).toBe(0.2);
    expect(mirexScore(k('F:maj'), k('A:min'))).toBe(0);
  });
  it('counts only the ascending fifth under the mir_eval default rule', () => {
    expect(mirexScore(k('G:maj'), k('C:maj'), 'ascending')).toBe(0.5);
    expect(mirexScore(k('F:maj'), k('C:maj'), 'ascending')).toBe(0);
  });
  it('names the categories', () => {
    expect(mirexCategory(k('A:min'), k('C:maj'))).toBe('relative');
    expect(mirexCategory(k('B:maj'), k('C:maj'))).toBe('other');
  });
});

describe('key names', () => {
  it("reads the reference notebook's labels and enharmonic flats alike", () => {
    expect(tryParseKey('A#:maj')).toEqual({ tonic: 10, mode: 'maj' });
    expect(tryParseKey('Bb:maj')).toEqual({ tonic: 10, mode: 'maj' });
    expect(tryParseKey('c# minor')).toEqual({ tonic: 1, mode: 'min' });
    expect(tryParseKey('H:maj')).toBeNull();
  });
  it('throws an EmotuneError naming the field for a bad key', () => {
    expect(() => parseKey('X:maj', 'labels.csv', 'rows[3].key')).toThrow(EmotuneError);
    expect(() => parseKey('X:maj', 'labels.csv', 'rows[3].key')).toThrow(/labels\.csv: rows\[3\]\.key/);
  });
});

describe('method registry', () => {
  it('offers ten methods plus the reference and best aliases', () => {
    expect(keyMethodNames).toHaveLength(12);
    expect(keyMethodNames).toContain('reference');
    expect(keyMethodNames).toContain('best');
  });
  it('resolves reference to KK cosine and best to the recommended method', () => {
    expect(keyMethod('reference').name).toBe(REFERENCE_KEY_METHOD);
    expect(keyMethod('reference')).toMatchObject({ correlation: 'cosine' });
    expect(keyMethod('reference').profile.id).toBe('kk');
    expect(keyMethod('best').name).toBe(RECOMMENDED_KEY_METHOD);
  });
  it('still accepts seed, the former name of the reference alias', () => {
    expect(keyMethod('seed')).toBe(keyMethod('reference'));
  });
  it('rejects an unknown method with the list of choices', () => {
    expect(() => keyMethod('nope')).toThrow(/expected one of kk-cosine/);
  });
  it('detectKeyWith reports which method answered', () => {
    const r = detectKeyWith('best', [
      { pitch: 60, start: 0, end: 480 },
      { pitch: 64, start: 0, end: 480 },
      { pitch: 67, start: 0, end: 480 },
    ]);
    expect(r.method).toBe(RECOMMENDED_KEY_METHOD);
    expect(r.key).toBe('C:maj');
  });
});

describe('keyConfusionMatrix', () => {
  it('counts requested (rows) against detected (columns) in C..B, major-first order', () => {
    const m = keyConfusionMatrix([
      { reference: 'C:maj', detected: 'C:maj' },
      { reference: 'C:maj', detected: 'A:min' },
      { reference: 'A:maj', detected: 'A:maj' },
      { reference: 'A:maj', detected: 'A:maj' },
      { reference: 'E:min', detected: 'Bb:maj' },
    ]);
    expect(m.rows).toEqual(['C:maj', 'E:min', 'A:maj']);
    expect(m.columns).toEqual(['C:maj', 'A:maj', 'A:min', 'A#:maj']);
    expect(m.counts).toEqual([
      [1, 0, 1, 0],
      [0, 0, 0, 1],
      [0, 2, 0, 0],
    ]);
    expect(m.total).toBe(5);
  });
  it('lists all 24 keys on both axes with full', () => {
    const m = keyConfusionMatrix([{ reference: 'C:maj', detected: 'C:maj' }], { full: true });
    expect(m.rows).toHaveLength(24);
    expect(m.columns).toHaveLength(24);
  });
});

import { describe, expect, it } from 'vitest';
import { EmotuneError } from '../../src/errors.js';
import type { IntArray, Word2Event } from '../../src/formats/types.js';
import { noteAdherence } from '../../src/metrics/note-adherence.js';

const W2E: Word2Event = {
  'bar-beat': { '0': 0, '1': 'Bar', '2': 'Beat_4' },
  type: { '0': 0, '1': 'Metrical', '2': 'Note', '3': 'EOS' },
  duration: { '0': 0, '1': 'CONTI', '2': 'Note_Duration_120', '3': 'Note_Duration_1080', '4': 'Note_Duration_240' },
};
const ORDER = ['bar-beat', 'type', 'duration'];
// Six CP steps: metrical, note(1080), note(120), metrical(pad), note(1080), note(240).
const ROWS = [
  [1, 1, 1],
  [0, 2, 3],
  [0, 2, 2],
  [2, 1, 0],
  [0, 2, 3],
  [0, 2, 4],
];
const tokens: IntArray = { dtype: 'int32', shape: [6, 3], data: Int32Array.from(ROWS.flat()) };

describe('noteAdherence', () => {
  const [d] = noteAdherence(tokens, ORDER, { duration: 3 }, W2E);
  it("divides matches by note steps only (2 of 4), beside the reference notebook's all-steps counts (2 of 6)", () => {
    expect(d).toMatchObject({
      token: 'duration',
      targetLabel: 'Note_Duration_1080',
      noteSteps: 4,
      matches: 2,
      ratio: 0.5,
    });
    expect(d!.allSteps).toEqual({ matches: 2, total: 6 });
  });
  it('measures numeric distances over note steps: 0, 960, 0, 840', () => {
    expect(d!.distance).toMatchObject({ n: 4, mean: 450, median: 420, min: 0, max: 960, values: [0, 960, 0, 840] });
    expect(d!.distance!.std).toBeCloseTo(Math.sqrt(204300), 9);
  });
  it('histograms the generated values at note steps, marking the target', () => {
    expect(d!.histogram).toEqual([
      { index: 2, label: 'Note_Duration_120', count: 1, value: 120, isTarget: false },
      { index: 3, label: 'Note_Duration_1080', count: 2, value: 1080, isTarget: true },
      { index: 4, label: 'Note_Duration_240', count: 1, value: 240, isTarget: false },
    ]);
  });
  it('has no distance for a target label without a number', () => {
    const [b] = noteAdherence(tokens, ORDER, { 'bar-beat': 1 }, W2E);
    expect(b!.distance).toBeNull();
    expect(b!.matches).toBe(0);
  });
  it('names the file and field when the type column or a token column is missing', () => {
    expect(() => noteAdherence(tokens, ['bar-beat', 'x', 'duration'], { duration: 3 }, W2E, 'a.meta.json')).toThrow(
      EmotuneError,
    );
    expect(() => noteAdherence(tokens, ORDER, { pitch: 3 }, W2E, 'a.meta.json')).toThrow(
      /a\.meta\.json: conditions_indices\.pitch/,
    );
  });
});

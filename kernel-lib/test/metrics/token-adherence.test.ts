import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EmotuneError } from '../../src/errors.js';
import type { IntArray, Word2Event } from '../../src/formats/types.js';
import { computeTokenAdherence, numericLabelValue } from '../../src/metrics/token-adherence.js';

const w2e: Word2Event = {
  duration: { '0': 0, '1': 'Note_Duration_0', '2': 'Note_Duration_1080', '3': 'Note_Duration_120', '4': 'CONTI' },
  velocity: { '0': 0, '1': 'Note_Velocity_40', '2': 'Note_Velocity_100' },
  type: { '0': 0, '1': 'Metrical', '2': 'Note' },
};
const order = ['type', 'duration', 'velocity'];

function arr(rows: number[][]): IntArray {
  return { dtype: 'int64', shape: [rows.length, rows[0]?.length ?? 3], data: rows.flat() };
}

describe('computeTokenAdherence (docs/architecture.md token adherence)', () => {
  it('counts steps equal to the target index over all steps', () => {
    const t = arr([
      [1, 2, 1],
      [2, 2, 1],
      [2, 3, 2],
      [1, 0, 0],
    ]);
    const r = computeTokenAdherence(t, { duration: 2 }, order, w2e);
    expect(r.duration).toMatchObject({
      matches: 2,
      total: 4,
      adherence_ratio: 0.5,
      target_index: 2,
      target_label: 'Note_Duration_1080',
      is_numeric: true,
    });
  });

  it('measures distances to every generated numeric label, Note_Duration_0 included, padding and CONTI excluded', () => {
    // generated: 1080, 1080, 120, padding(0), Note_Duration_0, CONTI
    const t = arr([
      [1, 2, 1],
      [2, 2, 1],
      [2, 3, 2],
      [1, 0, 0],
      [2, 1, 1],
      [1, 4, 1],
    ]);
    const d = computeTokenAdherence(t, { duration: 2 }, order, w2e).duration!;
    // distances: 0, 0, 960, 1080
    expect(d.num_numeric).toBe(4);
    expect(d.mean_distance).toBe(510);
    expect(d.median_distance).toBe(480);
    expect(d.min_distance).toBe(0);
    expect(d.max_distance).toBe(1080);
    // population std of [0, 0, 960, 1080]
    const m = 510;
    expect(d.std_distance).toBeCloseTo(Math.sqrt((m * m * 2 + (960 - m) ** 2 + (1080 - m) ** 2) / 4), 12);
  });

  it('leaves distances out when the target label has no number', () => {
    const t = arr([
      [1, 2, 1],
      [2, 2, 1],
    ]);
    const r = computeTokenAdherence(t, { type: 2 }, order, w2e).type!;
    expect(r.is_numeric).toBe(false);
    expect(r.adherence_ratio).toBe(0.5);
    expect(r).not.toHaveProperty('mean_distance');
  });

  it('keeps is_numeric but no distance fields when no generated label has a number', () => {
    const t = arr([
      [1, 0, 1],
      [2, 4, 1],
    ]);
    const r = computeTokenAdherence(t, { duration: 2 }, order, w2e).duration!;
    expect(r.is_numeric).toBe(true);
    expect(r.matches).toBe(0);
    expect(r).not.toHaveProperty('mean_distance');
    expect(r).not.toHaveProperty('std_distance');
  });

  it('skips a conditioned token that has no column in vocab_order, measuring the others', () => {
    const t = arr([[1, 2, 1]]);
    const r = computeTokenAdherence(t, { chord: 3, velocity: 1 }, order, w2e);
    expect(Object.keys(r)).toEqual(['velocity']);
  });

  it('measures the ratio with a null label for a target index missing from word2event', () => {
    const r = computeTokenAdherence(
      arr([
        [1, 9, 1],
        [1, 2, 1],
      ]),
      { duration: 9 },
      order,
      w2e,
    ).duration!;
    expect(r).toMatchObject({ target_label: null, is_numeric: false, matches: 1, total: 2 });
  });

  it('rejects an array without steps, with wrong rank or too few columns, naming the file', () => {
    const empty: IntArray = { dtype: 'int64', shape: [0, 3], data: [] };
    expect(() => computeTokenAdherence(empty, { duration: 2 }, order, w2e, 'x.npy')).toThrow(EmotuneError);
    expect(() => computeTokenAdherence(empty, { duration: 2 }, order, w2e, 'x.npy')).toThrow(/x\.npy/);
    expect(() =>
      computeTokenAdherence({ dtype: 'int64', shape: [3], data: [1, 2, 3] }, { duration: 2 }, order, w2e),
    ).toThrow(/2-D/);
    expect(() => computeTokenAdherence(arr([[1, 2]]), { velocity: 1 }, order, w2e)).toThrow(/vocab_order/);
  });

  it('is an error naming the file when the model has no vocabulary', () => {
    expect(() => computeTokenAdherence(arr([[1, 2, 1]]), { duration: 2 }, order, undefined, 'song.npy')).toThrow(
      /song\.npy.*word2event/,
    );
  });

  it('does nothing (and does not fail) when no conditioned token is measured', () => {
    expect(computeTokenAdherence({ dtype: 'int64', shape: [0], data: [] }, {}, order, w2e)).toEqual({});
  });

  it('ratio and distance count agree with a direct count on random arrays', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(3), fc.nat(5), fc.nat(3)), { minLength: 1, maxLength: 60 }),
        fc.integer({ min: 1, max: 3 }),
        (rows, target) => {
          const r = computeTokenAdherence(arr(rows), { duration: target }, order, w2e).duration!;
          const col = rows.map((x) => x[1]);
          expect(r.matches).toBe(col.filter((v) => v === target).length);
          expect(r.adherence_ratio).toBe(r.matches / rows.length);
          const numeric = col.filter((v) => v === 1 || v === 2 || v === 3).length;
          if (numeric) expect(r.num_numeric).toBe(numeric);
          else expect(r.num_numeric).toBeUndefined();
        },
      ),
    );
  });
});

describe('numericLabelValue', () => {
  it('reads the trailing _<digits> of string labels only', () => {
    expect(numericLabelValue('Note_Duration_1080')).toBe(1080);
    expect(numericLabelValue('Note_Duration_0')).toBe(0);
    expect(numericLabelValue('Tempo_120')).toBe(120);
    expect(numericLabelValue('CONTI')).toBeNull();
    expect(numericLabelValue(0)).toBeNull();
    expect(numericLabelValue('A:maj')).toBeNull();
    expect(numericLabelValue('120')).toBeNull();
  });
});

import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { parseConfig } from '../../src/config/load.js';
import { buildPlan } from '../../src/plan/build-plan.js';
import { stratifiedIndices } from '../../src/plan/stratified.js';
import { combinations, product } from '../../src/plan/combinatorics.js';
import { conditionLabel, outDirPrefix, referenceStamp } from '../../src/plan/folder-name.js';
import { buildCandidates } from '../../src/vocab/candidates.js';
import { comparePythonStrings, sortPythonStrings } from '../../src/vocab/python-sort.js';
import type { Word2Event } from '../../src/formats/types.js';
import { fixtureVocab, referenceConfig } from '../helpers.js';

const vocab = (n: 'scratch' | 'pretrained') => JSON.parse(readFileSync(fixtureVocab(n), 'utf8')) as Word2Event;

describe('candidates and Python string order', () => {
  it('sorts by code point, so Note_Duration_1080 comes before Note_Duration_120', () => {
    expect(sortPythonStrings(['Note_Duration_120', 'Note_Duration_1080', 'Note_Duration_1920'])).toEqual([
      'Note_Duration_1080',
      'Note_Duration_120',
      'Note_Duration_1920',
    ]);
  });
  it('orders astral characters after BMP ones as Python does (JS code-unit order differs)', () => {
    expect(comparePythonStrings('\u{1F600}', '\uFF61')).toBe(1);
    expect('\u{1F600}' < '\uFF61').toBe(true); // the JS default that would be wrong
  });
  it('drops padding, CONTI, Note_Duration_0 and non-string labels', () => {
    const w: Word2Event = {
      duration: { '0': 0, '1': 'Note_Duration_0', '2': 'CONTI', '3': 'Note_Duration_240', '4': 7 },
    };
    expect(buildCandidates(w, ['duration', 'missing'])).toEqual({ duration: ['Note_Duration_240'] });
  });
  it('builds the EMOPIA duration candidates in Python order', () => {
    const c = buildCandidates(vocab('scratch'), ['duration']);
    expect(c.duration!.slice(0, 3)).toEqual(['Note_Duration_1080', 'Note_Duration_120', 'Note_Duration_1200']);
    expect(c.duration).toHaveLength(16);
  });
});

describe('stratified sampling', () => {
  it('takes positions floor(i*L/n)', () => {
    expect(stratifiedIndices(16, 2)).toEqual([0, 8]);
    expect(stratifiedIndices(41, 3)).toEqual([0, 13, 27]);
    expect(stratifiedIndices(3, 5)).toEqual([0, 1, 2]);
  });
  it('always gives n distinct increasing indices inside the list when L > n', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 500 }), fc.integer({ min: 1, max: 500 }), (a, b) => {
        const [n, L] = a < b ? [a, b] : [b, a + 1];
        const idx = stratifiedIndices(L, n);
        expect(idx).toHaveLength(n);
        idx.forEach((v, i) => {
          expect(v).toBe(Math.floor((i * L) / n));
          expect(v).toBeLessThan(L);
          if (i > 0) expect(v).toBeGreaterThan(idx[i - 1]!);
        });
      }),
    );
  });
});

describe('grid combinatorics', () => {
  it('matches itertools.combinations and product order', () => {
    expect(combinations(['a', 'b', 'c'], 2)).toEqual([
      ['a', 'b'],
      ['a', 'c'],
      ['b', 'c'],
    ]);
    expect(
      product<number | string>([
        [1, 2],
        ['x', 'y'],
      ]),
    ).toEqual([
      [1, 'x'],
      [1, 'y'],
      [2, 'x'],
      [2, 'y'],
    ]);
    expect(product([])).toEqual([[]]);
  });
});

describe('folder names', () => {
  it("spells the reference notebook's folder prefix", () => {
    const base = {
      model: 'scratch',
      mode: 'inference-primed',
      subset: ['duration'],
      emotion: 1,
      key: 'A:maj',
      conditions: { duration: 'Note_Duration_1080' },
    };
    expect(outDirPrefix(base)).toBe('scratch_inference-primed_duration_emo1_keyAmaj_dur1080_');
    expect(outDirPrefix({ ...base, key: null, subset: [], conditions: {} })).toBe(
      'scratch_inference-primed_unconditional_emo1_none_',
    );
    expect(conditionLabel({ duration: 'Note_Duration_1080', velocity: 'Note_Velocity_58' })).toBe('dur1080_vel58');
  });
  it('keeps path separators in labels out of folder names, and cuts over-long names to a unique prefix', () => {
    const base = { model: 'm', mode: 'inference-primed', subset: ['duration'], emotion: 1, key: null };
    expect(outDirPrefix({ ...base, conditions: { duration: 'Note_Duration_x/../../y' } })).toBe(
      'm_inference-primed_duration_emo1_durx_.._.._y_',
    );
    const long = (v: string) => outDirPrefix({ ...base, conditions: { duration: `Note_Duration_${v}` } });
    const a = long('9'.repeat(400));
    const b = long(`${'9'.repeat(399)}8`);
    expect(Buffer.byteLength(a)).toBeLessThanOrEqual(200);
    expect(a).not.toBe(b);
  });
  it("writes the reference notebook's stamp: %Y%m%d-%H%M%S%f cut to 19 characters", () => {
    expect(referenceStamp(new Date(Date.UTC(2025, 10, 3, 6, 1, 41, 698)))).toBe('20251103-0601416980');
  });
});

describe("the reference notebook's plan", () => {
  const config = parseConfig(referenceConfig(), '/base');
  const plan = buildPlan(config, { scratch: vocab('scratch'), pretrained: vocab('pretrained') });
  it('has 192 runs, the first as the reference notebook prints it', () => {
    expect(plan.total).toBe(192);
    expect(plan.runs[0]).toMatchObject({
      index: 1,
      model: 'scratch',
      mode: 'inference-deterministic',
      emotion: 1,
      key: 'A:maj',
      subset: ['duration'],
      conditions: { duration: 'Note_Duration_1080' },
    });
  });
  it('loops model, subset, condition, emotion, key, mode', () => {
    const r = plan.runs;
    expect(r.slice(0, 4).map((x) => [x.mode, x.key])).toEqual([
      ['inference-deterministic', 'A:maj'],
      ['inference-primed', 'A:maj'],
      ['inference-forced', 'A:maj'],
      ['inference-deterministic', 'C:maj'],
    ]);
    expect(r[9]).toMatchObject({ emotion: 2, key: 'A:maj' });
    expect(r[36]!.conditions).toEqual({ duration: 'Note_Duration_1920' });
    expect(r[72]!.conditions).toEqual({ velocity: 'Note_Velocity_100' });
    expect(r[144]).toMatchObject({ model: 'pretrained', key: null });
    expect(r.filter((x) => x.model === 'pretrained')).toHaveLength(48);
  });
  it('gives every run a distinct stable id', () => {
    expect(new Set(plan.runs.map((r) => r.id)).size).toBe(192);
    const again = buildPlan(config, { scratch: vocab('scratch'), pretrained: vocab('pretrained') });
    expect(again.runs.map((r) => r.id)).toEqual(plan.runs.map((r) => r.id));
  });
  it('skips a model without vocabulary, as the reference notebook does', () => {
    expect(buildPlan(config, { scratch: vocab('scratch') }).total).toBe(144);
  });
});

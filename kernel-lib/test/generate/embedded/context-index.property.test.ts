import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CLASS_LETTERS, ContextIndex, inputSizes } from '../../../src/generate/embedded/context-index.js';
import {
  type Attributes,
  CpState,
  DEFAULT_SETTINGS,
  FIELDS,
  type ModelSettings,
} from '../../../src/generate/embedded/model.js';
import { BackoffTable } from '../../../src/generate/embedded/ngram.js';

/** Values counted are 0..29 (a state's position in its list): the last ones fall outside the support. */
const SUPPORT = Array.from({ length: 25 }, (_, i) => i);
const history = fc.array(fc.integer({ min: 1, max: 3 }), { maxLength: 4 });
const attribute = fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined });
const stateParts = fc.record({
  cond: fc.constantFrom('e1', 'e2m', 'e3M'),
  attributes: fc.record({
    tempo: attribute,
    chord: attribute,
    pitch: attribute,
    duration: attribute,
    velocity: attribute,
  }),
  prevClass: fc.constantFrom(...CLASS_LETTERS),
  notesAtPos: fc.integer({ min: 0, max: 10 }),
  lastBeat: fc.integer({ min: -1, max: 3 }),
  bars: fc.integer({ min: 0, max: 42 }),
  tempoSeen: fc.integer({ min: 0, max: 1 }),
  prevChord: fc.integer({ min: 0, max: 3 }),
  pitch: history,
  top: history,
  duration: history,
  velocity: history,
});
const settings: fc.Arbitrary<ModelSettings> = fc.record({
  pitchOrder: fc.integer({ min: 1, max: 6 }),
  durationOrder: fc.integer({ min: 1, max: 6 }),
  velocityOrder: fc.integer({ min: 1, max: 6 }),
  conditioned: fc.boolean(),
  conditionedHistory: fc.integer({ min: 0, max: 3 }),
  durationConditionedHistory: fc.integer({ min: 0, max: 3 }),
  pitchChordHistory: fc.integer({ min: -1, max: 3 }),
  pitchChordConditioned: fc.boolean(),
  chordBackoffConditioned: fc.boolean(),
  backoff: fc.constant(DEFAULT_SETTINGS.backoff),
});

type Parts = Partial<Omit<CpState, 'cond' | 'attributes'>> & { cond?: string; attributes?: Attributes };

function stateOf(s: ModelSettings, { cond = 'e1', attributes = {}, ...parts }: Parts): CpState {
  // Attributes left undefined stay absent, as in a song without them.
  const present = Object.fromEntries(Object.entries(attributes).filter(([, v]) => v !== undefined));
  const state = Object.assign(new CpState(cond, s, undefined, present), parts);
  state.octaveOf = (i) => (i ?? 0) % 3; // a drawn state may follow a Note with no pitch history
  return state;
}

describe('ContextIndex', () => {
  it('mixes the distribution the context strings give, bit for bit, for any settings, condition, attributes and state, also after counts are added', () => {
    fc.assert(
      fc.property(
        settings,
        fc.array(stateParts, { minLength: 1, maxLength: 30 }),
        fc.array(stateParts, { minLength: 1, maxLength: 30 }),
        (s, counted, asked) => {
          for (const field of FIELDS) {
            const probe = stateOf(s, {});
            const table = new BackoffTable(probe.contexts(field).length);
            const index = ContextIndex.create(field, table, probe.levelInputs(field), inputSizes(4), SUPPORT);
            expect(index).toBeDefined();
            const check = (parts: Parts) => {
              const state = stateOf(s, parts);
              const p = new Float64Array(SUPPORT.length);
              expect(index!.mixInto(state, p, s.backoff)).toBe(true);
              const strings = table.distribution(state.contexts(field), SUPPORT, s.backoff);
              expect(Buffer.from(p.buffer)).toEqual(Buffer.from(strings.buffer));
            };
            // Counts first from some states, then look-ups, then more counts: the index must see them all.
            counted.forEach((parts, v) => table.add(stateOf(s, parts).contexts(field), v, 1 + (v % 3)));
            asked.forEach(check);
            asked.forEach((parts, v) => table.add(stateOf(s, parts).contexts(field), v, 1 + (v % 3)));
            [...counted, ...asked].forEach(check);
          }
        },
      ),
      { seed: 23, numRuns: 150 },
    );
  });

  it('declines a state whose inputs are out of its range, and keys that would not stay small integers', () => {
    const probe = new CpState('e1', DEFAULT_SETTINGS);
    const table = new BackoffTable(probe.contexts('chord').length);
    const index = ContextIndex.create('chord', table, probe.levelInputs('chord'), inputSizes(4), SUPPORT)!;
    const state = Object.assign(new CpState('e1', DEFAULT_SETTINGS), { prevChord: 4 });
    expect(index.mixInto(state, new Float64Array(SUPPORT.length), 8)).toBe(false);
    expect(ContextIndex.create('pitch', table, [[5, 7, 8, 9, 10]], inputSizes(1000), SUPPORT)).toBeUndefined();
  });
});

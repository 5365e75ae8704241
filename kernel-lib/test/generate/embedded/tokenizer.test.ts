import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cpToScore } from '../../../src/formats/cp-to-notes.js';
import { encodeMidi } from '../../../src/formats/midi-write.js';
import { parseMidi } from '../../../src/formats/midi-read.js';
import type { MidiNote, MidiScore } from '../../../src/formats/types.js';
import { parseDictionaryPkl } from '../../../src/vocab/pickle.js';
import { recogniseChord, transposeChord } from '../../../src/generate/embedded/chords.js';
import { roundHalfEven, rowsToEvents, scoreToEvents, scoreToRows } from '../../../src/generate/embedded/tokenizer.js';
import { type CpVocab, makeVocab, withKeyType } from '../../../src/generate/embedded/vocabulary.js';

const FIXTURES = join(import.meta.dirname, 'fixtures', 'emopia-mini');
const { word2event } = parseDictionaryPkl(readFileSync(join(FIXTURES, 'co-representation', 'dictionary.pkl')));
const plain = makeVocab(word2event);
const keyed = makeVocab(withKeyType(word2event));

/** tokens -> MIDI bytes -> score, as the generator writes and a reader reads them. */
function throughMidi(rows: number[][], vocab: CpVocab): MidiScore {
  const score = cpToScore(rows, vocab.order, vocab.word2event);
  return parseMidi(
    encodeMidi({ ticksPerBeat: score.ticksPerBeat, notes: score.notes, tempos: score.tempos }, { format: 1 }),
  );
}

const clips = readdirSync(join(FIXTURES, 'midis')).sort();

describe('CP tokenizer (EMOPIA compound words)', () => {
  it.each(clips)('round trip tokens -> MIDI -> tokens is stable for %s (both vocabularies)', (file) => {
    const score = parseMidi(readFileSync(join(FIXTURES, 'midis', file)));
    const emotion = Number(file[1]);
    for (const [vocab, opts] of [
      [plain, {}],
      [keyed, { key: 'C:maj' }],
    ] as const) {
      const rows = scoreToRows(score, emotion, vocab, opts);
      const again = scoreToRows(throughMidi(rows, vocab), emotion, vocab, opts);
      expect(again).toEqual(rows);
    }
  });

  it('follows EMOPIA layout: Emotion first, Bar per bar then Bar + EOS, metrical before notes, notes by descending pitch', () => {
    const score = parseMidi(readFileSync(join(FIXTURES, 'midis', clips[0]!)));
    const ev = scoreToEvents(score, 1, keyed, { key: 'A:min' });
    expect(ev[0]).toMatchObject({ type: 'Emotion', emotion: 1, key: 'A:min' });
    expect(ev.at(-1)!.type).toBe('EOS');
    expect(ev.at(-2)).toMatchObject({ type: 'Metrical', 'bar-beat': 'Bar' });
    expect(ev[1]).toMatchObject({ type: 'Metrical', 'bar-beat': 'Bar' });
    let lastPitch = Infinity;
    let lastBeat = -1;
    for (let i = 1; i < ev.length; i++) {
      const e = ev[i]!;
      if (e.type === 'Note') {
        expect(['Metrical', 'Note']).toContain(ev[i - 1]!.type);
        const p = Number(String(e.pitch).split('_').pop());
        expect(p).toBeLessThanOrEqual(lastPitch);
        lastPitch = p;
        expect(e.key).toBe(0);
      } else if (e['bar-beat'] === 'Bar') {
        lastBeat = -1;
      } else if (typeof e['bar-beat'] === 'string') {
        const b = Number(e['bar-beat'].split('_')[1]);
        expect(b).toBeGreaterThan(lastBeat);
        lastBeat = b;
        lastPitch = Infinity;
      }
    }
  });

  it('quantises to the 120-tick grid, caps duration at a bar and snaps velocity/tempo to dictionary bins', () => {
    const notes: MidiNote[] = [
      { pitch: 60, velocity: 127, start: 0, end: 5000, channel: 0, track: 0 },
      { pitch: 64, velocity: 3, start: 130, end: 250, channel: 0, track: 0 },
    ];
    const ev = scoreToEvents(
      {
        ticksPerBeat: 480,
        notes,
        tempos: [{ tick: 0, bpm: 121 }],
        timeSignatures: [],
        keySignatures: [],
        drumChannels: [],
        maxTick: 5000,
      },
      2,
      plain,
    );
    const noteEv = ev.filter((e) => e.type === 'Note');
    expect(noteEv[0]).toMatchObject({
      pitch: 'Note_Pitch_60',
      duration: 'Note_Duration_1920',
      velocity: 'Note_Velocity_120',
    });
    expect(noteEv[1]).toMatchObject({
      pitch: 'Note_Pitch_64',
      duration: 'Note_Duration_120',
      velocity: 'Note_Velocity_40',
    });
    expect(ev.filter((e) => e['bar-beat'] === 'Beat_1')).toHaveLength(1);
    expect(ev.find((e) => e['bar-beat'] === 'Beat_0')!.tempo).toBe('Tempo_122');
  });

  it('rounds half to even like numpy', () => {
    expect([0.5, 1.5, 2.5, -0.5, -1.5, 2.4, 2.6].map(roundHalfEven)).toEqual([0, 2, 2, -0, -2, 2, 3]);
  });

  it('recognises chords and transposes their roots', () => {
    const triad = [60, 64, 67].map((pitch) => ({ start: 0, duration: 480, pitch }));
    expect(recogniseChord(triad, 0, 480)).toBe('C_M');
    expect(
      recogniseChord(
        [57, 60, 64].map((pitch) => ({ start: 0, duration: 480, pitch })),
        0,
        480,
      ),
    ).toBe('A_m');
    expect(recogniseChord(triad, 480, 960)).toBe('N_N');
    expect(transposeChord('A#_m7', 2)).toBe('C_m7');
    expect(transposeChord('C_M', -3)).toBe('A_M');
    expect(transposeChord('CONTI', 5)).toBe('CONTI');
  });

  it('round trip holds for arbitrary grid-aligned note sets (property)', () => {
    const note = fc.record({
      pos: fc.integer({ min: 0, max: 16 * 6 - 1 }),
      pitch: fc.integer({ min: 22, max: 107 }),
      dur: fc.integer({ min: 1, max: 16 }),
      vel: fc.integer({ min: 20, max: 127 }),
    });
    fc.assert(
      fc.property(
        fc.uniqueArray(note, { minLength: 1, maxLength: 40, selector: (n) => `${n.pos}:${n.pitch}` }),
        fc.integer({ min: 1, max: 4 }),
        (list, emotion) => {
          const notes: MidiNote[] = list.map((n) => ({
            pitch: n.pitch,
            velocity: n.vel,
            start: n.pos * 120,
            end: n.pos * 120 + n.dur * 120,
            channel: 0,
            track: 0,
          }));
          const score: MidiScore = {
            ticksPerBeat: 480,
            notes,
            tempos: [{ tick: 0, bpm: 100 }],
            timeSignatures: [],
            keySignatures: [],
            drumChannels: [],
            maxTick: 0,
          };
          const rows = scoreToRows(score, emotion, plain);
          expect(scoreToRows(throughMidi(rows, plain), emotion, plain)).toEqual(rows);
          expect(rowsToEvents(rows, plain).filter((e) => e.type === 'Note')).toHaveLength(notes.length);
        },
      ),
      { numRuns: 60, seed: 7 },
    );
  });
});

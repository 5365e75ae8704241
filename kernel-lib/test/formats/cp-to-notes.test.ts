import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { cpToScore, cpToMidiBytes } from '../../src/formats/cp-to-notes.js';
import { parseMidi } from '../../src/formats/midi-read.js';
import { encodeNpy, parseNpy } from '../../src/formats/npy.js';
import type { Word2Event } from '../../src/formats/types.js';
import { errorOf } from '../expect-error.js';

const [, w2e] = JSON.parse(
  readFileSync(fileURLToPath(new URL('../fixtures/pickle/emopia-dictionary.json', import.meta.url)), 'utf8'),
) as [unknown, Word2Event];
const ORDER = ['tempo', 'chord', 'bar-beat', 'type', 'pitch', 'duration', 'velocity', 'emotion'];

/** Index of a label in the EMOPIA vocabulary (0 = padding). */
function ix(type: string, label: string | number): number {
  const hit = Object.entries(w2e[type]!).find(([, l]) => l === label);
  if (!hit) throw new Error(`no ${type} label ${label}`);
  return Number(hit[0]);
}
type Row = Partial<Record<string, string | number>>;
const row = (r: Row, order = ORDER) => order.map((t) => ix(t, r[t] ?? (t === 'type' ? 'EOS' : 0)));
const bar = (): Row => ({ 'bar-beat': 'Bar', type: 'Metrical', tempo: 'CONTI', chord: 'CONTI' });
const beat = (n: number, tempo: string | number = 'CONTI'): Row => ({
  'bar-beat': `Beat_${n}`,
  type: 'Metrical',
  tempo,
  chord: 'CONTI',
});
const note = (p: number, d: number, v: number): Row => ({
  type: 'Note',
  pitch: `Note_Pitch_${p}`,
  duration: `Note_Duration_${d}`,
  velocity: `Note_Velocity_${v}`,
});

describe('cpToScore: EMOPIA write_midi semantics', () => {
  const rows = [
    row({ type: 'Emotion', emotion: w2e.emotion!['1']! }),
    row(bar()),
    row(beat(0, 'Tempo_110')),
    row(note(60, 480, 60)),
    row(note(64, 0, 40)), // duration 0 -> 60 ticks
    row(beat(4)),
    row(note(67, 1920, 80)),
    row(bar()),
    row(note(72, 120, 80)), // after Bar but before a Beat: still at the last beat's position
    row(beat(15, 'Tempo_131')),
    row(note(48, 240, 100)),
    row({}), // padding (type EOS)
  ];
  const score = cpToScore(rows, ORDER, w2e);

  it('places notes at bar * 1920 + beat * 120 (the first Bar makes bar 1), 480 ticks per beat', () => {
    expect(score.ticksPerBeat).toBe(480);
    expect(score.notes.map((n) => [n.start, n.pitch, n.end, n.velocity])).toEqual([
      [1920, 60, 2400, 60],
      [1920, 64, 1980, 40],
      [2400, 67, 4320, 80],
      [2400, 72, 2520, 80],
      [3840 + 15 * 120, 48, 3840 + 15 * 120 + 240, 100],
    ]);
  });

  it('records tempo changes from Tempo_n labels on Beat rows only', () => {
    expect(score.tempos).toEqual([
      { tick: 1920, bpm: 110 },
      { tick: 5640, bpm: 131 },
    ]);
  });

  it('skips Note rows whose labels carry no number (padding), ignores other types', () => {
    const s = cpToScore(
      [
        row(bar()),
        row(beat(0)),
        row({ ...note(60, 120, 60), pitch: 0 }),
        row({ ...note(60, 120, 60), velocity: 0 }),
        row({ type: 'EOS', pitch: 'Note_Pitch_62' }),
        row(note(61, 120, 60)),
      ],
      ORDER,
      w2e,
    );
    expect(s.notes.map((n) => n.pitch)).toEqual([61]);
  });

  it('reads columns by vocab_order name, from an IntArray too (key-aware column order)', () => {
    const order = [...ORDER, 'key'];
    const w2eKey: Word2Event = { ...w2e, key: { 0: 0, 1: 'A:maj' } };
    const withKey = rows.map((r) => [...r, 1]);
    const arr = parseNpy(encodeNpy([withKey.length, order.length], withKey.flat()));
    expect(cpToScore(arr, order, w2eKey).notes).toEqual(score.notes);
    const shuffled = ['type', ...ORDER.filter((t) => t !== 'type')];
    const moved = rows.map((r) => [r[3]!, ...r.filter((_, i) => i !== 3)]);
    expect(cpToScore(moved, shuffled, w2e).notes).toEqual(score.notes);
  });

  it('cpToMidiBytes writes a MIDI file that reads back to the same notes and tempos', () => {
    const back = parseMidi(cpToMidiBytes(rows, ORDER, w2e));
    expect(back.ticksPerBeat).toBe(480);
    expect(back.notes.map((n) => [n.start, n.pitch, n.end, n.velocity])).toEqual(
      score.notes.map((n) => [n.start, n.pitch, n.end, n.velocity]),
    );
    expect(back.tempos.map((t) => [t.tick, Math.round(t.bpm)])).toEqual([
      [1920, 110],
      [5640, 131],
    ]);
  });

  it('names row and column for an unknown index or an unusable label, and a missing token type', () => {
    const bad = rows.map((r) => [...r]);
    bad[3]![4] = 9999;
    const e = errorOf(() => cpToScore(bad, ORDER, w2e));
    expect(e.code).toBe('cp.unknown-index');
    expect(e.field).toBe('rows[3][4] (pitch)');
    const w2eBad: Word2Event = { ...w2e, 'bar-beat': { ...w2e['bar-beat'], 99: 'Beat_x' } };
    const badBeat = [row(bar()), [...row(beat(0))]];
    badBeat[1]![2] = 99;
    expect(errorOf(() => cpToScore(badBeat, ORDER, w2eBad)).field).toBe('rows[1][2] (bar-beat)');
    expect(
      errorOf(() =>
        cpToScore(
          rows,
          ORDER.filter((t) => t !== 'type'),
          w2e,
        ),
      ).field,
    ).toBe('vocab_order');
    expect(errorOf(() => cpToScore([[1, 2]], ORDER, w2e)).code).toBe('cp.shape');
  });
});

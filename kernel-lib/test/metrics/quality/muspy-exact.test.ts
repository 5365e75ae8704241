import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeMidi } from '../../../src/formats/midi-write.js';
import { parseMidi } from '../../../src/formats/midi-read.js';
import type { MidiNote } from '../../../src/formats/types.js';
import {
  adjustResolution,
  emptyBeatRate,
  grooveConsistency,
  polyphony,
  qualityMetrics,
  qualityOfMidi,
  readMuspyMusic,
  roundHalfEven,
  type QualityMetrics,
  type ScoreView,
} from '../../../src/metrics/quality/index.js';
import { errorOf } from '../../expect-error.js';
import { PYTHON, pythonHas } from '../../helpers.js';

/*
 * The muspy-exact metrics against an independent implementation of muspy's definitions
 * (fixtures/quality/muspy_reference.py: mido + numpy, muspy's own per-beat loops and dense piano roll),
 * on committed fixtures: synthetic files where FIFO and pretty_midi pairing disagree, EMOPIA clips and
 * generated songs. expected.json holds that script's output; with python3 + mido + numpy present (always
 * in CI) the script is run again and must still give expected.json.
 */

const dir = fileURLToPath(new URL('../../fixtures/quality/', import.meta.url));
const expected = JSON.parse(readFileSync(`${dir}expected.json`, 'utf8')) as Record<
  string,
  Record<string, number | null>
>;
const METRICS = [
  'pitch_class_entropy',
  'scale_consistency',
  'pitch_range',
  'polyphony',
  'empty_beat_rate',
  'groove_consistency',
] as const;
const bytesOf = (name: string) => new Uint8Array(readFileSync(`${dir}${name}`));

const ready = pythonHas(['numpy', 'mido']);
if (!ready && process.env.CI !== 'true')
  console.warn(`muspy-exact: re-running the Python reference skipped — ${PYTHON} with numpy and mido is needed`);

describe('muspy-exact quality metrics on the committed fixtures', () => {
  const names = Object.keys(expected).sort();
  it('covers every fixture except the over-long one', () => {
    const mids = readdirSync(dir)
      .filter((f) => f.endsWith('.mid') && f !== 'absurd-length.mid')
      .sort();
    expect(names).toEqual(mids);
  });
  for (const name of names) {
    it(`${name}: equals the independent muspy implementation`, () => {
      const q = qualityOfMidi(bytesOf(name), name);
      for (const m of METRICS) {
        const want = expected[name]![m];
        const got = q[m];
        if (want === undefined) throw new Error(`expected.json has no ${m} for ${name}`);
        if (want === null) expect(Number.isNaN(got), `${m} should be NaN`).toBe(true);
        else if (m === 'pitch_class_entropy')
          expect(Math.abs(got - want), m).toBeLessThan(1e-12); // log2 may differ in the last bit
        else expect(got, m).toBe(want);
      }
    });
  }
  it.skipIf(!ready && process.env.CI !== 'true')('expected.json is what the Python reference prints today', () => {
    const files = names.map((n) => `${dir}${n}`);
    const out = execFileSync(PYTHON, [`${dir}muspy_reference.py`, ...files], { encoding: 'utf8', timeout: 120_000 });
    expect(JSON.parse(out)).toEqual(expected);
  });
});

describe('where muspy reading differs from the pretty_midi pairing', () => {
  const prettyMidi = (name: string): QualityMetrics => qualityMetrics(parseMidi(bytesOf(name), name));
  const muspy = (name: string): QualityMetrics => qualityOfMidi(bytesOf(name), name);
  it('overlapping notes of one pitch: FIFO keeps the second note to its own note-off (polyphony 1.5, not 4/3)', () => {
    expect(muspy('fifo-overlap.mid').polyphony).toBe(1.5);
    expect(prettyMidi('fifo-overlap.mid').polyphony).not.toBe(1.5);
  });
  it('a zero-length note counts in pitch metrics under muspy and is dropped by pretty_midi', () => {
    expect(muspy('same-tick.mid').pitch_range).toBe(72 - 62);
    const notes = readMuspyMusic(bytesOf('same-tick.mid')).tracks.flatMap((t) => t.notes);
    expect(notes.some((n) => n.pitch === 65 && n.duration === 0)).toBe(true);
    expect(parseMidi(bytesOf('same-tick.mid')).notes.some((n) => n.pitch === 65)).toBe(false);
  });
  it('notes never closed end at the end of the track under muspy', () => {
    const notes = readMuspyMusic(bytesOf('unclosed.mid')).tracks.flatMap((t) => t.notes);
    expect(notes.find((n) => n.pitch === 55)).toMatchObject({ time: 240, duration: 3840 - 240 });
    expect(parseMidi(bytesOf('unclosed.mid')).notes.some((n) => n.pitch === 55)).toBe(false);
  });
  it('a late control change lengthens the song (empty-beat rate counts the pedal tail)', () => {
    expect(muspy('cc-tail.mid').empty_beat_rate).toBeGreaterThan(prettyMidi('cc-tail.mid').empty_beat_rate);
  });
  it('onset and end are rounded half-to-even at 24 ticks per beat (not onset and duration)', () => {
    expect([0.5, 1.5, 2.5, 3.5, 4.5, 4.6].map(roundHalfEven)).toEqual([0, 2, 2, 4, 4, 5]);
    // C4 from tick 10 to 30 at 480 per beat: onset 0.5 -> 0, end 1.5 -> 2 (duration 2; rounding the
    // duration 1.0 separately would give 1). D4 from 50 to 70: 2.5 -> 2, 3.5 -> 4.
    const notes = adjustResolution(readMuspyMusic(bytesOf('rounding-ties.mid')), 24).tracks.flatMap((t) => t.notes);
    expect(notes.find((n) => n.pitch === 60)).toMatchObject({ time: 0, duration: 2 });
    expect(notes.find((n) => n.pitch === 62)).toMatchObject({ time: 2, duration: 2 });
  });
  it('a drums-only song has pitch range -127, as muspy computes it', () =>
    expect(muspy('drums-only.mid').pitch_range).toBe(-127));
});

describe('bounded work', () => {
  it('an absurdly long song is a per-file error naming the file and the length', () => {
    const e = errorOf(() => qualityOfMidi(bytesOf('absurd-length.mid'), 'absurd-length.mid'));
    expect(e.message).toContain('absurd-length.mid');
    expect(e.message).toContain('length');
    expect(e.message).toContain('200000 beats');
  });
});

// The sweeps against muspy's loops, written here the plain way, on random songs.
const note = (pitch: number, start: number, end: number, channel: number): MidiNote => ({
  pitch,
  start,
  end,
  channel,
  velocity: 64,
  track: 0,
});
function view(notes: MidiNote[], resolution: number, measureResolution: number): ScoreView {
  return {
    resolution,
    notes,
    pitched: notes.filter((n) => n.channel !== 9),
    length: Math.max(0, ...notes.map((n) => n.end)),
    measureResolution,
  };
}
const naiveEmptyBeat = (v: ScoreView) => {
  if (v.length < 1) return NaN;
  const nBeats = Math.floor(v.length / v.resolution) + 1;
  const filled = new Set<number>();
  for (const n of v.notes)
    for (let b = Math.floor(n.start / v.resolution); b <= Math.floor(n.end / v.resolution); b++) filled.add(b);
  return 1 - filled.size / nBeats;
};
const naiveGroove = (v: ScoreView) => {
  const mr = v.measureResolution;
  const nM = Math.floor(v.length / mr) + 1;
  if (nM < 2) return NaN;
  const on = new Uint8Array(nM * mr);
  for (const n of v.notes) on[n.start] = 1;
  let h = 0;
  for (let i = 0; i < (nM - 1) * mr; i++) if (on[i] !== on[i + mr]) h++;
  return 1 - h / (mr * (nM - 1));
};
const naivePolyphony = (v: ScoreView) => {
  const roll = new Map<number, Set<number>>();
  for (const n of v.pitched)
    for (let t = n.start; t < n.end; t++) (roll.get(t) ?? roll.set(t, new Set()).get(t)!).add(n.pitch);
  let cells = 0;
  for (const s of roll.values()) cells += s.size;
  return roll.size ? cells / roll.size : NaN;
};
const songs = fc
  .tuple(
    fc.array(
      fc.tuple(
        fc.integer({ min: 40, max: 80 }),
        fc.integer({ min: 0, max: 300 }),
        fc.integer({ min: 0, max: 60 }),
        fc.constantFrom(0, 1, 9),
      ),
      { maxLength: 40 },
    ),
    fc.constantFrom(4, 6, 24),
    fc.constantFrom(3, 4),
  )
  .map(([ns, res, beats]) =>
    view(
      ns.map(([p, s, d, ch]) => note(p, s, s + d, ch)),
      res,
      res * beats,
    ),
  );

describe('sweeps equal muspy-style loops (property)', () => {
  const same = (a: number, b: number) => (Number.isNaN(a) ? Number.isNaN(b) : Math.abs(a - b) < 1e-12);
  it('empty-beat rate', () => fc.assert(fc.property(songs, (v) => same(emptyBeatRate(v), naiveEmptyBeat(v)))));
  it('groove consistency', () => fc.assert(fc.property(songs, (v) => same(grooveConsistency(v), naiveGroove(v)))));
  it('polyphony', () => fc.assert(fc.property(songs, (v) => same(polyphony(v), naivePolyphony(v)))));
  it('a file written by our MIDI writer reads back to the same notes under muspy when no pairing is ambiguous', () => {
    const notes = [note(60, 0, 4, 0), note(64, 4, 8, 0), note(67, 8, 16, 0)];
    const music = readMuspyMusic(encodeMidi({ ticksPerBeat: 4, notes }));
    expect(music.tracks.flatMap((t) => t.notes.map((n) => [n.pitch, n.time, n.time + n.duration]))).toEqual([
      [60, 0, 4],
      [64, 4, 8],
      [67, 8, 16],
    ]);
  });
});

/** Raw single-track MIDI bytes from (delta, status, data1, data2) events: any order of note-ons and note-offs. */
function rawMidi(events: Array<[number, number, number, number]>, ticksPerBeat = 96): Uint8Array {
  const vlq = (n: number) => {
    const out = [n & 0x7f];
    while ((n >>= 7) > 0) out.unshift((n & 0x7f) | 0x80);
    return out;
  };
  const body = [...events.flatMap(([d, s, a, b]) => [...vlq(d), s, a, b]), 0, 0xff, 0x2f, 0];
  const u32 = (n: number) => [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255];
  return new Uint8Array([
    0x4d,
    0x54,
    0x68,
    0x64,
    ...u32(6),
    0,
    0,
    0,
    1,
    ticksPerBeat >> 8,
    ticksPerBeat & 255,
    0x4d,
    0x54,
    0x72,
    0x6b,
    ...u32(body.length),
    ...body,
  ]);
}

describe('muspy reading (property)', () => {
  const events = fc.array(
    fc.tuple(
      fc.integer({ min: 0, max: 200 }),
      fc.constantFrom(0x90, 0x80, 0x91),
      fc.integer({ min: 60, max: 63 }),
      fc.integer({ min: 0, max: 100 }),
    ),
    { maxLength: 60 },
  );
  it('every note-on becomes exactly one note (closed FIFO or at the track end), never with a negative duration', () =>
    fc.assert(
      fc.property(events, (evs) => {
        const music = readMuspyMusic(rawMidi(evs));
        const notes = music.tracks.flatMap((t) => t.notes);
        const noteOns = evs.filter(([, s, , v]) => (s & 0xf0) === 0x90 && v > 0).length;
        return notes.length === noteOns && notes.every((n) => n.duration >= 0);
      }),
    ));
  it('the metrics are defined or NaN, never throw, on any such file', () =>
    fc.assert(
      fc.property(events, (evs) => Object.values(qualityOfMidi(rawMidi(evs))).every((v) => typeof v === 'number')),
    ));
});

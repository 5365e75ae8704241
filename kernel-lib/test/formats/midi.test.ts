import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { mkdtemp } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeMidi as writeMidiEvents, type MidiEvent } from 'midi-file';
import { parseMidi, parseMidiData, readMidi } from '../../src/formats/midi-read.js';
import { qualityOfMidi } from '../../src/metrics/quality/index.js';
import { encodeMidi, writeMidi } from '../../src/formats/midi-write.js';
import { EmotuneError } from '../../src/errors.js';
import type { MidiNote } from '../../src/formats/types.js';
import { errorOf } from '../expect-error.js';

type Ev = [delta: number, kind: 'on' | 'off' | 'on0', pitch: number, velocity?: number, channel?: number];

/** A format-1 file with one conductor track and the given note tracks, written by midi-file. */
function midiOf(tracks: Ev[][], opts: { running?: boolean; tempoUs?: number } = {}): Uint8Array {
  const conductor: MidiEvent[] = [
    { deltaTime: 0, meta: true, type: 'setTempo', microsecondsPerBeat: opts.tempoUs ?? 500000 },
    { deltaTime: 0, meta: true, type: 'timeSignature', numerator: 3, denominator: 4, metronome: 24, thirtyseconds: 8 },
    { deltaTime: 0, meta: true, type: 'keySignature', key: -3, scale: 1 },
    { deltaTime: 960, meta: true, type: 'setTempo', microsecondsPerBeat: 400000 },
    { deltaTime: 0, meta: true, type: 'endOfTrack' },
  ];
  const noteTracks = tracks.map((evs) => [
    ...evs.map(([deltaTime, kind, pitch, velocity = 80, channel = 0]): MidiEvent =>
      kind === 'off'
        ? { deltaTime, type: 'noteOff', channel, noteNumber: pitch, velocity: 64 }
        : { deltaTime, type: 'noteOn', channel, noteNumber: pitch, velocity: kind === 'on0' ? 0 : velocity },
    ),
    { deltaTime: 0, meta: true, type: 'endOfTrack' } as MidiEvent,
  ]);
  return Uint8Array.from(
    writeMidiEvents(
      { header: { format: 1, numTracks: 1 + tracks.length, ticksPerBeat: 480 }, tracks: [conductor, ...noteTracks] },
      { running: opts.running ?? false },
    ),
  );
}

const brief = (notes: MidiNote[]) => notes.map((n) => [n.pitch, n.start, n.end, n.velocity]);

describe('parseMidi: note pairing as pretty_midi', () => {
  it('pairs simple notes in absolute ticks and reads tempo, time and key signatures', () => {
    const s = parseMidi(
      midiOf([
        [
          [0, 'on', 60, 90],
          [480, 'off', 60],
          [0, 'on', 64, 70],
          [240, 'off', 64],
        ],
      ]),
    );
    expect(s.ticksPerBeat).toBe(480);
    expect(brief(s.notes)).toEqual([
      [60, 0, 480, 90],
      [64, 480, 720, 70],
    ]);
    expect(s.notes[0]!.track).toBe(1);
    expect(s.tempos).toEqual([
      { tick: 0, bpm: 120 },
      { tick: 960, bpm: 150 },
    ]);
    expect(s.timeSignatures).toEqual([{ tick: 0, numerator: 3, denominator: 4 }]);
    expect(s.keySignatures).toEqual([{ tick: 0, key: -3, scale: 1 }]);
    expect(s.maxTick).toBe(960);
  });

  it('property: pairs any event sequence as the pretty_midi rule written out plainly', () => {
    // The rule, as directly as it reads: per (channel, pitch), a list of open notes; a note-off closes those
    // begun before its tick (in order), keeps those begun at it if any closed, else drops them.
    const reference = (events: Ev[]) => {
      const open = new Map<string, Array<{ start: number; velocity: number }>>();
      const out: MidiNote[] = [];
      let tick = 0;
      for (const [delta, kind, pitch, velocity = 80, channel = 0] of events) {
        tick += delta;
        const key = `${channel}/${pitch}`;
        if (kind === 'on') open.set(key, [...(open.get(key) ?? []), { start: tick, velocity }]);
        else {
          const list = open.get(key);
          if (!list) continue;
          const closing = list.filter((n) => n.start !== tick);
          for (const n of closing)
            out.push({ pitch, velocity: n.velocity, start: n.start, end: tick, channel, track: 1 });
          const keep = list.filter((n) => n.start === tick);
          if (closing.length > 0 && keep.length > 0) open.set(key, keep);
          else open.delete(key);
        }
      }
      return out.sort((a, b) => a.start - b.start || a.pitch - b.pitch || a.end - b.end);
    };
    const event: fc.Arbitrary<Ev> = fc.tuple(
      fc.constantFrom(0, 0, 1, 5),
      fc.constantFrom('on' as const, 'off' as const, 'on0' as const),
      fc.integer({ min: 60, max: 62 }),
      fc.integer({ min: 1, max: 127 }),
      fc.integer({ min: 0, max: 1 }),
    );
    fc.assert(
      fc.property(fc.array(event, { maxLength: 40 }), (events) => {
        expect(parseMidi(midiOf([events])).notes).toEqual(reference(events));
      }),
      { numRuns: 300 },
    );
  });

  it('a note-off closes every overlapping open note of that pitch', () => {
    // on@0, on@100, off@200 -> both end at 200; the later off@300 is spurious.
    const s = parseMidi(
      midiOf([
        [
          [0, 'on', 60, 10],
          [100, 'on', 60, 20],
          [100, 'off', 60],
          [100, 'off', 60],
        ],
      ]),
    );
    expect(brief(s.notes)).toEqual([
      [60, 0, 200, 10],
      [60, 100, 200, 20],
    ]);
  });

  it('a note started on the same tick as the note-off stays open when another note was closed', () => {
    // on@0, on@100 + off@100 (same tick): the note from 0 ends at 100, the note from 100 ends at 300.
    const s = parseMidi(
      midiOf([
        [
          [0, 'on', 62, 10],
          [100, 'on', 62, 20],
          [0, 'off', 62],
          [200, 'off', 62],
        ],
      ]),
    );
    expect(brief(s.notes)).toEqual([
      [62, 0, 100, 10],
      [62, 100, 300, 20],
    ]);
  });

  it('a note-off on the same tick as its only note-on drops the note', () => {
    const s = parseMidi(
      midiOf([
        [
          [50, 'on', 65],
          [0, 'off', 65],
          [100, 'off', 65],
          [0, 'on', 67],
          [10, 'off', 67],
        ],
      ]),
    );
    expect(brief(s.notes)).toEqual([[67, 150, 160, 80]]);
  });

  it('note_on with velocity 0 is a note-off', () => {
    const s = parseMidi(
      midiOf([
        [
          [0, 'on', 70],
          [120, 'on0', 70],
        ],
      ]),
    );
    expect(brief(s.notes)).toEqual([[70, 0, 120, 80]]);
  });

  it('notes never closed are dropped', () => {
    const s = parseMidi(
      midiOf([
        [
          [0, 'on', 72],
          [10, 'on', 74],
          [10, 'off', 74],
        ],
      ]),
    );
    expect(brief(s.notes)).toEqual([[74, 10, 20, 80]]);
  });

  it('pairs per (track, channel, pitch): another channel or track does not close the note', () => {
    const s = parseMidi(
      midiOf([
        [
          [0, 'on', 60, 80, 0],
          [10, 'off', 60, 64, 1],
          [10, 'off', 60, 64, 0],
        ],
        [
          [0, 'off', 60],
          [5, 'on', 60, 50, 9],
          [5, 'off', 60, 64, 9],
        ],
      ]),
    );
    expect(s.notes.map((n) => [n.pitch, n.start, n.end, n.channel, n.track])).toEqual([
      [60, 0, 20, 0, 1],
      [60, 5, 10, 9, 2],
    ]);
    expect(s.drumChannels).toEqual([9]);
  });

  it('reads running status the same as explicit status bytes', () => {
    const evs: Ev[] = [
      [0, 'on', 60],
      [0, 'on', 64],
      [240, 'on0', 60],
      [0, 'on0', 64],
      [0, 'on', 67],
      [240, 'on0', 67],
    ];
    const a = midiOf([evs], { running: true });
    const b = midiOf([evs], { running: false });
    expect(a.length).toBeLessThan(b.length);
    expect(parseMidi(a).notes).toEqual(parseMidi(b).notes);
    expect(brief(parseMidi(a).notes)).toEqual([
      [60, 0, 240, 80],
      [64, 0, 240, 80],
      [67, 240, 480, 80],
    ]);
  });

  it('sorts notes by (start, pitch, end)', () => {
    const s = parseMidi(
      midiOf([
        [
          [0, 'on', 67],
          [0, 'on', 60],
          [10, 'off', 67],
          [0, 'off', 60],
          [0, 'on', 55],
          [5, 'off', 55],
        ],
      ]),
    );
    expect(brief(s.notes)).toEqual([
      [60, 0, 10, 80],
      [67, 0, 10, 80],
      [55, 10, 15, 80],
    ]);
  });
});

describe('parseMidi: clear errors on bad bytes', () => {
  const good = midiOf([
    [
      [0, 'on', 60],
      [10, 'off', 60],
    ],
  ]);
  it('wrong magic', () => {
    const bad = good.slice();
    bad[0] = 0x58;
    const e = errorOf(() => parseMidi(bad, 'x.mid'));
    expect(e.code).toBe('midi.magic');
    expect(e.message).toContain('x.mid');
  });
  it('truncated file', () => {
    expect(errorOf(() => parseMidi(good.subarray(0, good.length - 3))).code).toBe('midi.truncated');
    expect(errorOf(() => parseMidi(good.subarray(0, 10))).code).toBe('midi.magic');
  });
  it('track length larger than the file', () => {
    const bad = good.slice();
    bad[14 + 4] = 0x7f; // first MTrk length high byte
    expect(errorOf(() => parseMidi(bad)).code).toBe('midi.truncated');
  });
  it('SMPTE division and zero division', () => {
    const smpte = good.slice();
    smpte[12] = 0xe7;
    expect(errorOf(() => parseMidi(smpte)).code).toBe('midi.smpte');
    const zero = good.slice();
    zero[12] = 0;
    zero[13] = 0;
    expect(errorOf(() => parseMidi(zero)).code).toBe('midi.bad-header');
  });
  it('running status with no previous status byte', () => {
    const track = [0x00, 0x3c, 0x40, 0x00, 0xff, 0x2f, 0x00];
    const bytes = Uint8Array.from([
      0x4d,
      0x54,
      0x68,
      0x64,
      0,
      0,
      0,
      6,
      0,
      0,
      0,
      1,
      1,
      0xe0,
      0x4d,
      0x54,
      0x72,
      0x6b,
      0,
      0,
      0,
      track.length,
      ...track,
    ]);
    expect(errorOf(() => parseMidi(bytes)).code).toBe('midi.bad-event');
  });
  it('an unreadable file', async () => {
    await expect(readMidi('/nonexistent/x.mid')).rejects.toBeInstanceOf(EmotuneError);
  });
});

describe('encodeMidi / writeMidi', () => {
  const notes: MidiNote[] = [
    { pitch: 60, velocity: 90, start: 0, end: 480, channel: 0, track: 1 },
    { pitch: 60, velocity: 70, start: 480, end: 960, channel: 0, track: 1 }, // back-to-back, same pitch
    { pitch: 64, velocity: 60, start: 120, end: 600, channel: 0, track: 1 },
    { pitch: 36, velocity: 100, start: 0, end: 1920, channel: 9, track: 2 },
  ];
  const sorted = (ns: MidiNote[]) => ns.map((n) => [n.start, n.pitch, n.end, n.velocity, n.channel]);
  for (const format of [0, 1] as const) {
    it(`encode -> parse gives the same notes, tempos and signatures (format ${format})`, () => {
      const s = parseMidi(
        encodeMidi(
          {
            ticksPerBeat: 480,
            notes,
            tempos: [
              { tick: 0, bpm: 120 },
              { tick: 1920, bpm: 90 },
            ],
            timeSignatures: [{ tick: 0, numerator: 4, denominator: 4 }],
            keySignatures: [{ tick: 0, key: 2, scale: 0 }],
          },
          { format },
        ),
      );
      expect(s.ticksPerBeat).toBe(480);
      expect(sorted(s.notes)).toEqual(
        sorted([...notes].sort((a, b) => a.start - b.start || a.pitch - b.pitch || a.end - b.end)),
      );
      expect(s.tempos.map((t) => [t.tick, Math.round(t.bpm * 1000) / 1000])).toEqual([
        [0, 120],
        [1920, 90],
      ]);
      expect(s.timeSignatures).toEqual([{ tick: 0, numerator: 4, denominator: 4 }]);
      expect(s.keySignatures).toEqual([{ tick: 0, key: 2, scale: 0 }]);
    });
  }
  it('refuses invalid notes with the field named', () => {
    const e = errorOf(() => encodeMidi({ ticksPerBeat: 480, notes: [{ ...notes[0]!, pitch: 128 }] }));
    expect(e.field).toBe('notes[0].pitch');
    expect(errorOf(() => encodeMidi({ ticksPerBeat: 480, notes: [{ ...notes[0]!, end: -1 }] })).field).toBe(
      'notes[0].end',
    );
  });
  it('writeMidi writes a file readMidi reads back', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'midi-'));
    await writeMidi(join(dir, 'a.mid'), { ticksPerBeat: 96, notes: [notes[2]!] });
    const s = await readMidi(join(dir, 'a.mid'));
    expect(s.ticksPerBeat).toBe(96);
    expect(brief(s.notes)).toEqual([[64, 120, 600, 60]]);
  });
});

describe('parseMidi on real EMOPIA files', () => {
  for (const name of ['small-piano', 'piano-q1']) {
    it(`${name}.mid gives the notes of the mido + pretty_midi-rule reference`, () => {
      const dir = new URL('../fixtures/midi/', import.meta.url);
      const ref = JSON.parse(readFileSync(new URL(`${name}.notes.json`, dir), 'utf8')) as {
        tpb: number;
        notes: number[][];
      };
      const s = parseMidi(new Uint8Array(readFileSync(new URL(`${name}.mid`, dir))), `${name}.mid`);
      expect(s.ticksPerBeat).toBe(ref.tpb);
      expect(s.notes.map((n) => [n.start, n.pitch, n.end, n.velocity, n.channel, n.track])).toEqual(ref.notes);
      expect(s.notes.length).toBeGreaterThan(40);
    });
  }
});

describe('parseMidiData: one parse per buffer', () => {
  const bytes = encodeMidi({
    ticksPerBeat: 96,
    notes: [
      { pitch: 60, velocity: 80, start: 0, end: 96, channel: 0, track: 0 },
      { pitch: 64, velocity: 70, start: 48, end: 144, channel: 0, track: 0 },
    ],
  });
  it('gives the events already parsed from the same buffer, and the same as a fresh parse of a copy', () => {
    const first = parseMidiData(bytes);
    expect(parseMidiData(bytes)).toBe(first);
    const copy = Uint8Array.from(bytes);
    expect(parseMidiData(copy)).not.toBe(first);
    expect(parseMidiData(copy)).toEqual(first);
    // The score and muspy's reading of one buffer are those of two separate buffers.
    expect(parseMidi(bytes)).toEqual(parseMidi(Uint8Array.from(bytes)));
    expect(qualityOfMidi(bytes)).toEqual(qualityOfMidi(Uint8Array.from(bytes)));
  });
  it('keeps no failed parse: a bad buffer fails every time', () => {
    const bad = bytes.slice(0, 20);
    expect(() => parseMidiData(bad)).toThrow(EmotuneError);
    expect(() => parseMidiData(bad)).toThrow(EmotuneError);
  });
});

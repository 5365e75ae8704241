import { writeMidi as writeMidiEvents, type MidiEvent } from 'midi-file';
import { EmotuneError, describeValue } from '../errors.js';
import { writeFileAtomic } from './atomic-write.js';
import type { KeySignatureChange, MidiNote, TempoChange, TimeSignatureChange } from './types.js';

/** What `encodeMidi` needs: notes in ticks plus optional tempo and signature changes. */
export interface MidiScoreInput {
  ticksPerBeat: number;
  notes: readonly MidiNote[];
  tempos?: readonly TempoChange[];
  timeSignatures?: readonly TimeSignatureChange[];
  keySignatures?: readonly KeySignatureChange[];
}

export interface EncodeMidiOptions {
  /** 1 (default): a conductor track with tempos/signatures, then one track per `note.track`. 0: one track. */
  format?: 0 | 1;
}

interface Timed {
  tick: number;
  /** Order among events on the same tick: meta first, then note-offs, then note-ons. */
  rank: number;
  event: MidiEvent;
}

function check(ok: boolean, field: string, expected: string, found: unknown): void {
  if (!ok)
    throw new EmotuneError('cannot encode MIDI', { field, expected, found: describeValue(found), code: 'midi.encode' });
}

const isInt = (v: unknown, lo: number, hi: number) =>
  typeof v === 'number' && Number.isInteger(v) && v >= lo && v <= hi;

function metaEvents(score: MidiScoreInput): Timed[] {
  const out: Timed[] = [];
  (score.tempos ?? []).forEach((t, i) => {
    check(
      isInt(t.tick, 0, 2 ** 40) && t.bpm > 0 && Number.isFinite(t.bpm),
      `tempos[${i}]`,
      'a tick >= 0 and a positive bpm',
      t,
    );
    const us = Math.round(60e6 / t.bpm);
    check(us >= 1 && us <= 0xffffff, `tempos[${i}].bpm`, 'a tempo between 3.58 and 60000000 bpm', t.bpm);
    out.push({ tick: t.tick, rank: 0, event: { deltaTime: 0, meta: true, type: 'setTempo', microsecondsPerBeat: us } });
  });
  (score.timeSignatures ?? []).forEach((t, i) => {
    const pow2 = Number.isInteger(Math.log2(t.denominator));
    check(
      isInt(t.tick, 0, 2 ** 40) && isInt(t.numerator, 1, 255) && pow2 && isInt(t.denominator, 1, 2 ** 30),
      `timeSignatures[${i}]`,
      'numerator 1..255 and a power-of-two denominator',
      t,
    );
    out.push({
      tick: t.tick,
      rank: 0,
      event: {
        deltaTime: 0,
        meta: true,
        type: 'timeSignature',
        numerator: t.numerator,
        denominator: t.denominator,
        metronome: 24,
        thirtyseconds: 8,
      },
    });
  });
  (score.keySignatures ?? []).forEach((k, i) => {
    check(
      isInt(k.tick, 0, 2 ** 40) && isInt(k.key, -7, 7) && isInt(k.scale, 0, 1),
      `keySignatures[${i}]`,
      'key -7..7 and scale 0/1',
      k,
    );
    out.push({
      tick: k.tick,
      rank: 0,
      event: { deltaTime: 0, meta: true, type: 'keySignature', key: k.key, scale: k.scale },
    });
  });
  return out;
}

function noteEvents(notes: readonly MidiNote[], offset: number): Timed[] {
  const out: Timed[] = [];
  notes.forEach((n, j) => {
    const i = offset + j;
    check(isInt(n.pitch, 0, 127), `notes[${i}].pitch`, '0..127', n.pitch);
    check(isInt(n.velocity, 1, 127), `notes[${i}].velocity`, '1..127', n.velocity);
    check(isInt(n.channel, 0, 15), `notes[${i}].channel`, '0..15', n.channel);
    check(isInt(n.start, 0, 2 ** 40), `notes[${i}].start`, 'an integer tick >= 0', n.start);
    check(isInt(n.end, n.start, 2 ** 40), `notes[${i}].end`, `an integer tick >= start (${n.start})`, n.end);
    out.push({
      tick: n.start,
      rank: 2,
      event: { deltaTime: 0, type: 'noteOn', channel: n.channel, noteNumber: n.pitch, velocity: n.velocity },
    });
    out.push({
      tick: n.end,
      rank: 1,
      event: { deltaTime: 0, type: 'noteOff', channel: n.channel, noteNumber: n.pitch, velocity: 0 },
    });
  });
  return out;
}

function toTrack(timed: Timed[]): MidiEvent[] {
  // Note-offs before note-ons on the same tick, so back-to-back notes of one pitch pair as written.
  const sorted = timed.map((t, i) => ({ ...t, i })).sort((a, b) => a.tick - b.tick || a.rank - b.rank || a.i - b.i);
  const events: MidiEvent[] = [];
  let last = 0;
  for (const t of sorted) {
    events.push({ ...t.event, deltaTime: t.tick - last } as MidiEvent);
    last = t.tick;
  }
  events.push({ deltaTime: 0, meta: true, type: 'endOfTrack' });
  return events;
}

/** Encode notes (ticks) as a Standard MIDI File with midi-file's writer. */
export function encodeMidi(score: MidiScoreInput, options: EncodeMidiOptions = {}): Uint8Array {
  check(isInt(score.ticksPerBeat, 1, 0x7fff), 'ticksPerBeat', '1..32767', score.ticksPerBeat);
  const format = options.format ?? 1;
  const meta = metaEvents(score);
  let tracks: MidiEvent[][];
  if (format === 0) {
    tracks = [toTrack([...meta, ...noteEvents(score.notes, 0)])];
  } else {
    const byTrack = new Map<number, MidiNote[]>();
    for (const n of score.notes) {
      const t = Number.isInteger(n.track) && n.track >= 0 ? n.track : 0;
      byTrack.set(t, [...(byTrack.get(t) ?? []), n]);
    }
    tracks = [toTrack(meta)];
    let offset = 0;
    for (const key of [...byTrack.keys()].sort((a, b) => a - b)) {
      const group = byTrack.get(key)!;
      tracks.push(toTrack(noteEvents(group, offset)));
      offset += group.length;
    }
  }
  const bytes = writeMidiEvents(
    { header: { format, numTracks: tracks.length, ticksPerBeat: score.ticksPerBeat }, tracks },
    { running: true },
  );
  return Uint8Array.from(bytes);
}

export async function writeMidi(path: string, score: MidiScoreInput, options: EncodeMidiOptions = {}): Promise<void> {
  await writeFileAtomic(path, encodeMidi(score, options));
}

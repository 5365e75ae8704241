import type { MidiData } from 'midi-file';
import { EmotuneError } from '../../errors.js';
import { parseMidiData } from '../../formats/midi-read.js';

/*
 * A MIDI file read the way `muspy.read_midi(path)` reads it (mido backend, duplicate_note_mode="fifo",
 * muspy/inputs/midi.py `from_mido`), reduced to what the quality metrics use. Differences from the
 * pretty_midi pairing in formats/midi-read.ts, which is what the reference notebook's analysis uses:
 * - a note-off closes only the EARLIEST open note-on of its (channel, pitch) (first in, first out), even one
 *   that started on the same tick (a zero-length note);
 * - notes still open at the end of a track are closed there (at the end-of-track event), not dropped;
 * - a track is one (MIDI track, program, channel) triple, and control changes are kept as track
 *   annotations: their times count in the track's end time, hence in the song length the metrics use.
 */

/** One muspy Note: onset `time` and `duration` in ticks. */
export interface MuspyNote {
  time: number;
  duration: number;
  pitch: number;
  velocity: number;
}

/** One muspy Track: the notes of one (MIDI track, program, channel), and the times of its control changes. */
export interface MuspyTrack {
  program: number;
  channel: number;
  /** muspy: channel 10 (index 9) is a drum track. */
  isDrum: boolean;
  notes: MuspyNote[];
  annotationTimes: number[];
}

export interface MuspyMusic {
  /** Ticks per beat. */
  resolution: number;
  tracks: MuspyTrack[];
  /** Time signatures (ticks), in file order. */
  timeSignatures: Array<{ time: number; numerator: number; denominator: number }>;
}

/** Reads MIDI bytes into muspy's Music (only what the metrics need). Every problem is an EmotuneError. */
export function readMuspyMusic(bytes: Uint8Array, file?: string): MuspyMusic {
  const data = parseMidiData(bytes, file);
  if (data.header.format === 2) {
    throw new EmotuneError('type 2 (asynchronous) MIDI files are not supported by muspy', {
      file,
      field: 'header.format',
      code: 'midi.format',
      expected: '0 or 1',
      found: '2',
    });
  }
  return fromMidiData(data);
}

/** muspy's `from_mido` on midi-file's decoded events (which already turn note-on velocity 0 into note-off). */
export function fromMidiData(data: MidiData): MuspyMusic {
  const timeSignatures: MuspyMusic['timeSignatures'] = [];
  const tracks: MuspyTrack[] = [];
  for (const events of data.tracks) {
    // Tracks of this MIDI track in order of creation (muspy's OrderedDict keyed by (program, channel)).
    const own = new Map<string, MuspyTrack>();
    const channelPrograms = new Array<number>(16).fill(0);
    const active = new Map<number, Array<{ time: number; velocity: number }>>(); // key channel*128+pitch
    const trackOf = (channel: number): MuspyTrack => {
      const program = channelPrograms[channel]!;
      const key = `${program}/${channel}`;
      let t = own.get(key);
      if (!t) own.set(key, (t = { program, channel, isDrum: channel === 9, notes: [], annotationTimes: [] }));
      return t;
    };
    let time = 0;
    for (const ev of events) {
      time += ev.deltaTime;
      if (ev.type === 'timeSignature')
        timeSignatures.push({ time, numerator: ev.numerator, denominator: ev.denominator });
      else if (ev.type === 'programChange') channelPrograms[ev.channel] = ev.programNumber;
      else if (ev.type === 'noteOn') {
        const key = ev.channel * 128 + ev.noteNumber;
        const list = active.get(key);
        if (list) list.push({ time, velocity: ev.velocity });
        else active.set(key, [{ time, velocity: ev.velocity }]);
      } else if (ev.type === 'noteOff') {
        const list = active.get(ev.channel * 128 + ev.noteNumber);
        if (!list || list.length === 0) continue; // no open note: skipped, and no track is created
        const onset = list.shift()!;
        trackOf(ev.channel).notes.push({
          time: onset.time,
          duration: time - onset.time,
          pitch: ev.noteNumber,
          velocity: onset.velocity,
        });
      } else if (ev.type === 'controller') {
        trackOf(ev.channel).annotationTimes.push(time);
      } else if (ev.type === 'endOfTrack') break;
    }
    // Close every note still open at the track's end (in order of first note-on of each (channel, pitch)).
    for (const [key, list] of active) {
      if (list.length === 0) continue;
      const channel = Math.floor(key / 128);
      const t = trackOf(channel);
      for (const onset of list)
        t.notes.push({ time: onset.time, duration: time - onset.time, pitch: key % 128, velocity: onset.velocity });
    }
    tracks.push(...own.values());
  }
  return { resolution: data.header.ticksPerBeat!, tracks, timeSignatures };
}

/** Python's `round()` on a float: nearest integer, ties to even. */
export function roundHalfEven(x: number): number {
  const f = Math.floor(x);
  const d = x - f;
  if (d < 0.5) return f;
  if (d > 0.5) return f + 1;
  return f % 2 === 0 ? f : f + 1;
}

/**
 * muspy's `Music.adjust_resolution(target)`: every time becomes round(time * target / resolution); a note's
 * onset and END are rounded (the duration is what is left between them), as muspy's `Note.adjust_time` does.
 */
export function adjustResolution(music: MuspyMusic, target: number): MuspyMusic {
  if (!Number.isInteger(target) || target < 1)
    throw new RangeError('adjustResolution: target must be a positive integer');
  const factor = target / music.resolution;
  const r = (t: number) => roundHalfEven(t * factor);
  return {
    resolution: target,
    tracks: music.tracks.map((t) => ({
      ...t,
      notes: t.notes.map((n) => {
        const time = r(n.time);
        return { ...n, time, duration: r(n.time + n.duration) - time };
      }),
      annotationTimes: t.annotationTimes.map(r),
    })),
    timeSignatures: music.timeSignatures.map((ts) => ({ ...ts, time: r(ts.time) })),
  };
}

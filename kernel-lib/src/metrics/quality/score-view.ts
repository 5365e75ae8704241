import { EmotuneError } from '../../errors.js';
import type { MidiNote, MidiScore } from '../../formats/types.js';
import { roundHalfEven, type MuspyMusic } from './muspy-read.js';

/**
 * The parts of a song the muspy metrics read, with muspy's conventions: drums are notes on MIDI channel 10
 * (index 9), "resolution" is ticks per beat, and the song length is the latest track end time (muspy's
 * `max(track.get_end_time())`: note ends and the track's control-change times).
 */
export interface ScoreView {
  resolution: number;
  /** All notes, drums included (empty-beat rate and groove consistency count drums, as muspy does). */
  notes: readonly MidiNote[];
  /** Pitched notes only. */
  pitched: readonly MidiNote[];
  length: number;
  /** Ticks per measure from the first time signature (4/4 when there is none). */
  measureResolution: number;
}

const DRUM_CHANNEL = 9;

/**
 * Longest song the quality metrics accept, in beats (about 14 hours at 120 bpm). Every metric runs in time
 * proportional to the number of notes, but a file whose note-offs are missing or corrupt can claim a length
 * no real song has; such a file gets a clear per-file error instead of figures built on that length.
 */
export const MAX_QUALITY_BEATS = 100_000;

function measureResolutionOf(res: number, ts: { numerator: number; denominator: number } | undefined): number {
  return ts ? Math.round((res * ts.numerator * 4) / ts.denominator) : res * 4;
}

/** The earliest time signature (file order among equal times), as formats/midi-read.ts sorts them. */
function earliest<T extends { time: number }>(list: readonly T[]): T | undefined {
  let best: T | undefined;
  for (const x of list) if (best === undefined || x.time < best.time) best = x;
  return best;
}

function checkLength(length: number, resolution: number, file: string | undefined, maxBeats: number): void {
  if (length / resolution > maxBeats) {
    throw new EmotuneError(
      'song too long for the quality metrics (a note or control change far past the music; check its note-off events)',
      {
        file,
        field: 'length',
        code: 'quality.length',
        expected: `at most ${maxBeats} beats`,
        found: `${Math.ceil(length / resolution)} beats`,
      },
    );
  }
}

/** The view of a muspy Music (already at the resolution to measure at): the input of the muspy-exact metrics. */
export function musicView(music: MuspyMusic, options: { file?: string; maxBeats?: number } = {}): ScoreView {
  const notes: MidiNote[] = [];
  let length = 0;
  music.tracks.forEach((t, track) => {
    for (const n of t.notes) {
      const end = n.time + n.duration;
      notes.push({ pitch: n.pitch, velocity: n.velocity, start: n.time, end, channel: t.channel, track });
      if (end > length) length = end;
    }
    for (const a of t.annotationTimes) if (a > length) length = a;
  });
  checkLength(length, music.resolution, options.file, options.maxBeats ?? MAX_QUALITY_BEATS);
  return {
    resolution: music.resolution,
    notes,
    pitched: notes.filter((n) => n.channel !== DRUM_CHANNEL),
    length,
    measureResolution: measureResolutionOf(music.resolution, earliest(music.timeSignatures)),
  };
}

/**
 * The view of an already paired MidiScore (pretty_midi pairing, see formats/midi-read.ts). With
 * `resolution` set, times are rescaled as muspy's `adjust_resolution` does: onset and end each rounded
 * half-to-even. Only `qualityOfMidi` (muspy's own pairing) gives muspy's values for every file; this view
 * serves callers that only hold a parsed score.
 */
export function scoreView(
  score: MidiScore,
  resolution?: number,
  options: { file?: string; maxBeats?: number } = {},
): ScoreView {
  const factor = resolution === undefined ? 1 : resolution / score.ticksPerBeat;
  const res = resolution ?? score.ticksPerBeat;
  const notes: MidiNote[] =
    factor === 1
      ? score.notes.slice()
      : score.notes.map((n) => ({ ...n, start: roundHalfEven(n.start * factor), end: roundHalfEven(n.end * factor) }));
  let length = 0;
  for (const n of notes) if (n.end > length) length = n.end;
  checkLength(length, res, options.file, options.maxBeats ?? MAX_QUALITY_BEATS);
  return {
    resolution: res,
    notes,
    pitched: notes.filter((n) => n.channel !== DRUM_CHANNEL),
    length,
    measureResolution: measureResolutionOf(res, score.timeSignatures[0]),
  };
}

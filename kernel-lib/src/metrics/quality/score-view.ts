import type { MidiNote, MidiScore } from '../../formats/types.js';

/**
 * The parts of a MidiScore the muspy metrics read, with muspy's conventions: drums are notes on MIDI
 * channel 10 (index 9), "resolution" is ticks per beat, and the song length is the latest note end
 * (muspy's `max(track.get_end_time())`).
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
 * Builds the view; with `resolution` set, times are rescaled to that many ticks per beat first, rounding
 * start and duration as muspy's `Music.adjust_resolution` does (so metrics compare across files with
 * different PPQ).
 */
export function scoreView(score: MidiScore, resolution?: number): ScoreView {
  const factor = resolution === undefined ? 1 : resolution / score.ticksPerBeat;
  const res = resolution ?? score.ticksPerBeat;
  const notes: MidiNote[] =
    factor === 1
      ? score.notes.slice()
      : score.notes.map((n) => {
          const start = Math.round(n.start * factor);
          return { ...n, start, end: start + Math.round((n.end - n.start) * factor) };
        });
  let length = 0;
  for (const n of notes) if (n.end > length) length = n.end;
  const ts = score.timeSignatures[0];
  const measureResolution = ts ? Math.round((res * ts.numerator * 4) / ts.denominator) : res * 4;
  return { resolution: res, notes, pitched: notes.filter((n) => n.channel !== DRUM_CHANNEL), length, measureResolution };
}

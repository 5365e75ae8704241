import { fileURLToPath } from 'node:url';
import type { MidiNote, MidiScore } from '../../../src/formats/types.js';

/** 40 EMOPIA val clips (10 per quadrant) with their labels; see fixtures/emopia-val/README.md. */
export const fixtureDir = fileURLToPath(new URL('./fixtures/emopia-val', import.meta.url));

export const TPB = 480;

/** A note in beats: start and length in quarter notes, as tick-based MidiNote. */
export function note(pitch: number, startBeat: number, lengthBeats: number, velocity = 80, channel = 0): MidiNote {
  return {
    pitch,
    velocity,
    start: Math.round(startBeat * TPB),
    end: Math.round((startBeat + lengthBeats) * TPB),
    channel,
    track: 0,
  };
}

/** A hand-made score; tempos default to none (MIDI's 120 BPM). */
export function score(notes: MidiNote[], tempos: { tick: number; bpm: number }[] = []): MidiScore {
  const sorted = [...notes].sort((a, b) => a.start - b.start || a.pitch - b.pitch || a.end - b.end);
  return {
    ticksPerBeat: TPB,
    notes: sorted,
    tempos,
    timeSignatures: [{ tick: 0, numerator: 4, denominator: 4 }],
    keySignatures: [],
    drumChannels: sorted.some((n) => n.channel === 9) ? [9] : [],
    maxTick: sorted.reduce((m, n) => Math.max(m, n.end), 0),
  };
}

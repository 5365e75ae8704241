/** Scores and MIDI files to WAV: the notes' seconds from the tempo map, the samples they need, the mix. */
import { readMidi } from '../formats/midi-read.js';
import { writeFileAtomic } from '../formats/atomic-write.js';
import type { TempoChange } from '../formats/types.js';
import { EmotuneError } from '../errors.js';
import { mixPiano, sampleNeeds, soundingNotes, TAIL_S } from './mix.js';
import type { TickNote } from './mix.js';
import { loadPianoSamples } from './samples-node.js';
import { secondsAt } from './timing.js';
import { encodeWav } from './wav.js';

/** What a render needs: notes in ticks, the resolution, the tempo map and the last tick (the MIDI's length). */
export interface AudioSource {
  ticksPerBeat: number;
  notes: readonly TickNote[];
  tempos?: readonly TempoChange[];
  /** Length in ticks; default: the last note-off. */
  endTick?: number;
}

export interface AudioOptions {
  /** Default 44,100 Hz. */
  sampleRate?: number;
}

export interface RenderedAudio {
  wav: Uint8Array;
  sampleRate: number;
  seconds: number;
  notes: number;
}

/** 44.1 kHz, mono, 16 bit; length = the source's length in seconds + the release tail. */
export async function renderWav(source: AudioSource, options: AudioOptions = {}): Promise<RenderedAudio> {
  const sampleRate = options.sampleRate ?? 44100;
  if (!Number.isInteger(sampleRate) || sampleRate < 8000 || sampleRate > 192000) {
    throw new EmotuneError('bad sample rate', {
      field: 'sampleRate',
      expected: 'an integer from 8000 to 192000 Hz',
      found: String(sampleRate),
      code: 'audio.rate',
    });
  }
  const at = secondsAt(source.ticksPerBeat > 0 ? source.ticksPerBeat : 480, source.tempos ?? []);
  const lastOff = source.notes.reduce((m, n) => Math.max(m, n[2]), 0);
  const seconds = at(Math.max(lastOff, source.endTick ?? 0)) + TAIL_S;
  const notes = soundingNotes(source.notes, at);
  const samples = await loadPianoSamples(sampleNeeds(notes));
  const { pcm } = mixPiano(notes, samples, { sampleRate, durationS: seconds });
  return { wav: encodeWav(pcm, sampleRate), sampleRate, seconds: pcm.length / sampleRate, notes: notes.length };
}

/** A MIDI file's audio (its length: the last event, so trailing rests are kept). */
export async function renderMidiFile(path: string, options: AudioOptions = {}): Promise<RenderedAudio> {
  const score = await readMidi(path);
  return renderWav(
    {
      ticksPerBeat: score.ticksPerBeat,
      notes: score.notes.map((n) => [n.pitch, n.start, n.end, n.velocity] as const),
      tempos: score.tempos,
      endTick: score.maxTick,
    },
    options,
  );
}

/** `emotune audio`: render and write atomically. */
export async function writeMidiWav(path: string, out: string, options: AudioOptions = {}): Promise<RenderedAudio> {
  const audio = await renderMidiFile(path, options);
  await writeFileAtomic(out, audio.wav);
  return audio;
}

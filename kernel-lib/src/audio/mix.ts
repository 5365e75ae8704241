/**
 * Notes to a mono PCM buffer from piano samples: pitch-shift by resampling, velocity as gain, a damper release
 * after each note-off, peak-normalised to -1 dBFS. Pure (no Node, no DOM), so the Node WAV renderer and the
 * extension's Web Audio player make the same sound.
 */
import { samplePitchFor } from './piano.js';

/** A note in seconds. */
export interface SoundingNote {
  pitch: number;
  velocity: number;
  startS: number;
  endS: number;
}

/** One decoded sample: mono PCM at its own rate, recorded at `pitch`. */
export interface PianoSample {
  pitch: number;
  sampleRate: number;
  data: Float32Array;
}

/** Fade after a note-off (the damper): long enough to sound like a piano, short enough to keep notes apart. */
export const RELEASE_S = 0.35;
/** Added after the MIDI's last tick so the last notes ring out. */
export const TAIL_S = 1.0;
/** Longest stretch of a sample used: piano notes have decayed by then (and decoding less is faster). */
export const MAX_SAMPLE_S = 8;
/** Output peak after normalisation: -1 dBFS. */
export const PEAK = 10 ** (-1 / 20);

/** A note tuple as the piano-roll payload carries it: [pitch, start tick, end tick, velocity]. */
export type TickNote = readonly [number, number, number, number];

/** Tick-based notes to seconds through a tick -> seconds map (the MIDI's tempo map). */
export function soundingNotes(notes: readonly TickNote[], secondsAt: (tick: number) => number): SoundingNote[] {
  return notes.map(([pitch, start, end, velocity]) => ({
    pitch,
    velocity,
    startS: secondsAt(start),
    endS: secondsAt(Math.max(end, start)),
  }));
}

/** How many seconds of each sample the notes need (note length plus release, capped): what to decode. */
export function sampleNeeds(notes: readonly SoundingNote[]): Map<number, number> {
  const needs = new Map<number, number>();
  for (const n of notes) {
    const sp = samplePitchFor(n.pitch);
    // A note shifted up reads the sample faster: it needs proportionally more of it.
    const speed = 2 ** ((n.pitch - sp) / 12);
    const s = Math.min(MAX_SAMPLE_S, (n.endS - n.startS + RELEASE_S) * speed + 0.05);
    needs.set(sp, Math.max(needs.get(sp) ?? 0, s));
  }
  return needs;
}

/** Loudness of a MIDI velocity (a power curve: quiet notes are clearly quieter, as on a piano). */
export function velocityGain(velocity: number): number {
  const v = Math.min(127, Math.max(0, velocity)) / 127;
  return v ** 1.6;
}

/**
 * Mix notes into `durationS` seconds of mono PCM at `sampleRate`. A note without a loaded sample is skipped
 * (the caller loads every sample `sampleNeeds` names). Returns the PCM and the peak before normalisation.
 */
export function mixPiano(
  notes: readonly SoundingNote[],
  samples: ReadonlyMap<number, PianoSample>,
  options: { sampleRate: number; durationS: number; normalize?: boolean },
): { pcm: Float32Array; peak: number } {
  const rate = options.sampleRate;
  const total = Math.max(1, Math.ceil(options.durationS * rate));
  const out = new Float32Array(total);
  const release = Math.max(1, Math.round(RELEASE_S * rate));
  for (const n of notes) {
    const sample = samples.get(samplePitchFor(n.pitch));
    if (!sample || sample.data.length < 2) continue;
    const step = (sample.sampleRate / rate) * 2 ** ((n.pitch - sample.pitch) / 12);
    const gain = velocityGain(n.velocity);
    const s0 = Math.max(0, Math.round(n.startS * rate));
    const off = Math.max(s0 + 1, Math.round(n.endS * rate));
    const s1 = Math.min(total, off + release);
    const data = sample.data;
    const last = data.length - 1;
    for (let j = s0; j < s1; j++) {
      const pos = (j - s0) * step;
      const i = Math.floor(pos);
      if (i >= last) break;
      const f = pos - i;
      let amp = gain;
      if (j >= off) {
        const r = 1 - (j - off) / release;
        amp *= r * r;
      }
      out[j] = (out[j] as number) + amp * ((data[i] as number) + ((data[i + 1] as number) - (data[i] as number)) * f);
    }
  }
  let peak = 0;
  for (let j = 0; j < total; j++) {
    const a = Math.abs(out[j] as number);
    if (a > peak) peak = a;
  }
  if (options.normalize !== false && peak > 0) {
    const k = PEAK / peak;
    for (let j = 0; j < total; j++) out[j] = (out[j] as number) * k;
  }
  return { pcm: out, peak };
}

/** Stereo (or more) channels to mono, with a short fade at the end when the sample was cut short. */
export function monoSample(
  pitch: number,
  sampleRate: number,
  channels: readonly Float32Array[],
  length: number,
  truncated: boolean,
): PianoSample {
  const data = new Float32Array(length);
  const k = 1 / Math.max(1, channels.length);
  for (const ch of channels) for (let i = 0; i < length; i++) data[i] = (data[i] as number) + (ch[i] ?? 0) * k;
  if (truncated) {
    const fade = Math.min(length, Math.round(0.05 * sampleRate));
    for (let i = 0; i < fade; i++) data[length - 1 - i] = (data[length - 1 - i] as number) * (i / fade);
  }
  return { pitch, sampleRate, data };
}

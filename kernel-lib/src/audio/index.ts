/** Audio: MIDI and piano-roll notes to WAV with a sampled piano (Salamander Grand Piano, CC BY 3.0). */
export { renderWav, renderMidiFile, writeMidiWav } from './render.js';
export type { AudioSource, AudioOptions, RenderedAudio } from './render.js';
export { mixPiano, soundingNotes, sampleNeeds, velocityGain, RELEASE_S, TAIL_S } from './mix.js';
export type { SoundingNote, PianoSample, TickNote } from './mix.js';
export { SAMPLE_PITCHES, sampleFileName, samplePitchFor } from './piano.js';
export { encodeWav } from './wav.js';

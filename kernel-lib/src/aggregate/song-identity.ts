import { createHash } from 'node:crypto';
import type { MidiNote } from '../formats/types.js';

/**
 * When two generated songs are the same song. The note stream is the notes' pitches, onsets, durations and
 * velocities (in ticks, sorted); two songs with the same stream are duplicates whatever their file bytes or
 * tempo. `transposed` ignores a shift of every pitch by the same interval: a transposed copy is the same
 * song for every figure except the key, so it is one unit there.
 */
export interface SongIdentity {
  /** Hash of the exact note stream. */
  exact: string;
  /** Hash of the note stream with pitches taken relative to the lowest pitch. */
  transposed: string;
}

const hash = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 16);

export function songIdentity(
  notes: ReadonlyArray<Pick<MidiNote, 'pitch' | 'start' | 'end' | 'velocity'>>,
): SongIdentity {
  const sorted = [...notes].sort(
    (a, b) => a.start - b.start || a.pitch - b.pitch || a.end - b.end || a.velocity - b.velocity,
  );
  let lowest = Infinity;
  for (const n of sorted) lowest = Math.min(lowest, n.pitch);
  const stream = (shift: number) =>
    sorted.map((n) => `${n.start},${n.pitch - shift},${n.end - n.start},${n.velocity}`).join(';');
  return { exact: hash(stream(0)), transposed: hash(`T${stream(Number.isFinite(lowest) ? lowest : 0)}`) };
}

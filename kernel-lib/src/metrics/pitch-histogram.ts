import type { MidiNote } from '../formats/types.js';

/**
 * The reference notebook's pitch-class histogram: every note (drums included) adds max(1, end - start) ticks to its
 * pitch class; the result is normalised to sum 1. With no notes the histogram stays all zeros (every
 * key then scores 0 and the first key, C:maj, wins — see key-reference.ts).
 */
export function pitchClassHistogram(notes: ReadonlyArray<Pick<MidiNote, 'pitch' | 'start' | 'end'>>): number[] {
  const h = new Array<number>(12).fill(0);
  for (const n of notes) h[((n.pitch % 12) + 12) % 12]! += Math.max(1, n.end - n.start);
  // Integer tick sums are exact, so the order notes come in does not change the result.
  let total = 0;
  for (const v of h) total += v;
  return total > 0 ? h.map((v) => v / total) : h;
}

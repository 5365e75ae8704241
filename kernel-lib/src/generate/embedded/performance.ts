import { CP_BAR_TICKS, CP_TICKS_PER_BEAT } from '../../formats/cp-to-notes.js';
import type { MidiScore } from '../../formats/types.js';
import { mulberry32 } from '../../prng.js';
import { type CpModelData, TIMING_SPAN } from './model.js';

/** Draw an index with probability proportional to its count (0 when all counts are 0). */
function drawFrom(counts: readonly number[], total: number, rand: () => number): number {
  if (total === 0) return 0;
  let r = rand() * total;
  for (let i = 0; i < counts.length; i++) {
    r -= counts[i]!;
    if (r < 0) return i;
  }
  return counts.length - 1;
}

/**
 * A generated song as a pianist plays it. CP tokens sit on a 16th-note grid, so every note of a position
 * starts on one tick; in EMOPIA's clips (transcribed performances) they do not. Each position moves by an
 * offset drawn from the learned position histogram, and each further note of the position (highest first)
 * starts later by a draw from the learned spread histogram; seeded, so a song always gets the same timing.
 * Durations stay as written. The leading bar EMOPIA's write_midi leaves empty (its bar counter starts before
 * the first Bar token) is removed.
 */
export function performScore(score: MidiScore, timing: CpModelData['timing'], seed: number): MidiScore {
  const rand = mulberry32(seed);
  const posTotal = timing.position.reduce((a, b) => a + b, 0);
  const spreadTotal = timing.spread.reduce((a, b) => a + b, 0);
  const scale = score.ticksPerBeat / CP_TICKS_PER_BEAT;
  const lead =
    score.notes.length > 0 && Math.min(...score.notes.map((n) => n.start)) >= CP_BAR_TICKS * scale
      ? CP_BAR_TICKS * scale
      : 0;
  const byStart = new Map<number, typeof score.notes>();
  for (const n of score.notes) {
    const list = byStart.get(n.start);
    if (list) list.push(n);
    else byStart.set(n.start, [n]);
  }
  const notes: MidiScore['notes'] = [];
  for (const start of [...byStart.keys()].sort((a, b) => a - b)) {
    const group = byStart.get(start)!.sort((a, b) => b.pitch - a.pitch);
    const offset = posTotal === 0 ? 0 : drawFrom(timing.position, posTotal, rand) - TIMING_SPAN;
    group.forEach((n, i) => {
      const late = i === 0 ? 0 : drawFrom(timing.spread, spreadTotal, rand);
      const at = Math.max(0, start - lead + Math.round((offset + late) * scale));
      notes.push({ ...n, start: at, end: at + (n.end - n.start) });
    });
  }
  notes.sort((a, b) => a.start - b.start || a.pitch - b.pitch || a.end - b.end);
  const tempos = score.tempos.map((t) => ({ ...t, tick: Math.max(0, t.tick - lead) }));
  const maxTick = notes.reduce((m, n) => Math.max(m, n.end), 0);
  return { ...score, notes, tempos, maxTick };
}

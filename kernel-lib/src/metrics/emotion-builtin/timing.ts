import type { MidiScore } from '../../formats/types.js';

/** MIDI's default when a file has no tempo event: 120 BPM. */
const DEFAULT_BPM = 120;

/**
 * Tick → seconds through the file's tempo map, so features are measured in the time a listener hears
 * (a clip written at 60 BPM with eighth notes is as dense as one at 120 with quarter notes).
 */
export function tickToSeconds(score: MidiScore): (tick: number) => number {
  const tpb = score.ticksPerBeat > 0 ? score.ticksPerBeat : 480;
  const tempos = [...score.tempos].filter((t) => t.bpm > 0).sort((a, b) => a.tick - b.tick);
  // Segments start at tick 0 with the default tempo until the first tempo event.
  // ticks, bpms and startSec are never empty and always equally long.
  const ticks: number[] = [0];
  const bpms: number[] = [DEFAULT_BPM];
  for (const t of tempos) {
    if (t.tick <= ticks[ticks.length - 1]!) bpms[bpms.length - 1] = t.bpm;
    else {
      ticks.push(t.tick);
      bpms.push(t.bpm);
    }
  }
  const startSec: number[] = [0];
  for (let i = 1; i < ticks.length; i++) {
    startSec.push(startSec[i - 1]! + ((ticks[i]! - ticks[i - 1]!) / tpb) * (60 / bpms[i - 1]!));
  }
  return (tick: number): number => {
    let lo = 0;
    let hi = ticks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (ticks[mid]! <= tick) lo = mid;
      else hi = mid - 1;
    }
    return startSec[lo]! + ((tick - ticks[lo]!) / tpb) * (60 / bpms[lo]!);
  };
}

/** Mean tempo in BPM between `fromTick` and `toTick`, each tempo weighted by the beats (ticks) it lasts. */
export function meanTempo(score: MidiScore, fromTick: number, toTick: number): number {
  const tempos = [...score.tempos].filter((t) => t.bpm > 0).sort((a, b) => a.tick - b.tick);
  if (tempos.length === 0 || toTick <= fromTick) return tempos[0]?.bpm ?? DEFAULT_BPM;
  let current = DEFAULT_BPM;
  for (const t of tempos) if (t.tick <= fromTick) current = t.bpm;
  let total = 0;
  let at = fromTick;
  for (const t of tempos) {
    if (t.tick <= fromTick) continue;
    if (t.tick >= toTick) break;
    total += (t.tick - at) * current;
    at = t.tick;
    current = t.bpm;
  }
  total += (toTick - at) * current;
  return total / (toTick - fromTick);
}

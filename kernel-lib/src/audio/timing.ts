/** Tick -> seconds for a note list and its tempo map (the emotion classifier's tempo walk, reused). */
import type { MidiScore, TempoChange } from '../formats/types.js';
import { tickToSeconds } from '../metrics/emotion-builtin/timing.js';

export function secondsAt(ticksPerBeat: number, tempos: readonly TempoChange[]): (tick: number) => number {
  // tickToSeconds reads only these two fields of a score.
  return tickToSeconds({ ticksPerBeat, tempos: [...tempos] } as Pick<
    MidiScore,
    'ticksPerBeat' | 'tempos'
  > as MidiScore);
}

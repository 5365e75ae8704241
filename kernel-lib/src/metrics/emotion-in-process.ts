import { readMidi } from '../formats/midi-read.js';
import type { EmotionOutcome } from './emotion-command.js';
import { classifyMidi, loadClassifier } from './emotion-builtin/index.js';
import { errorMessage } from '../errors.js';

/**
 * The built-in classifier's command (`["emotune", "classify", "{midi}"]`) run in this process: the same
 * model, the same answer as the printed `is emotion Q<n>` / `Inference values: [...]` (values rounded to
 * the 6 decimals printed), without a Node start-up per file. The main job classifies every generated song.
 */
export function isBuiltinClassifyCommand(command: readonly string[]): boolean {
  return command.length === 3 && command[0] === 'emotune' && command[1] === 'classify' && command[2] === '{midi}';
}

export async function classifyInProcess(file: string): Promise<EmotionOutcome> {
  try {
    const r = classifyMidi(await readMidi(file), loadClassifier(), file);
    return { ok: true, file, emotion: r.quadrant, values: r.probabilities.map((p) => Number(p.toFixed(6))) };
  } catch (e) {
    return { ok: false, file, reason: errorMessage(e) };
  }
}

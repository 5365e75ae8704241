import { isEmotuneError, errorMessage } from '../errors.js';
import { readMidi } from '../formats/midi-read.js';
import { classifyMidi, type BuiltinEmotionPrediction, type EmotionModel } from './emotion-builtin/index.js';
import { classifierBlock } from './emotion-command.js';

/** One file through the built-in classifier: its prediction, or the one-line reason (naming the file) it failed. */
export type BuiltinFileResult =
  { ok: true; file: string; prediction: BuiltinEmotionPrediction } | { ok: false; file: string; message: string };

/**
 * Read and classify one file as `emotune classify` does. Any failure comes back as a one-line reason naming
 * the file, so one bad file never ends a batch: an EmotuneError already names it; anything else (a bug, a
 * resource limit) gets the name added.
 */
export async function classifyFileWithBuiltin(file: string, model: EmotionModel): Promise<BuiltinFileResult> {
  try {
    return { ok: true, file, prediction: classifyMidi(await readMidi(file), model, file) };
  } catch (e) {
    return { ok: false, file, message: isEmotuneError(e) ? e.message : `${file}: cannot classify: ${errorMessage(e)}` };
  }
}

/** What `emotune classify FILE` prints for a result: the seed's two lines, or its stderr line. */
export function builtinOutputText(r: BuiltinFileResult): { stdout: string; stderr: string } {
  return r.ok
    ? { stdout: classifierBlock(r.file, r.prediction.quadrant, r.prediction.probabilities), stderr: '' }
    : { stdout: '', stderr: `emotune classify: ${r.message}\n` };
}

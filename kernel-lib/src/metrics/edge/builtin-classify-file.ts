import { isEmotuneError, errorMessage } from '../../errors.js';
import { readMidi } from '../../formats/midi-read.js';
import { classifyMidi, type EmotionModel } from '../emotion-builtin/index.js';
import type { BuiltinFileResult } from '../emotion-command.js';

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

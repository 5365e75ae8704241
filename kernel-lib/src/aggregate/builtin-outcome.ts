import { isEmotuneError, errorMessage } from '../errors.js';
import type { MidiScore } from '../formats/types.js';
import { builtinOutputText, type BuiltinFileResult } from '../metrics/emotion-command.js';
import { classifyFeatures, classifyMidi } from '../metrics/emotion-builtin/classify.js';
import type { EmotionFeatures } from '../metrics/emotion-builtin/features.js';
import type { EmotionModel } from '../metrics/emotion-builtin/model.js';
import { outcomeFromOutput, type EmotionOutcome } from '../metrics/emotion-command.js';

/**
 * What `["emotune", "classify", "{midi}"]` reports for a file the analysis has already read and measured: the
 * same printed block parsed the same way (so the same outcome, byte for byte), without a second read of the file
 * or a second computation of its features. `read` is the score, or the error reading it met.
 */
export function builtinOutcome(
  file: string,
  read: { score: MidiScore } | { error: unknown },
  model: EmotionModel,
  features?: Record<string, number>,
): EmotionOutcome {
  let r: BuiltinFileResult;
  try {
    if ('error' in read) throw read.error;
    const prediction = features
      ? classifyFeatures(features as unknown as EmotionFeatures, model)
      : classifyMidi(read.score, model, file);
    r = { ok: true, file, prediction };
  } catch (e) {
    // As classifyFileWithBuiltin words it.
    r = { ok: false, file, message: isEmotuneError(e) ? e.message : `${file}: cannot classify: ${errorMessage(e)}` };
  }
  return outcomeFromOutput(file, { returncode: r.ok ? 0 : 1, ...builtinOutputText(r) });
}

import { join } from 'node:path';
import { EmotuneError, errorMessage } from '../../errors.js';
import { embeddedDir } from '../../package-paths.js';
import { readInputTextSync } from '../../formats/read-input.js';
import type { MidiScore } from '../../formats/types.js';
import { classifyMidi, type BuiltinEmotionPrediction } from '../emotion-builtin/classify.js';
import { parseClassifierModel, type EmotionModel } from '../emotion-builtin/model.js';

/** The committed model. */
export const DEFAULT_CLASSIFIER_PATH: string = join(embeddedDir, 'classifier', 'emotion-model.json');

/**
 * Reads and validates a classifier file; without a path, the committed model (cached, it is read once).
 * Synchronous so notebook cells and `classifyScoreBuiltin` can use it without await.
 * @example
 * ```ts
 * const model = et.loadClassifier("my-model.json"); // or et.loadClassifier() for the committed one
 * const p = et.classifyScoreBuiltin(await et.readMidi("song.mid"), model);
 * ```
 */
export function loadClassifier(path?: string): EmotionModel {
  if (path === undefined && cachedDefault) return cachedDefault;
  const file = path ?? DEFAULT_CLASSIFIER_PATH;
  const text = readInputTextSync(file, 'classifier', {
    message: 'cannot read classifier model',
    expected: 'a model JSON written by `emotune train-classifier`',
  });
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new EmotuneError('classifier model is not valid JSON', {
      file,
      code: 'classifier.json',
      found: errorMessage(cause),
      cause,
    });
  }
  const model = parseClassifierModel(json, file);
  if (path === undefined) cachedDefault = model;
  return model;
}

let cachedDefault: EmotionModel | undefined;

/**
 * Predicts the EMOPIA quadrant of a parsed MIDI score with the built-in classifier (the committed model,
 * read by `loadClassifier`, unless one is given). Throws an EmotuneError for a score without pitched notes.
 * @example
 * ```ts
 * const p = et.classifyScoreBuiltin(await et.readMidi("song.mid"));
 * console.log(`Q${p.quadrant}`, p.arousal, p.valence);
 * ```
 */
export function classifyScoreBuiltin(
  score: MidiScore,
  model: EmotionModel = loadClassifier(),
  file?: string,
): BuiltinEmotionPrediction {
  return classifyMidi(score, model, file);
}

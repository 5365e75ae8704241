// The embedded EMOPIA-trained CP generator: tokenizer, model, training, and the main_cp.py-compatible entry.
// Names are chosen not to collide with other stages' exports when re-exported from the package root.
export { CP_TYPES, KEY_TYPE, type CpVocab, makeVocab, withKeyType } from './vocabulary.js';
export {
  type CpEvent,
  type TokenizeOptions,
  scoreToEvents,
  scoreToRows,
  eventsToRows,
  rowsToEvents,
} from './tokenizer.js';
export { recogniseChord, transposeChord } from './chords.js';
export {
  CpModel,
  DEFAULT_SETTINGS as EMBEDDED_MODEL_SETTINGS,
  type ModelSettings as EmbeddedModelSettings,
} from './model.js';
export { loadModel as loadEmbeddedModel, parseModel as parseEmbeddedModel } from './model-file.js';
export { generateSong, type SongRequest, type Song, TOP_P, DETERMINISTIC_TOP_P } from './song.js';
export { performScore } from './performance.js';
export { type GeneratorArgs, GENERATOR_DEFAULTS } from './generator-args.js';
export { runEmbeddedGenerator, type GenerateResult, type GeneratedSong } from './generate-songs.js';
export {
  type KeyFinder,
  MODEL_FILES as EMBEDDED_MODEL_FILES,
  type TrainOptions as EmbeddedTrainOptions,
  type TrainResult as EmbeddedTrainResult,
  trainEmbeddedModels,
} from './train.js';

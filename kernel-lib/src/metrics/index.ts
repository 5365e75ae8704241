export * from './np-stats.js';
export * from './token-adherence.js';
export * from './pitch-histogram.js';
export * from './key-reference.js';
export * from './emotion-command.js';
export type { EmotionAdherence, EmotionKeyResult, KeyAdherence, KeyFileResult } from './emotion-key-adherence.js';
export * from './key-methods/index.js';
export * from './quality/index.js';
export * from './note-adherence.js';
export {
  computeFeatures as computeEmotionFeatures,
  FEATURE_DOCS,
  type BuiltinEmotionPrediction,
  type EmotionModel,
  type ClassifierEvaluation,
} from './emotion-builtin/index.js';
export * from './plausibility.js';
// The edge (./edge/): what reads files or starts processes; everything else in metrics/ is pure.
export { classifyMidi } from './edge/classifier-process.js';
export { listMidiFiles, computeEmotionKeyAdherence, type EmotionKeyOptions } from './edge/run-emotion-key.js';
export { readQualityMetrics } from './edge/quality-file.js';
export { classifyScoreBuiltin, loadClassifier } from './edge/classifier-file.js';
export { evaluateClassifier, trainClassifierFromDir } from './edge/classifier-training.js';

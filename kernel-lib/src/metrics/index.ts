export * from './np-stats.js';
export * from './token-adherence.js';
export * from './pitch-histogram.js';
export * from './key-seed.js';
export * from './emotion-command.js';
export * from './run-emotion-key.js';
export * from './key-methods/index.js';
export * from './quality/index.js';
export * from './note-adherence.js';
// The built-in classifier's `classifyMidi` takes a parsed score; the command adapter's takes a path.
export {
  classifyMidi as classifyScoreBuiltin,
  computeFeatures as computeEmotionFeatures,
  loadClassifier,
  evaluateClassifier,
  trainClassifierFromDir,
  FEATURE_DOCS,
  type BuiltinEmotionPrediction,
  type EmotionModel,
  type ClassifierEvaluation,
} from './emotion-builtin/index.js';
export * from './plausibility.js';

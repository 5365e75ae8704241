// The built-in emotion classifier: MIDI features → EMOPIA quadrant, arousal and valence (pure; reading models and
// EMOPIA folders is in ../edge/).
export {
  FEATURE_DOCS,
  FEATURE_NAMES,
  computeFeatures,
  featureVector,
  type EmotionFeatures,
  type FeatureName,
} from './features.js';
export { classifyMidi, predictFromFeatures, type BuiltinEmotionPrediction } from './classify.js';
export {
  withConstantVelocity,
  quantiseToCpGrid,
  transposeScore,
  transposedVariant,
  ROBUSTNESS_VARIANTS,
  type ScoreVariant,
} from './augment.js';
export { fitTemperature, calibration, type Calibration } from './calibration.js';
export {
  parseClassifierModel,
  serializeClassifierModel,
  type EmotionModel,
  type ModelFeature,
  type BinaryHead,
  type QuadrantHead,
  type TrainingInfo,
} from './model.js';
export {
  trainClassifier,
  trainingCredit,
  crossValidate,
  songFolds,
  DEFAULT_MODEL_FEATURES,
  DEFAULT_L2,
  DEFAULT_LOG_FEATURES,
  DEFAULT_GBT,
  TRAIN_AUGMENTATIONS,
  type ClassifierTrainOptions,
  type ClassifierKind,
  type CrossValidation,
} from './train.js';
export {
  confusionMarkdown,
  evaluateOnExamples,
  evaluationMarkdown,
  evaluationFiguresMarkdown,
  heldOutSentence,
  trainingOverlapWarning,
  KEPT_NOTES_MARKER,
  withKeptNotes,
  summarizeCrossValidation,
  PUBLISHED_ANCHORS,
  type ClassifierEvaluation,
  type CrossValidationSummary,
  type TrainingOverlap,
} from './evaluate.js';
export { parseEmopiaLabels, type EmopiaClip, type LabelledFeatures } from './dataset.js';
export { outOfRangeFeatures, featureRanges, type OutOfRangeFeature } from './ranges.js';

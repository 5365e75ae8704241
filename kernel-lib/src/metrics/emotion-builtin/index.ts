// The built-in emotion classifier: MIDI features → EMOPIA quadrant, arousal and valence.
export {
  FEATURE_DOCS,
  FEATURE_NAMES,
  computeFeatures,
  featureVector,
  type EmotionFeatures,
  type FeatureName,
} from './features.js';
export { classifyMidi, predictFromFeatures, type BuiltinEmotionPrediction } from './classify.js';
export { withConstantVelocity, quantiseToCpGrid, ROBUSTNESS_VARIANTS, type ScoreVariant } from './augment.js';
export { fitTemperature, calibration, type Calibration } from './calibration.js';
export {
  DEFAULT_CLASSIFIER_PATH,
  loadClassifier,
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
  trainClassifierFromDir,
  loadTrainingExamples,
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
  evaluateClassifier,
  evaluateOnExamples,
  evaluationMarkdown,
  evaluationFiguresMarkdown,
  summarizeCrossValidation,
  PUBLISHED_ANCHORS,
  type ClassifierEvaluation,
  type CrossValidationSummary,
} from './evaluate.js';
export {
  readEmopiaLabels,
  parseEmopiaLabels,
  loadSplitFeatures,
  type EmopiaClip,
  type LabelledFeatures,
} from './dataset.js';
export { outOfRangeFeatures, featureRanges, type OutOfRangeFeature } from './ranges.js';

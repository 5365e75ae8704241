// The built-in emotion classifier: MIDI features → EMOPIA quadrant, arousal and valence.
export { FEATURE_DOCS, FEATURE_NAMES, computeFeatures, featureVector, type EmotionFeatures, type FeatureName } from './features.js';
export { classifyMidi, predictFromFeatures, type BuiltinEmotionPrediction } from './classify.js';
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
  type FeatureRanges,
} from './model.js';
export { trainClassifier, trainClassifierFromDir, DEFAULT_MODEL_FEATURES, DEFAULT_L2, DEFAULT_LOG_FEATURES, type ClassifierTrainOptions } from './train.js';
export { confusionMarkdown, evaluateClassifier, evaluateOnExamples, evaluationMarkdown, type ClassifierEvaluation } from './evaluate.js';
export { readEmopiaLabels, parseEmopiaLabels, loadSplitFeatures, type EmopiaClip, type LabelledFeatures } from './dataset.js';
export { outOfRangeFeatures, featureRanges, type OutOfRangeFeature } from './ranges.js';

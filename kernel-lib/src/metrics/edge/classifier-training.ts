import { EmotuneError } from '../../errors.js';
import { ROBUSTNESS_VARIANTS, UNMODIFIED } from '../emotion-builtin/augment.js';
import type { LabelledFeatures } from '../emotion-builtin/dataset.js';
import { evaluateOnExamples, type ClassifierEvaluation } from '../emotion-builtin/evaluate.js';
import type { EmotionModel } from '../emotion-builtin/model.js';
import {
  TRAIN_AUGMENTATIONS,
  trainClassifier,
  trainingCredit,
  type ClassifierTrainOptions,
} from '../emotion-builtin/train.js';
import { loadClassifier } from './classifier-file.js';
import { loadSplitFeatures } from './emopia-dataset.js';

// Training and evaluating the built-in classifier on an EMOPIA folder: reads the clips, then the pure
// trainClassifier / evaluateOnExamples of ../emotion-builtin/.

/** Features of a split's clips with their TRAIN_AUGMENTATIONS copies; an empty split is an error naming it. */
export async function loadTrainingExamples(
  dataDir: string,
  split = 'train',
  limit?: number,
): Promise<LabelledFeatures[]> {
  const examples = await loadSplitFeatures(dataDir, split, limit, TRAIN_AUGMENTATIONS);
  return nonEmptySplit(examples, dataDir, split, 'no clips in the training split', 'classifier.train');
}

/** The clips of a split, or an error naming the folder and the split when labels.csv has none. */
function nonEmptySplit(
  examples: LabelledFeatures[],
  dataDir: string,
  split: string,
  message: string,
  code: string,
): LabelledFeatures[] {
  if (examples.length > 0) return examples;
  throw new EmotuneError(message, {
    file: dataDir,
    field: 'labels.csv split',
    expected: `rows with split "${split}"`,
    found: 'none',
    code,
  });
}

/** Reads an EMOPIA folder (labels.csv + midis/) and trains on its `train` split (or `limit` first clips of it). */
export async function trainClassifierFromDir(
  dataDir: string,
  options: ClassifierTrainOptions & { split?: string; limit?: number } = {},
): Promise<EmotionModel> {
  const split = options.split ?? 'train';
  const examples = await loadTrainingExamples(dataDir, split, options.limit);
  return trainClassifier(examples, { ...options, dataDescription: options.dataDescription ?? trainingCredit(split) });
}

/**
 * Evaluates a classifier (default: the committed model) on one split of an EMOPIA folder
 * (labels.csv + midis/), e.g. `evaluateClassifier('/data/emopia', 'val')`, with the robustness variants
 * (constant velocities, CP grid) of every clip.
 */
export async function evaluateClassifier(
  dataDir: string,
  split: string,
  model: EmotionModel = loadClassifier(),
): Promise<ClassifierEvaluation> {
  const examples = await loadSplitFeatures(
    dataDir,
    split,
    undefined,
    ROBUSTNESS_VARIANTS.filter((v) => v !== UNMODIFIED),
  );
  return evaluateOnExamples(
    nonEmptySplit(examples, dataDir, split, 'no clips in the split', 'classifier.evaluate'),
    model,
    split,
  );
}

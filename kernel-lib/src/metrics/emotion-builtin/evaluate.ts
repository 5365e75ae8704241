import { EmotuneError } from '../../errors.js';
import { predictFromFeatures } from './classify.js';
import { loadSplitFeatures, type LabelledFeatures } from './dataset.js';
import { FEATURE_DOCS, FEATURE_NAMES } from './features.js';
import { loadClassifier, type EmotionModel } from './model.js';

export interface ClassifierEvaluation {
  split: string;
  examples: number;
  /** Share of clips whose quadrant is right. */
  accuracy: number;
  /** Share whose arousal half (Q1/Q2 vs Q3/Q4) is right. */
  arousalAccuracy: number;
  /** Share whose valence half (Q1/Q4 vs Q2/Q3) is right. */
  valenceAccuracy: number;
  /** confusion[true - 1][predicted - 1]: counts. */
  confusion: number[][];
}

const highArousal = (q: number) => q === 1 || q === 2;
const highValence = (q: number) => q === 1 || q === 4;

/** Scores a model on labelled features (pure; used by the CLI, the tests and the validation report). */
export function evaluateOnExamples(examples: readonly LabelledFeatures[], model: EmotionModel, split = 'examples'): ClassifierEvaluation {
  const confusion = [0, 1, 2, 3].map(() => [0, 0, 0, 0]);
  let right = 0;
  let arousal = 0;
  let valence = 0;
  for (const e of examples) {
    const p = predictFromFeatures(e.features, model);
    let k = 0;
    for (let i = 1; i < 4; i++) if (p[i] > p[k]) k = i;
    const predicted = k + 1;
    confusion[e.quadrant - 1][k]++;
    if (predicted === e.quadrant) right++;
    if (highArousal(predicted) === highArousal(e.quadrant)) arousal++;
    if (highValence(predicted) === highValence(e.quadrant)) valence++;
  }
  const n = examples.length;
  return { split, examples: n, accuracy: right / n, arousalAccuracy: arousal / n, valenceAccuracy: valence / n, confusion };
}

/**
 * Evaluates a classifier (default: the committed model) on one split of an EMOPIA folder
 * (labels.csv + midis/), e.g. `evaluateClassifier('/data/emopia', 'val')`.
 */
export async function evaluateClassifier(dataDir: string, split: string, model: EmotionModel = loadClassifier()): Promise<ClassifierEvaluation> {
  const examples = await loadSplitFeatures(dataDir, split);
  if (examples.length === 0) {
    throw new EmotuneError('no clips in the split', { file: dataDir, field: 'labels.csv split', expected: `rows with split "${split}"`, found: 'none', code: 'classifier.evaluate' });
  }
  return evaluateOnExamples(examples, model, split);
}

const pct = (v: number) => `${(100 * v).toFixed(1)}%`;

/** The features with their standardised weights, so a reader sees what drives each prediction. */
function featureTable(model: EmotionModel): string[] {
  const w = (v: number) => (v >= 0 ? '+' : '') + v.toFixed(2);
  const header =
    model.kind === 'arousal-valence'
      ? ['| feature | what it measures | arousal weight | valence weight |', '| --- | --- | --- | --- |']
      : ['| feature | what it measures | Q1 | Q2 | Q3 | Q4 |', '| --- | --- | --- | --- | --- | --- |'];
  const rows = model.features.map((f, j) => {
    const name = f.transform === 'log' ? `log ${f.name}` : f.name;
    const weights =
      model.kind === 'arousal-valence' ? [model.arousal.weights[j], model.valence.weights[j]] : model.quadrant.weights.map((row) => row[j]);
    return `| ${name} | ${FEATURE_DOCS[f.name]} | ${weights.map(w).join(' | ')} |`;
  });
  const unused = FEATURE_NAMES.filter((n) => !model.features.some((f) => f.name === n));
  const note = unused.length
    ? [`Also computed (in \`classify --json\`) but not used by this model: ${unused.join(', ')} (EMOPIA's clips are transcriptions written at a fixed 120 BPM, so their beats carry no information).`, '']
    : [];
  return ['Features (weights apply to features standardised with the training mean and deviation):', '', ...header, ...rows, '', ...note];
}

/** Markdown with the figures and the confusion matrix, for EVALUATION.md and the README. */
export function evaluationMarkdown(e: ClassifierEvaluation, model: EmotionModel, command: string): string {
  const lines = [
    '# Built-in emotion classifier: evaluation',
    '',
    `Model: \`${model.kind}\` logistic regression on ${model.features.length} MIDI features, L2 ${model.training.l2}, trained on ${model.training.examples} clips (${model.training.data}).`,
    `Evaluated on the ${e.split} split (${e.examples} clips, song-disjoint from training).`,
    '',
    '| measure | value |',
    '| --- | --- |',
    `| 4-quadrant accuracy | ${pct(e.accuracy)} |`,
    `| arousal accuracy (Q1/Q2 vs Q3/Q4) | ${pct(e.arousalAccuracy)} |`,
    `| valence accuracy (Q1/Q4 vs Q2/Q3) | ${pct(e.valenceAccuracy)} |`,
    '',
    'For comparison, EMOPIA (Hung et al., ISMIR 2021) reports 4-quadrant accuracy .581 for its symbolic',
    'logistic-regression baseline and .684 for its LSTM-Attn model, on its own test split.',
    '',
    ...confusionMarkdown(e.confusion),
    '',
    'Reproduce (retrains the committed model byte-identically, then evaluates it; `emotune` is',
    '`node kernel-lib/dist/cli/main.js` after `npm run build`, and `--data` an EMOPIA folder whose',
    '`labels.csv` has a `split` column):',
    '',
    '```',
    command,
    '```',
    '',
    ...featureTable(model),
    'Data: EMOPIA 1.0, Hung, Ching, Doh, Kim, Nam, Yang, "EMOPIA: A Multi-Modal Pop Piano Dataset for Emotion',
    'Recognition and Emotion-based Music Generation", ISMIR 2021; CC BY 4.0.',
    '',
  ];
  return lines.join('\n');
}

/** The 4x4 quadrant confusion matrix as Markdown lines (rows: true quadrant, columns: predicted). */
export function confusionMarkdown(confusion: readonly (readonly number[])[]): string[] {
  return [
    'Confusion matrix (rows: true quadrant, columns: predicted):',
    '',
    '| true \\ predicted | Q1 | Q2 | Q3 | Q4 |',
    '| --- | --- | --- | --- | --- |',
    ...confusion.map((row, i) => `| Q${i + 1} | ${row.join(' | ')} |`),
  ];
}

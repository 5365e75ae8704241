import { bootstrapInterval, DEFAULT_BOOTSTRAP_SEED } from '../../stats/bootstrap.js';
import type { Interval } from '../../stats/interval.js';
import { wilsonInterval } from '../../stats/wilson.js';
import { ROBUSTNESS_VARIANTS, UNMODIFIED } from './augment.js';
import { calibration, calibrationNull, topClass, type Calibration, type CalibrationNull } from './calibration.js';
import { predictFromFeatures } from './classify.js';
import { songKeyOf, type LabelledFeatures } from './dataset.js';
import { checkTrainingSongs, incomparableReason, type TrainingSongCheck } from './held-out.js';
import { FEATURE_DOCS, FEATURE_NAMES, type EmotionFeatures } from './features.js';
import type { AxisEnsemble, EmotionModel } from './model.js';
import type { CrossValidation } from './train.js';

export interface VariantAccuracy {
  variant: string;
  accuracy: number;
  arousalAccuracy: number;
  valenceAccuracy: number;
  /**
   * Change of the 4-quadrant accuracy from the unmodified clips (absent for those): a paired song bootstrap
   * (each resample draws songs, with all their clips in both versions) at a Bonferroni-adjusted level, so
   * that the intervals of all variants hold together at 95%.
   */
  change?: Interval;
}

/** Joint coverage of the robustness changes' intervals (each is at 1 - (1 - this) / variants). */
export const ROBUSTNESS_JOINT_CONFIDENCE = 0.95;

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
  /** Recall of Q1..Q4: right / clips of that quadrant. */
  recall: number[];
  /** 95% Wilson interval of the accuracy (clips taken as independent). */
  accuracyWilson: Interval;
  /** 95% percentile bootstrap of the accuracy resampling songs (clips of one song are not independent). */
  accuracySongBootstrap: Interval;
  arousalWilson: Interval;
  valenceWilson: Interval;
  /** Reliability of the top-class probability. */
  calibration: Calibration;
  /** The ECE a perfectly calibrated model with these probabilities would show on this many clips. */
  calibrationNull: CalibrationNull;
  /** Accuracy on the clips transformed as generated music is (when the examples carry the variants). */
  robustness: VariantAccuracy[];
  /** Whether the clips are new music to the model: how many come from songs it was trained on. */
  trainingOverlap: TrainingOverlap;
}

/**
 * Evaluated clips whose song the model was trained on (its recorded `training.songs`): figures on them overstate
 * accuracy on new music. `known: false` when the model records no training songs (older models); `comparable`
 * false when the two sides named their songs differently (or by file alone), so no shared song proves nothing.
 */
export type TrainingOverlap =
  | { known: false }
  | ({
      known: true;
      /**
       * Accuracy on the other clips, when some are shared and some are not: Wilson (clips as independent) and a
       * bootstrap over their songs (the unit the main figure's interval resamples too).
       */
      disjoint?: { clips: number; songs: number; accuracy: Interval; accuracySongBootstrap: Interval };
    } & Omit<TrainingSongCheck, 'shared'>);

function trainingOverlap(
  keys: ReadonlyArray<ReturnType<typeof songKeyOf>>,
  correct: readonly boolean[],
  model: EmotionModel,
): TrainingOverlap {
  const check = checkTrainingSongs(keys, model);
  if (!check) return { known: false };
  const { shared, ...counts } = check;
  const kept = correct.flatMap((c, i) => (shared[i] ? [] : [{ c, song: keys[i]!.songId }]));
  if (counts.clips === 0 || kept.length === 0) return { known: true, ...counts };
  const songBoot = songBootstrap(
    kept.map((k) => k.song),
    kept.map((k) => Number(k.c)),
  );
  return {
    known: true,
    ...counts,
    disjoint: {
      clips: kept.length,
      songs: songBoot.n,
      accuracy: wilsonInterval(kept.filter((k) => k.c).length, kept.length),
      accuracySongBootstrap: songBoot,
    },
  };
}

const highArousal = (q: number) => q === 1 || q === 2;
const highValence = (q: number) => q === 1 || q === 4;

function accuracies(
  examples: readonly LabelledFeatures[],
  model: EmotionModel,
  pick: (e: LabelledFeatures) => EmotionFeatures,
  variant: string,
): VariantAccuracy & { correct: boolean[] } {
  let arousal = 0;
  let valence = 0;
  const correct = examples.map((e) => {
    const q = topClass(predictFromFeatures(pick(e), model)) + 1;
    if (highArousal(q) === highArousal(e.quadrant)) arousal++;
    if (highValence(q) === highValence(e.quadrant)) valence++;
    return q === e.quadrant;
  });
  const n = examples.length;
  const right = correct.filter(Boolean).length;
  return { variant, accuracy: right / n, arousalAccuracy: arousal / n, valenceAccuracy: valence / n, correct };
}

/**
 * Σ score / clips with songs resampled (a cluster bootstrap): each resample draws songs, with all their clips.
 * A score of 1 per right clip gives the accuracy; variant minus unmodified (-1, 0, 1) the paired change.
 */
function songBootstrap(songIds: readonly string[], score: readonly number[], confidence = 0.95): Interval {
  const songs = [...new Set(songIds)].sort();
  const index = new Map(songs.map((s, i) => [s, i]));
  const right = new Array<number>(songs.length).fill(0);
  const total = new Array<number>(songs.length).fill(0);
  songIds.forEach((s, i) => {
    total[index.get(s)!]!++;
    right[index.get(s)!]! += score[i]!;
  });
  const statistic = (sample: readonly number[]) => {
    let r = 0;
    let t = 0;
    for (const s of sample) {
      r += right[s]!;
      t += total[s]!;
    }
    return r / t;
  };
  return bootstrapInterval(
    songs.map((_, i) => i),
    statistic,
    { seed: DEFAULT_BOOTSTRAP_SEED, resamples: 2000, confidence },
  );
}

/** Scores a model on labelled features (pure; used by the CLI, the tests and the validation report). */
export function evaluateOnExamples(
  examples: readonly LabelledFeatures[],
  model: EmotionModel,
  split = 'examples',
): ClassifierEvaluation {
  const confusion = [0, 1, 2, 3].map(() => [0, 0, 0, 0]);
  const probabilities = examples.map((e) => predictFromFeatures(e.features, model));
  const correct: boolean[] = [];
  let arousal = 0;
  let valence = 0;
  examples.forEach((e, i) => {
    const k = topClass(probabilities[i]!);
    confusion[e.quadrant - 1]![k]!++;
    correct.push(k + 1 === e.quadrant);
    if (highArousal(k + 1) === highArousal(e.quadrant)) arousal++;
    if (highValence(k + 1) === highValence(e.quadrant)) valence++;
  });
  const n = examples.length;
  const right = correct.filter(Boolean).length;
  const reliability = calibration(
    probabilities,
    examples.map((e) => e.quadrant - 1),
  );
  const variantNames = ROBUSTNESS_VARIANTS.filter(
    (v) => v !== UNMODIFIED && examples.length > 0 && examples.every((e) => e.variants?.[v.name]),
  ).map((v) => v.name);
  const songKeys = examples.map(songKeyOf);
  const songIds = songKeys.map((k) => k.songId);
  const robustness: VariantAccuracy[] = [];
  if (variantNames.length > 0) {
    const { correct: base, ...unmodified } = accuracies(examples, model, (e) => e.features, UNMODIFIED.name);
    robustness.push(unmodified);
    const level = 1 - (1 - ROBUSTNESS_JOINT_CONFIDENCE) / variantNames.length;
    for (const v of variantNames) {
      const { correct: moved, ...figures } = accuracies(examples, model, (e) => e.variants![v]!, v);
      const change = songBootstrap(
        songIds,
        moved.map((m, i) => Number(m) - Number(base[i])),
        level,
      );
      robustness.push({ ...figures, change });
    }
  }
  return {
    split,
    examples: n,
    accuracy: right / n,
    arousalAccuracy: arousal / n,
    valenceAccuracy: valence / n,
    confusion,
    recall: confusion.map(
      (row, q) =>
        row[q]! /
        Math.max(
          1,
          row.reduce((a, b) => a + b, 0),
        ),
    ),
    accuracyWilson: wilsonInterval(right, n),
    accuracySongBootstrap: songBootstrap(songIds, correct.map(Number)),
    arousalWilson: wilsonInterval(arousal, n),
    valenceWilson: wilsonInterval(valence, n),
    calibration: reliability,
    calibrationNull: calibrationNull(probabilities, reliability.ece, { seed: DEFAULT_BOOTSTRAP_SEED }),
    robustness,
    trainingOverlap: trainingOverlap(songKeys, correct, model),
  };
}

const pct = (v: number) => `${(100 * v).toFixed(1)}%`;
const ci = (i: Interval) => `${pct(i.estimate)} [${pct(i.lower)}, ${pct(i.upper)}]`;
const share = (v: number) => `${Math.round(100 * v)}%`;

/**
 * Whether the evaluated clips are new music to the model, in words (EVALUATION.md and docs/validation.md): a
 * split that shares songs with training is named as such, with the accuracy on its other clips.
 */
export function heldOutSentence(e: ClassifierEvaluation): string {
  const o = e.trainingOverlap;
  if (!o.known) return 'song-disjointness from training not checked: the model does not record its training songs';
  const songs = e.accuracySongBootstrap.n;
  if (o.clips === 0)
    return o.comparable
      ? `song-disjoint from training: none of its ${songs} songs is among the ${o.trainingSongs} songs the model was trained on`
      : `song-disjointness from training not established: no clip matches a training song, but ${incomparableReason(o)}`;
  const rest = o.disjoint ? unseenSongsAccuracy(o.disjoint) : 'none of its clips is new music to the model';
  return `**not song-disjoint from training**: ${o.clips} of its ${e.examples} clips (${o.songs} of ${songs} songs) come from songs the model was trained on, so the figures below overstate accuracy on new music; ${rest}`;
}

/** The accuracy on the clips from unseen songs: Wilson, and resampling songs when there are two or more. */
function unseenSongsAccuracy(d: NonNullable<Extract<TrainingOverlap, { known: true }>['disjoint']>): string {
  const overSongs =
    d.songs > 1
      ? `, [${pct(d.accuracySongBootstrap.lower)}, ${pct(d.accuracySongBootstrap.upper)}] resampling its songs`
      : ', one song: no interval over songs';
  return `on its other ${d.clips} clips (${d.songs} ${d.songs === 1 ? 'song' : 'songs'}) the 4-quadrant accuracy is ${ci(d.accuracy)} (Wilson)${overSongs}`;
}

/**
 * One line for the command's stderr when the evaluated clips share songs with training, or when that cannot be
 * told (else undefined).
 */
export function trainingOverlapWarning(e: ClassifierEvaluation): string | undefined {
  const o = e.trainingOverlap;
  if (!o.known) return undefined;
  if (o.clips > 0)
    return `${o.clips} of ${e.examples} clips of split "${e.split}" come from songs the classifier was trained on: its figures overstate accuracy on new music (evaluate a split that shares no song with training)`;
  if (!o.comparable)
    return `split "${e.split}" is not shown to be new music to the classifier: ${incomparableReason(o)} (give labels.csv a song_id column)`;
  return undefined;
}

/** The ECE's reference in the figures table: its median and range under perfect calibration, and the p-value. */
function calibrationNullCell(r: CalibrationNull): string {
  return `${r.median.toFixed(3)} [${r.lower.toFixed(3)}, ${r.upper.toFixed(3)}]; at least the observed ECE in ${share(r.atLeastObserved)} of ${r.draws.toLocaleString('en-US')} draws, at most ${r.target} in ${share(r.atMostTarget)}`;
}

const points = (v: number) => (100 * v).toFixed(1);

/** The robustness table: each variant's accuracies and its change from the unmodified clips, with its interval. */
function robustnessMarkdown(robustness: readonly VariantAccuracy[]): string[] {
  const changes = robustness.flatMap((r) => (r.change ? [r.change] : []));
  const level = changes[0]?.confidence ?? ROBUSTNESS_JOINT_CONFIDENCE;
  const worst = Math.min(...changes.map((c) => c.lower));
  return [
    'Robustness: the same clips as generated music writes them (every note at one velocity; starts and',
    "durations on EMOPIA's Compound-Word grid: 480 ticks a beat, 16 positions a bar, durations capped at a bar).",
    '',
    '| variant | 4-quadrant | change, points [interval] | arousal | valence |',
    '| --- | --- | --- | --- | --- |',
    ...robustness.map(
      (r) =>
        `| ${r.variant} | ${pct(r.accuracy)} | ${r.change ? `${points(r.change.estimate)} [${points(r.change.lower)}, ${points(r.change.upper)}]` : '–'} | ${pct(r.arousalAccuracy)} | ${pct(r.valenceAccuracy)} |`,
    ),
    '',
    `Each change is paired (the same clips, unmodified and transformed) with a song-bootstrap interval at ${pct(level)}, so that the ${changes.length} intervals hold together at ${pct(ROBUSTNESS_JOINT_CONFIDENCE)} (Bonferroni). ${worst < 0 ? `The largest drop they allow is ${points(-worst)} points.` : 'None of them allows a drop.'}`,
    '',
  ];
}

/**
 * The split behind the two github.com/wazenmai figures (its dataset/split/*.csv at commit 99f6711): the clips
 * were dealt at random, not by song, and the accuracy logged as "val_acc" is that of its test split.
 */
const WAZENMAI_SPLIT =
  'github.com/wazenmai/MIDI_Emotion_Classification (its 106-clip test split; clips dealt at random, not by song: 90 of the 106 come from songs with clips in its train split, 97 counting its val split)';

/** Published 4-quadrant accuracies on EMOPIA, for comparison (each on its authors' own split). */
export const PUBLISHED_ANCHORS: ReadonlyArray<{ model: string; accuracy: number; source: string }> = [
  {
    model: 'logistic regression on MIDI features',
    accuracy: 0.581,
    source: 'Hung et al., EMOPIA, ISMIR 2021 (symbolic, test split)',
  },
  {
    model: '27-feature logistic regression',
    accuracy: 0.66,
    source: WAZENMAI_SPLIT,
  },
  {
    model: 'MidiBERT-Piano, CP tokens',
    accuracy: 0.679,
    source: 'Chou et al., MidiBERT-Piano, arXiv:2107.05223 (EMOPIA task)',
  },
  {
    model: 'LSTM-Attn on MIDI tokens',
    accuracy: 0.684,
    source: 'Hung et al., EMOPIA, ISMIR 2021 (symbolic, test split)',
  },
  {
    model: 'self-attention on REMI tokens with key',
    accuracy: 0.743,
    source: WAZENMAI_SPLIT,
  },
];

/**
 * The figures of an evaluation as Markdown: accuracy with intervals, per-quadrant recall, the confusion
 * matrix, calibration, robustness and the published anchors. One writer for EVALUATION.md and
 * docs/validation.md.
 */
export function evaluationFiguresMarkdown(e: ClassifierEvaluation): string[] {
  const right = e.confusion.reduce((a, row, i) => a + row[i]!, 0);
  const lines = [
    '| measure | value [95% interval] |',
    '| --- | --- |',
    `| 4-quadrant accuracy, Wilson | ${ci(e.accuracyWilson)} (${right}/${e.examples}); chance 25% |`,
    `| 4-quadrant accuracy, song bootstrap | ${ci(e.accuracySongBootstrap)} (${e.accuracySongBootstrap.n} songs resampled) |`,
    `| arousal accuracy (Q1/Q2 vs Q3/Q4), Wilson | ${ci(e.arousalWilson)} |`,
    `| valence accuracy (Q1/Q4 vs Q2/Q3), Wilson | ${ci(e.valenceWilson)} |`,
    `| expected calibration error (10 bins, top class) | ${e.calibration.ece.toFixed(3)} |`,
    `| the same for a perfectly calibrated model with these probabilities (reference) | ${calibrationNullCell(e.calibrationNull)} |`,
    '',
    `Per-quadrant recall: ${e.recall.map((r, q) => `Q${q + 1} ${pct(r)}`).join(', ')}.`,
    '',
    `ECE is biased upwards on a small set: each bin's accuracy is a proportion over a few dozen clips. The reference row draws each prediction right with exactly its top-class probability (a perfectly calibrated model with this model's confidences, ${e.examples} clips, seeded draws): an observed ECE inside its range is no evidence of miscalibration.`,
    '',
    ...confusionMarkdown(e.confusion),
    '',
    'Calibration (top-class probability bins with predictions):',
    '',
    '| bin | clips | mean probability | accuracy |',
    '| --- | --- | --- | --- |',
    ...e.calibration.bins
      .filter((b) => b.count > 0)
      .map(
        (b) =>
          `| ${b.lo.toFixed(1)}–${b.hi.toFixed(1)} | ${b.count} | ${b.confidence.toFixed(3)} | ${b.accuracy.toFixed(3)} |`,
      ),
    '',
  ];
  if (e.robustness.length) lines.push(...robustnessMarkdown(e.robustness));
  lines.push(
    'Published 4-quadrant accuracies on EMOPIA (different splits and test sets: a guide, not a ranking; a split that keeps clips of one song on both sides lets a model recognise the song, so its figure is not one of accuracy on new music):',
    '',
    '| model | accuracy | source |',
    '| --- | --- | --- |',
    ...PUBLISHED_ANCHORS.map((a) => `| ${a.model} | ${a.accuracy.toFixed(3)} | ${a.source} |`),
    '',
  );
  return lines;
}

function modelLine(model: EmotionModel): string {
  const t = model.training;
  const h = t.hyperparameters ?? {};
  const trees = (m: { trees: { trees: unknown[] } }) =>
    `gradient-boosted trees over the 4 quadrants (${m.trees.trees.length} rounds, depth ${h.maxDepth}, learning rate ${h.learningRate}, lambda ${h.lambda})`;
  const axisTrees = (m: { arousal: { trees: { trees: unknown[] } } }) =>
    `gradient-boosted trees (${m.arousal.trees.trees.length} rounds, depth ${h.maxDepth}, learning rate ${h.learningRate}, lambda ${h.lambda})`;
  const learner =
    model.kind === 'ensemble'
      ? `an ensemble averaging the logits of ${trees(model)} (weight ${1 - model.mix}) and a softmax regression (L2 ${t.l2}, weight ${model.mix})`
      : model.kind === 'axes-ensemble'
        ? `two ensembles, one per axis (high vs low arousal, high vs low valence; P(Q1) = P(high arousal) × P(high valence), and so on), each averaging the logits of ${axisTrees(model)} (weight ${1 - model.mix}) and a logistic regression (L2 ${t.l2}, weight ${model.mix}),`
        : model.kind === 'boosted-trees'
          ? trees(model)
          : `\`${model.kind}\` logistic regression (L2 ${t.l2})`;
  return `Model: ${learner} on ${model.features.length} MIDI features, temperature ${model.temperature.toFixed(3)}, trained on ${t.examples} clips (${t.data}) and their copies: ${(t.augmentations ?? []).join(', ') || 'none'}.`;
}

/** The features with their training range, and the regression weights when the model has them. */
function featureTable(model: EmotionModel): string[] {
  const w = (v: number) => (v >= 0 ? '+' : '') + v.toFixed(2);
  const range = (name: string) => {
    const r = model.feature_ranges[name];
    return r ? `${Number(r[0].toPrecision(3))} … ${Number(r[1].toPrecision(3))}` : '–';
  };
  const weightHeads =
    model.kind === 'arousal-valence' || model.kind === 'axes-ensemble'
      ? ['arousal weight', 'valence weight']
      : model.kind === 'boosted-trees'
        ? []
        : ['Q1', 'Q2', 'Q3', 'Q4'];
  const header = [
    `| feature | what it measures | training range |${weightHeads.map((x) => ` ${x} |`).join('')}`,
    `| --- | --- | --- |${weightHeads.map(() => ' --- |').join('')}`,
  ];
  const rows = model.features.map((f, j) => {
    const name = f.transform === 'log' ? `log ${f.name}` : f.name;
    // An axis regression's two rows (low, high) differ by its logistic weight.
    const axisWeight = (a: AxisEnsemble) => a.head.weights[1]![j]! - a.head.weights[0]![j]!;
    const weights =
      model.kind === 'arousal-valence'
        ? [model.arousal.weights[j]!, model.valence.weights[j]!]
        : model.kind === 'axes-ensemble'
          ? [axisWeight(model.arousal), axisWeight(model.valence)]
          : model.kind === 'boosted-trees'
            ? []
            : model.quadrant.weights.map((row) => row[j]!);
    return `| ${name} | ${FEATURE_DOCS[f.name]} | ${range(f.name)} |${weights.map((v) => ` ${w(v)} |`).join('')}`;
  });
  const note = weightHeads.length
    ? 'Features (regression weights apply to features standardised with the training mean and deviation):'
    : 'Features:';
  return [note, '', ...header, ...rows, '', ...unusedNote(model)];
}

function unusedNote(model: EmotionModel): string[] {
  const unused = FEATURE_NAMES.filter((n) => !model.features.some((f) => f.name === n));
  return unused.length
    ? [
        `Also computed (in \`classify --json\`) but not used by this model: ${unused.join(', ')} (EMOPIA's clips are transcriptions written at a fixed 120 BPM, so their beats carry no information).`,
        '',
      ]
    : [];
}

/** Song-grouped cross-validation figures on the training split (how the model was chosen). */
export interface CrossValidationSummary {
  label: string;
  accuracy: number;
  arousalAccuracy: number;
  valenceAccuracy: number;
  /** Worst accuracy over the robustness-style variants of the training clips. */
  worstVariant?: { variant: string; accuracy: number };
}

/** Held-out accuracies of a cross-validation run (argmax of the held-out logits). */
export function summarizeCrossValidation(label: string, cv: CrossValidation): CrossValidationSummary {
  const score = (rows: readonly (readonly number[])[]): VariantAccuracy => {
    let right = 0;
    let arousal = 0;
    let valence = 0;
    rows.forEach((z, i) => {
      const q = topClass(z) + 1;
      const t = cv.labels[i]! + 1;
      if (q === t) right++;
      if (highArousal(q) === highArousal(t)) arousal++;
      if (highValence(q) === highValence(t)) valence++;
    });
    const n = rows.length;
    return { variant: label, accuracy: right / n, arousalAccuracy: arousal / n, valenceAccuracy: valence / n };
  };
  const main = score(cv.logits);
  let worstVariant: CrossValidationSummary['worstVariant'];
  for (const [variant, rows] of Object.entries(cv.variantLogits)) {
    const a = score(rows).accuracy;
    if (!worstVariant || a < worstVariant.accuracy) worstVariant = { variant, accuracy: a };
  }
  return {
    label,
    accuracy: main.accuracy,
    arousalAccuracy: main.arousalAccuracy,
    valenceAccuracy: main.valenceAccuracy,
    ...(worstVariant ? { worstVariant } : {}),
  };
}

/** Markdown with the figures and the confusion matrix, for EVALUATION.md. */
export function evaluationMarkdown(
  e: ClassifierEvaluation,
  model: EmotionModel,
  command: string,
  selection: readonly CrossValidationSummary[] = [],
): string {
  const lines = [
    '# Built-in emotion classifier: evaluation',
    '',
    '<!-- Generated by `emotune train-classifier --report`; do not edit by hand. -->',
    '',
    modelLine(model),
    `Evaluated on the ${e.split} split (${e.examples} clips; ${heldOutSentence(e)}). Features, model family and settings were chosen by cross-validation on the training split (table below), not on this one.`,
    '',
    ...evaluationFiguresMarkdown(e),
  ];
  if (selection.length) {
    lines.push(
      "How the model was chosen: song-grouped 5-fold cross-validation on the train split only (a song's clips",
      'stay in one fold; augmented copies of a held-out clip are never trained on). Held-out accuracies:',
      '',
      '| candidate | 4-quadrant | arousal | valence | worst velocity/grid variant |',
      '| --- | --- | --- | --- | --- |',
      ...selection.map(
        (s) =>
          `| ${s.label} | ${pct(s.accuracy)} | ${pct(s.arousalAccuracy)} | ${pct(s.valenceAccuracy)} | ${s.worstVariant ? `${pct(s.worstVariant.accuracy)} (${s.worstVariant.variant})` : '–'} |`,
      ),
      '',
      'The temperature is fitted on the same held-out predictions of the chosen model (never on val).',
      '',
    );
  }
  lines.push(
    'Reproduce (retrains the committed model byte-identically, then evaluates it; `emotune` is',
    '`node kernel-lib/dist/cli/main.js` after `npm run build`, and `--data` an EMOPIA folder whose',
    '`labels.csv` has `split` and `song_id` columns):',
    '',
    '```',
    command,
    '```',
    '',
    ...featureTable(model),
    'Data: EMOPIA 1.0, Hung, Ching, Doh, Kim, Nam, Yang, "EMOPIA: A Multi-Modal Pop Piano Dataset for Emotion',
    'Recognition and Emotion-based Music Generation", ISMIR 2021; CC BY 4.0.',
    '',
  );
  return lines.join('\n');
}

/** Marks the start of hand-written notes at the end of EVALUATION.md (e.g. models tried and not shipped). */
export const KEPT_NOTES_MARKER =
  '<!-- Hand-written notes below: kept as they are by `emotune train-classifier --report`. -->';

/**
 * A regenerated report with the previous report's hand-written notes (from KEPT_NOTES_MARKER to the end)
 * appended unchanged, so rewriting the figures does not delete the record of what else was tried.
 */
export function withKeptNotes(generated: string, previous: string | undefined): string {
  const at = previous?.indexOf(KEPT_NOTES_MARKER) ?? -1;
  return at < 0 ? generated : `${generated}\n${previous!.slice(at)}`;
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

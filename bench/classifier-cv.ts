// Model selection for the built-in emotion classifier: song-grouped 5-fold cross-validation on the TRAIN split
// only (val is never read here). Each candidate is a set of train options (features, learner, settings); the
// table shows held-out 4-quadrant, arousal and valence accuracy and the worst augmented copy.
//
//   nice -n 10 npx tsx bench/classifier-cv.ts --data <EMOPIA folder> [--only 'name;name'] [--cache file.json]
//     [--deals 2] [--transpose]
//
// --cache keeps the train features (with their augmented copies) in a JSON file between runs; delete it after
// changing features.ts, and use another file with --transpose (which needs more copies).
// --transpose: also extracts the issue's robustness variants and transposed copies (±1..±5 semitones), adds the
// candidates trained with transposed copies, and takes the worst copy over the velocity/grid variants only.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import {
  crossValidate,
  DEFAULT_MODEL_FEATURES,
  ROBUSTNESS_VARIANTS,
  TRAIN_AUGMENTATIONS,
  summarizeCrossValidation,
  transposedVariant,
  type ClassifierTrainOptions,
  type FeatureName,
  type LabelledFeatures,
  type ScoreVariant,
} from '../kernel-lib/src/metrics/emotion-builtin/index.js';
import { loadTrainingExamples } from '../kernel-lib/src/metrics/edge/classifier-training.js';
import { loadSplitFeatures } from '../kernel-lib/src/metrics/edge/emopia-dataset.js';
import { textArg as option } from './lib/measure.js';

const data = option('data');
if (!data) throw new Error('--data <EMOPIA folder> is required');
const cache = option('cache');
const only = option('only')?.split(';');
const transpose = process.argv.includes('--transpose');

/** The 52 features of the version-2 model, before the key, register, rhythm and texture features. */
const FEATURES_V2: readonly FeatureName[] = DEFAULT_MODEL_FEATURES.slice(0, 52);
/** v2 plus the key, register and rhythm features (without onset span, octaves, bass attacks, repeats). */
const FEATURES_V3: readonly FeatureName[] = DEFAULT_MODEL_FEATURES.slice(0, 69);
const ALL: readonly FeatureName[] = DEFAULT_MODEL_FEATURES;
const NO_VELOCITY = ALL.filter((n) => !n.startsWith('velocity_'));
const ENSEMBLE = { kind: 'ensemble' } as const;
const AXES = { kind: 'axes-ensemble' } as const;

/** Candidates; the shipped defaults (DEFAULT_GBT, DEFAULT_L2, ENSEMBLE_MIX) unless a setting is named. */
const candidates: Record<string, ClassifierTrainOptions> = {
  'v2 features, ensemble, depth 3 x 150': { ...ENSEMBLE, features: FEATURES_V2, gbt: { maxDepth: 3, rounds: 150 } },
  'v3 features, axes-ensemble': { ...AXES, features: FEATURES_V3 },
  'axes-ensemble (shipped)': { ...AXES, features: ALL },
  'axes-ensemble, no velocity': { ...AXES, features: NO_VELOCITY },
  'axes-ensemble, depth 3 x 150': { ...AXES, features: ALL, gbt: { maxDepth: 3, rounds: 150 } },
  'axes-ensemble, depth 4 x 150': { ...AXES, features: ALL, gbt: { maxDepth: 4, rounds: 150 } },
  'axes-ensemble, mix 0.3': { ...AXES, features: ALL, mix: 0.3 },
  'axes-ensemble, l2 0.03': { ...AXES, features: ALL, l2: 0.03 },
  'ensemble, depth 3 x 150': { ...ENSEMBLE, features: ALL, gbt: { maxDepth: 3, rounds: 150 } },
  'ensemble, depth 4 x 150': { ...ENSEMBLE, features: ALL, gbt: { maxDepth: 4, rounds: 150 } },
  'ensemble, depth 4 x 300 lr 0.03': {
    ...ENSEMBLE,
    features: ALL,
    gbt: { maxDepth: 4, rounds: 300, learningRate: 0.03 },
  },
  'boosted-trees': { kind: 'boosted-trees', features: ALL },
  multinomial: { kind: 'multinomial', features: ALL },
  'arousal-valence': { kind: 'arousal-valence', features: ALL },
};

/** Transposed copies (semitones) of every training clip, learnt from beside the shipped augmentations. */
const TRANSPOSITIONS = [-5, -4, -3, -2, -1, 1, 2, 3, 4, 5];
const withTranspositions = (steps: readonly number[]): ClassifierTrainOptions => ({
  ...AXES,
  features: ALL,
  augmentations: [...TRAIN_AUGMENTATIONS.map((a) => a.name), ...steps.map((t) => transposedVariant(t).name)],
});
if (transpose) {
  candidates['axes-ensemble + transpose ±2'] = withTranspositions([-2, 2]);
  candidates['axes-ensemble + transpose ±1, ±3'] = withTranspositions([-3, -1, 1, 3]);
  candidates['axes-ensemble + transpose ±1, ±3, ±5'] = withTranspositions([-5, -3, -1, 1, 3, 5]);
}
const isTransposition = (variant: string) => variant.startsWith('transpose ');

let examples: LabelledFeatures[];
if (cache && existsSync(cache)) examples = JSON.parse(readFileSync(cache, 'utf8')) as LabelledFeatures[];
else {
  const t0 = performance.now();
  const byName = new Map<string, ScoreVariant>();
  for (const v of [...TRAIN_AUGMENTATIONS, ...ROBUSTNESS_VARIANTS.slice(1), ...TRANSPOSITIONS.map(transposedVariant)])
    byName.set(v.name, v);
  examples = transpose
    ? await loadSplitFeatures(data, 'train', undefined, [...byName.values()])
    : await loadTrainingExamples(data, 'train');
  console.log(
    `features of ${examples.length} train clips (+ copies) in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
  if (cache) writeFileSync(cache, JSON.stringify(examples));
}

// --deals 2: a second song-grouped deal of the folds (song ids reversed before sorting), averaged with the first,
// so a one-point difference is less likely to be the luck of one deal.
const deals = Number(option('deals') ?? 1);
const reversedIds = examples.map((e) => ({ ...e, songId: [...(e.songId ?? e.file)].reverse().join('') }));

const pct = (v: number) => `${(100 * v).toFixed(1)}%`;
console.log('| candidate | 4-quadrant | arousal | valence | worst copy | s |');
console.log('| --- | --- | --- | --- | --- | --- |');
for (const [name, options] of Object.entries(candidates)) {
  if (only && !only.includes(name)) continue;
  const t0 = performance.now();
  const cvs = [examples, reversedIds].slice(0, deals).map((ex) => crossValidate(ex, options));
  const runs = cvs.map((cv) => summarizeCrossValidation(name, cv));
  const avg = (f: (r: (typeof runs)[number]) => number) => runs.reduce((t, r) => t + f(r), 0) / runs.length;
  // Each velocity/grid copy's accuracy averaged over the deals, then the worst (transposed copies are not a
  // robustness test: they are what some candidates train on).
  const copies = Object.keys(cvs[0]!.variantLogits).filter((v) => !isTransposition(v));
  const perCopy = copies.map((variant) => {
    const one = (cv: (typeof cvs)[number]) =>
      summarizeCrossValidation(name, { ...cv, logits: cv.variantLogits[variant]!, variantLogits: {} }).accuracy;
    return { variant, accuracy: cvs.reduce((t, cv) => t + one(cv), 0) / cvs.length };
  });
  const worstVariant = perCopy.reduce<(typeof perCopy)[number] | undefined>(
    (w, c) => (!w || c.accuracy < w.accuracy ? c : w),
    undefined,
  );
  const s = {
    accuracy: avg((r) => r.accuracy),
    arousalAccuracy: avg((r) => r.arousalAccuracy),
    valenceAccuracy: avg((r) => r.valenceAccuracy),
    worstVariant,
  };
  if (runs.length > 1) console.log(`  deals: ${runs.map((r) => pct(r.accuracy)).join(', ')}`);
  if (transpose) console.log(`  copies: ${perCopy.map((c) => `${c.variant} ${pct(c.accuracy)}`).join(', ')}`);
  const worst = s.worstVariant ? `${pct(s.worstVariant.accuracy)} (${s.worstVariant.variant})` : '–';
  const secs = ((performance.now() - t0) / 1000).toFixed(0);
  console.log(
    `| ${name} | ${pct(s.accuracy)} | ${pct(s.arousalAccuracy)} | ${pct(s.valenceAccuracy)} | ${worst} | ${secs} |`,
  );
}

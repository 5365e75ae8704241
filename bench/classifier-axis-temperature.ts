// Calibration of the built-in classifier's recipe with one temperature (shipped) against one per axis (arousal,
// valence), judged on the EMOPIA train split alone: song-grouped 5-fold cross-validation gives held-out logits,
// and each fold's temperatures are fitted on the other folds' held-out logits, so no clip's temperatures were
// fitted on its own prediction (not fully nested: those logits come from models that trained on this fold, alike
// for both arms). Val is not read. Nothing here changes the shipped model.
//
//   npx tsx bench/classifier-axis-temperature.ts --data <EMOPIA folder>
import { resolve } from 'node:path';
import { loadTrainingExamples } from '../kernel-lib/src/metrics/edge/classifier-training.js';
import { calibration, fitTemperature } from '../kernel-lib/src/metrics/emotion-builtin/calibration.js';
import { crossValidate } from '../kernel-lib/src/metrics/emotion-builtin/train.js';
import { textArg } from './lib/measure.js';

const dataArg = textArg('data');
if (!dataArg) {
  console.error('usage: npx tsx bench/classifier-axis-temperature.ts --data <EMOPIA folder>');
  process.exit(2);
}
const examples = await loadTrainingExamples(resolve(dataArg), 'train');
const cv = crossValidate(examples);
const { fold } = cv;

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
/**
 * Quadrant probabilities from the axes model's quadrant logits [aH+vH, aH+vL, aL+vL, aL+vH] (axis
 * log-probabilities): each axis's log-odds divided by its own temperature. Equal temperatures give exactly the
 * shipped softmax(logits / T).
 */
function probabilities(l: readonly number[], ta: number, tv: number): number[] {
  const a = sigmoid((l[0]! - l[3]!) / ta);
  const v = sigmoid((l[0]! - l[1]!) / tv);
  return [a * v, a * (1 - v), (1 - a) * (1 - v), (1 - a) * v];
}
const logLoss = (rows: readonly number[][], labels: readonly number[]) =>
  rows.reduce((s, p, i) => s - Math.log(Math.max(p[labels[i]!]!, 1e-300)), 0) / rows.length;

/** Both temperatures minimising log-loss, on a grid of log T (steps of 1/40 from e^-1 to e^1.5). */
function fitPerAxis(rows: readonly number[][], labels: readonly number[]): [number, number] {
  let best: [number, number] = [1, 1];
  let bestLoss = Infinity;
  for (let i = -40; i <= 60; i++)
    for (let j = -40; j <= 60; j++) {
      const t: [number, number] = [Math.exp(i / 40), Math.exp(j / 40)];
      const loss = logLoss(
        rows.map((l) => probabilities(l, t[0], t[1])),
        labels,
      );
      if (loss < bestLoss) [bestLoss, best] = [loss, t];
    }
  return best;
}

const one: number[][] = [];
const perAxis: number[][] = [];
for (let k = 0; k < cv.folds; k++) {
  const rows = cv.logits.filter((_, i) => fold[i] !== k);
  const labels = cv.labels.filter((_, i) => fold[i] !== k);
  const t = fitTemperature(rows, labels);
  const [ta, tv] = fitPerAxis(rows, labels);
  console.log(
    `fold ${k + 1}: one temperature ${t.toFixed(3)}; per axis arousal ${ta.toFixed(3)}, valence ${tv.toFixed(3)}`,
  );
  cv.logits.forEach((l, i) => {
    if (fold[i] !== k) return;
    one[i] = probabilities(l, t, t);
    perAxis[i] = probabilities(l, ta, tv);
  });
}
const all = fitPerAxis(cv.logits, cv.labels);
console.log(
  `fitted on all held-out logits: one temperature ${fitTemperature(cv.logits, cv.labels).toFixed(3)}; per axis ${all.map((t) => t.toFixed(3)).join(', ')}`,
);
console.log('| temperatures | held-out ECE (10 bins, top class) | held-out log-loss |');
console.log('| --- | --- | --- |');
for (const [name, rows] of [
  ['none', cv.logits.map((l) => probabilities(l, 1, 1))],
  ['one (shipped)', one],
  ['one per axis', perAxis],
] as const)
  console.log(`| ${name} | ${calibration(rows, cv.labels).ece.toFixed(4)} | ${logLoss(rows, cv.labels).toFixed(4)} |`);

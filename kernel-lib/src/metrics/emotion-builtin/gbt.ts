import { softmax } from './softmax-regression.js';

/**
 * Gradient-boosted decision trees for a K-class softmax (Friedman 2001, with the second-order leaf values
 * and split gain of XGBoost, Chen & Guestrin 2016). Histogram splits on at most `maxBins` quantile
 * thresholds per feature, no random sampling: the same rows in the same order always give the same trees.
 */

export interface GbtOptions {
  rounds: number;
  learningRate: number;
  maxDepth: number;
  /** L2 penalty on leaf values (XGBoost's lambda). */
  lambda: number;
  /** Smallest summed hessian a child may have (XGBoost's min_child_weight). */
  minChildWeight: number;
  /** Quantile thresholds per feature. */
  maxBins: number;
}

/** One regression tree, flat: node i is a leaf when feature[i] < 0; else x[feature] <= threshold goes left. */
export interface Tree {
  feature: number[];
  threshold: number[];
  left: number[];
  right: number[];
  value: number[];
}

/** trees[round][class]; score_k = base_k + Σ trees[r][k](x). */
export interface GbtModel {
  classes: number;
  base: number[];
  trees: Tree[][];
}

/** Candidate thresholds of one feature: midpoints between distinct quantiles of its training values. */
function thresholdsOf(values: readonly number[], maxBins: number): number[] {
  const sorted = [...values].sort((a, b) => a - b);
  const cuts: number[] = [];
  for (let b = 1; b < maxBins; b++) {
    const i = Math.floor((b * sorted.length) / maxBins);
    if (i <= 0 || i >= sorted.length) continue;
    const lo = sorted[i - 1]!;
    const hi = sorted[i]!;
    if (hi > lo) {
      const t = (lo + hi) / 2;
      if (cuts.length === 0 || t > cuts[cuts.length - 1]!) cuts.push(t);
    }
  }
  return cuts;
}

/** Bin index of x: the number of thresholds below it (x <= t[i] lies in bin <= i). */
function binOf(cuts: readonly number[], x: number): number {
  let lo = 0;
  let hi = cuts.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (x <= cuts[mid]!) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

export function treeValue(t: Tree, x: readonly number[]): number {
  let i = 0;
  while (t.feature[i]! >= 0) i = x[t.feature[i]!]! <= t.threshold[i]! ? t.left[i]! : t.right[i]!;
  return t.value[i]!;
}

/** Raw class scores (logits) of one example. */
export function gbtScores(model: GbtModel, x: readonly number[]): number[] {
  const s = [...model.base];
  for (const round of model.trees) for (let k = 0; k < model.classes; k++) s[k]! += treeValue(round[k]!, x);
  return s;
}

/**
 * Fits the model. `weights` (default 1) weigh examples, e.g. to count an augmented copy less than the
 * original. Classes are 0..classes-1.
 */
export function trainGbt(
  X: readonly (readonly number[])[],
  y: readonly number[],
  classes: number,
  options: GbtOptions,
  weights?: readonly number[],
): GbtModel {
  const n = X.length;
  const d = n ? X[0]!.length : 0;
  const w = weights ?? new Array<number>(n).fill(1);
  const cuts: number[][] = [];
  const bins: Uint16Array[] = [];
  for (let j = 0; j < d; j++) {
    const col = X.map((r) => r[j]!);
    const c = thresholdsOf(col, options.maxBins);
    cuts.push(c);
    bins.push(Uint16Array.from(col, (v) => binOf(c, v)));
  }
  // Base scores: log class priors (weighted), centred.
  const prior = new Array<number>(classes).fill(0);
  let wsum = 0;
  for (let i = 0; i < n; i++) {
    prior[y[i]!]! += w[i]!;
    wsum += w[i]!;
  }
  const logs = prior.map((p) => Math.log(Math.max(p / wsum, 1e-12)));
  const centre = logs.reduce((a, b) => a + b, 0) / classes;
  const base = logs.map((l) => l - centre);
  const F = Array.from({ length: n }, () => [...base]);
  const trees: Tree[][] = [];
  const g = new Float64Array(n);
  const h = new Float64Array(n);
  const all = Int32Array.from({ length: n }, (_, i) => i);
  for (let r = 0; r < options.rounds; r++) {
    const probs = F.map((f) => softmax(f));
    const round: Tree[] = [];
    for (let k = 0; k < classes; k++) {
      for (let i = 0; i < n; i++) {
        const p = probs[i]![k]!;
        g[i] = w[i]! * (p - (y[i] === k ? 1 : 0));
        h[i] = w[i]! * Math.max(p * (1 - p), 1e-6);
      }
      const tree = growTree(all, g, h, bins, cuts, options);
      for (let i = 0; i < n; i++) F[i]![k]! += treeValue(tree, X[i]!);
      round.push(tree);
    }
    trees.push(round);
  }
  return { classes, base, trees };
}

function growTree(
  rows: Int32Array,
  g: Float64Array,
  h: Float64Array,
  bins: readonly Uint16Array[],
  cuts: readonly number[][],
  o: GbtOptions,
): Tree {
  const t: Tree = { feature: [], threshold: [], left: [], right: [], value: [] };
  const leafValue = (G: number, H: number) => (-G / (H + o.lambda)) * o.learningRate;
  const grow = (idx: Int32Array, depth: number): number => {
    const node = t.feature.length;
    let G = 0;
    let H = 0;
    for (const i of idx) {
      G += g[i]!;
      H += h[i]!;
    }
    t.feature.push(-1);
    t.threshold.push(0);
    t.left.push(-1);
    t.right.push(-1);
    t.value.push(leafValue(G, H));
    if (depth >= o.maxDepth || H < 2 * o.minChildWeight) return node;
    const parent = (G * G) / (H + o.lambda);
    let bestGain = 1e-9;
    let bestF = -1;
    let bestBin = -1;
    for (let j = 0; j < bins.length; j++) {
      const nb = cuts[j]!.length + 1;
      if (nb < 2) continue;
      const hg = new Float64Array(nb);
      const hh = new Float64Array(nb);
      const col = bins[j]!;
      for (const i of idx) {
        const b = col[i]!;
        hg[b]! += g[i]!;
        hh[b]! += h[i]!;
      }
      let GL = 0;
      let HL = 0;
      for (let b = 0; b < nb - 1; b++) {
        GL += hg[b]!;
        HL += hh[b]!;
        const HR = H - HL;
        if (HL < o.minChildWeight || HR < o.minChildWeight) continue;
        const GR = G - GL;
        const gain = (GL * GL) / (HL + o.lambda) + (GR * GR) / (HR + o.lambda) - parent;
        if (gain > bestGain) {
          bestGain = gain;
          bestF = j;
          bestBin = b;
        }
      }
    }
    if (bestF < 0) return node;
    const col = bins[bestF]!;
    const leftIdx = idx.filter((i) => col[i]! <= bestBin);
    const rightIdx = idx.filter((i) => col[i]! > bestBin);
    t.feature[node] = bestF;
    t.threshold[node] = cuts[bestF]![bestBin]!;
    t.left[node] = grow(leftIdx, depth + 1);
    t.right[node] = grow(rightIdx, depth + 1);
    return node;
  };
  grow(rows, 0);
  return t;
}

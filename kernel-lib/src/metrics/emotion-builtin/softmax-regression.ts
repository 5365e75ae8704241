import { minimizeLbfgs } from './lbfgs.js';

/** A fitted multinomial logistic regression: logits = W x + b, one row of W per class. */
export interface SoftmaxWeights {
  /** classes × features. */
  weights: number[][];
  /** One bias per class. */
  bias: number[];
}

export interface SoftmaxTrainOptions {
  /** L2 penalty on the weights (not the biases), per example: loss = mean CE + l2/2 ‖W‖². */
  l2: number;
  /** Per-class example weights (e.g. to balance classes); default all 1. */
  classWeights?: number[];
  maxIterations?: number;
}

/** Softmax of logits, shifted by the max so large logits do not overflow. */
export function softmax(logits: readonly number[]): number[] {
  let max = -Infinity;
  for (const v of logits) max = Math.max(max, v);
  const e = logits.map((v) => Math.exp(v - max));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
}

export function logits(model: SoftmaxWeights, x: readonly number[]): number[] {
  return model.weights.map((row, k) => {
    const bias = model.bias[k];
    if (bias === undefined || x.length < row.length)
      throw new RangeError(`logits: class ${k} needs a bias and ${row.length} features, got ${x.length}`);
    let s = bias;
    for (let j = 0; j < row.length; j++) s += row[j]! * x[j]!;
    return s;
  });
}

/** Rejects inputs the training loop would otherwise turn into NaN weights (ragged rows, unknown labels). */
function checkTrainingData(X: readonly number[][], y: readonly number[], classes: number, cw: readonly number[]): void {
  const d = X[0]?.length ?? 0;
  if (y.length !== X.length) throw new RangeError(`trainSoftmax: ${X.length} rows but ${y.length} labels`);
  if (cw.length !== classes) throw new RangeError(`trainSoftmax: ${cw.length} class weights for ${classes} classes`);
  X.forEach((row, i) => {
    if (row.length !== d) throw new RangeError(`trainSoftmax: row ${i} has ${row.length} features, row 0 has ${d}`);
  });
  y.forEach((label, i) => {
    if (!Number.isInteger(label) || label < 0 || label >= classes)
      throw new RangeError(`trainSoftmax: label ${label} of row ${i} is not a class in 0..${classes - 1}`);
  });
}

/**
 * Full-batch L2-regularised multinomial logistic regression. Starts from zero weights, so the result
 * depends only on the data, its order and the options: training twice gives identical numbers.
 */
export function trainSoftmax(
  X: readonly number[][],
  y: readonly number[],
  classes: number,
  options: SoftmaxTrainOptions,
): SoftmaxWeights {
  const n = X.length;
  const d = X[0]?.length ?? 0;
  const cw = options.classWeights ?? new Array<number>(classes).fill(1);
  checkTrainingData(X, y, classes, cw);
  // From here every row has d features, y has n labels in [0, classes) and cw one weight per class.
  let totalWeight = 0;
  for (const label of y) totalWeight += cw[label]!;
  // Parameter layout: classes*d weights (row-major), then classes biases.
  const objective = (theta: Float64Array) => {
    const grad = new Float64Array(theta.length);
    let loss = 0;
    const z = new Array<number>(classes);
    for (let i = 0; i < n; i++) {
      const xi = X[i]!;
      const yi = y[i]!;
      for (let k = 0; k < classes; k++) {
        let s = theta[classes * d + k]!;
        for (let j = 0; j < d; j++) s += theta[k * d + j]! * xi[j]!;
        z[k] = s;
      }
      const p = softmax(z);
      const w = cw[yi]! / totalWeight;
      loss -= w * Math.log(Math.max(p[yi]!, 1e-300));
      for (let k = 0; k < classes; k++) {
        const r = w * (p[k]! - (k === yi ? 1 : 0));
        for (let j = 0; j < d; j++) grad[k * d + j]! += r * xi[j]!;
        grad[classes * d + k]! += r;
      }
    }
    for (let q = 0; q < classes * d; q++) {
      const t = theta[q]!;
      loss += 0.5 * options.l2 * t * t;
      grad[q]! += options.l2 * t;
    }
    return { value: loss, gradient: grad };
  };
  const result = minimizeLbfgs(objective, new Float64Array(classes * d + classes), {
    maxIterations: options.maxIterations ?? 1000,
    gradientTolerance: 1e-9,
  });
  const weights: number[][] = [];
  for (let k = 0; k < classes; k++) weights.push(Array.from(result.x.subarray(k * d, (k + 1) * d)));
  return { weights, bias: Array.from(result.x.subarray(classes * d)) };
}

/**
 * A small limited-memory BFGS minimiser for smooth convex objectives (the classifier's regularised
 * log-loss). Written here rather than taken from a package so training is a few dozen readable lines,
 * has no dependency, and is deterministic: the same start and data give bit-identical weights.
 */
export interface Objective {
  (x: Float64Array): { value: number; gradient: Float64Array };
}

export interface LbfgsOptions {
  /** Most iterations (default 500). */
  maxIterations?: number;
  /** Stop when the gradient's max-norm falls below this (default 1e-7). */
  gradientTolerance?: number;
  /** Number of correction pairs kept (default 10). */
  memory?: number;
}

export interface LbfgsResult {
  x: Float64Array;
  value: number;
  iterations: number;
  converged: boolean;
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

function maxAbs(a: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]!));
  return m;
}

export function minimizeLbfgs(f: Objective, x0: Float64Array, options: LbfgsOptions = {}): LbfgsResult {
  const maxIter = options.maxIterations ?? 500;
  const tol = options.gradientTolerance ?? 1e-7;
  const m = options.memory ?? 10;
  const n = x0.length;
  let x = Float64Array.from(x0);
  let { value, gradient: g } = f(x);
  const S: Float64Array[] = [];
  const Y: Float64Array[] = [];
  const rho: number[] = [];
  for (let iter = 0; iter < maxIter; iter++) {
    if (maxAbs(g) < tol) return { x, value, iterations: iter, converged: true };
    // Two-loop recursion: d = -H g.
    const q = Float64Array.from(g);
    const alpha: number[] = new Array<number>(S.length);
    // S, Y and rho always hold the same number of pairs, and every vector has length n.
    for (let i = S.length - 1; i >= 0; i--) {
      const yi = Y[i]!;
      const ai = rho[i]! * dot(S[i]!, q);
      alpha[i] = ai;
      for (let j = 0; j < n; j++) q[j]! -= ai * yi[j]!;
    }
    const sLast = S[S.length - 1];
    const yLast = Y[Y.length - 1];
    const gamma = sLast && yLast ? dot(sLast, yLast) / dot(yLast, yLast) : 1 / Math.max(1, maxAbs(g));
    for (let j = 0; j < n; j++) q[j]! *= gamma;
    for (let i = 0; i < S.length; i++) {
      const si = S[i]!;
      const ai = alpha[i]!;
      const beta = rho[i]! * dot(Y[i]!, q);
      for (let j = 0; j < n; j++) q[j]! += si[j]! * (ai - beta);
    }
    const d = q.map((v) => -v);
    let slope = dot(g, d);
    if (!(slope < 0)) {
      // Not a descent direction (numerical trouble): restart from steepest descent.
      S.length = 0;
      Y.length = 0;
      rho.length = 0;
      for (let j = 0; j < n; j++) d[j] = -g[j]!;
      slope = dot(g, d);
    }
    // Backtracking line search with the Armijo condition.
    let step = 1;
    let next = f(x.map((v, j) => v + step * d[j]!));
    let tries = 0;
    while (!(next.value <= value + 1e-4 * step * slope) && tries < 40) {
      step *= 0.5;
      next = f(x.map((v, j) => v + step * d[j]!));
      tries++;
    }
    if (tries === 40) return { x, value, iterations: iter, converged: false };
    const xNew = x.map((v, j) => v + step * d[j]!);
    const s = xNew.map((v, j) => v - x[j]!);
    const y = next.gradient.map((v, j) => v - g[j]!);
    const sy = dot(s, y);
    if (sy > 1e-12) {
      S.push(s);
      Y.push(y);
      rho.push(1 / sy);
      if (S.length > m) {
        S.shift();
        Y.shift();
        rho.shift();
      }
    }
    const improvement = value - next.value;
    x = xNew;
    value = next.value;
    g = next.gradient;
    if (improvement >= 0 && improvement < 1e-14 * Math.max(1, Math.abs(value))) {
      return { x, value, iterations: iter + 1, converged: true };
    }
  }
  return { x, value, iterations: maxIter, converged: maxAbs(g) < tol };
}

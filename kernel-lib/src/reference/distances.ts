import { EigenvalueDecomposition, Matrix } from 'ml-matrix';

/*
 * Distribution distances between a set of generated songs and real music (pure functions).
 *
 * - Frechet distance between Gaussians fitted to two sets of feature vectors (as FID, Heusel et al. 2017,
 *   and FMD for music): |mu_a - mu_b|^2 + tr(S_a + S_b - 2 (S_a^1/2 S_b S_a^1/2)^1/2).
 * - mgeval-style comparison of one scalar feature (Yang & Lerch, "On the evaluation of generative models in
 *   music", Neural Computing and Applications 32, 2020): the intra-set distances |x_i - x_j| of the real
 *   set against the inter-set distances |x_i - y_j|, each smoothed by a Gaussian KDE (Scott's bandwidth),
 *   compared by overlapping area and Kullback-Leibler divergence.
 */

export interface Gaussian {
  mean: number[];
  /** Sample covariance (n - 1 in the denominator, as numpy's np.cov). */
  cov: number[][];
  n: number;
}

/** Mean and sample covariance of row vectors (all of one length); at least two rows. */
export function fitGaussian(rows: readonly (readonly number[])[]): Gaussian {
  const n = rows.length;
  if (n < 2) throw new RangeError('fitGaussian: need at least two vectors');
  const d = rows[0]!.length;
  const mean = new Array<number>(d).fill(0);
  for (const r of rows) for (let j = 0; j < d; j++) mean[j]! += r[j]! / n;
  const cov = Array.from({ length: d }, () => new Array<number>(d).fill(0));
  for (const r of rows) {
    for (let i = 0; i < d; i++) {
      const di = r[i]! - mean[i]!;
      for (let j = i; j < d; j++) cov[i]![j]! += (di * (r[j]! - mean[j]!)) / (n - 1);
    }
  }
  for (let i = 0; i < d; i++) for (let j = 0; j < i; j++) cov[i]![j] = cov[j]![i]!;
  return { mean, cov, n };
}

/** Eigenvalues and vectors of a symmetric matrix (symmetrised first against rounding). */
function symmetricEigen(m: Matrix): { values: number[]; vectors: Matrix } {
  const sym = m.add(m.transpose()).div(2);
  const e = new EigenvalueDecomposition(sym, { assumeSymmetric: true });
  return { values: e.realEigenvalues, vectors: e.eigenvectorMatrix };
}

/** Square root of a symmetric positive semi-definite matrix (negative rounding noise clipped to 0). */
export function sqrtPsd(m: Matrix): Matrix {
  const { values, vectors } = symmetricEigen(m);
  const root = Matrix.diag(values.map((v) => Math.sqrt(Math.max(v, 0))));
  return vectors.mmul(root).mmul(vectors.transpose());
}

/**
 * Frechet distance between two Gaussians. `sqrtA` (the square root of a.cov) may be passed when the same
 * `a` is compared many times.
 */
export function frechetDistance(a: Gaussian, b: Gaussian, sqrtA: Matrix = sqrtPsd(new Matrix(a.cov))): number {
  if (a.mean.length !== b.mean.length) throw new RangeError('frechetDistance: vectors of different lengths');
  let meanTerm = 0;
  for (let i = 0; i < a.mean.length; i++) meanTerm += (a.mean[i]! - b.mean[i]!) ** 2;
  const sb = new Matrix(b.cov);
  const inner = sqrtA.mmul(sb).mmul(sqrtA);
  const traceSqrt = symmetricEigen(inner).values.reduce((s, v) => s + Math.sqrt(Math.max(v, 0)), 0);
  let trace = 0;
  for (let i = 0; i < a.mean.length; i++) trace += a.cov[i]![i]! + b.cov[i]![i]!;
  return Math.max(0, meanTerm + trace - 2 * traceSqrt);
}

/** |x_i - x_j| for every pair i < j. */
export function intraSetDistances(xs: readonly number[]): number[] {
  const out: number[] = [];
  for (let i = 0; i < xs.length; i++) for (let j = i + 1; j < xs.length; j++) out.push(Math.abs(xs[i]! - xs[j]!));
  return out;
}

/** |x_i - y_j| for every pair. */
export function interSetDistances(xs: readonly number[], ys: readonly number[]): number[] {
  const out: number[] = [];
  for (const x of xs) for (const y of ys) out.push(Math.abs(x - y));
  return out;
}

/** Sample standard deviation (n - 1). */
function sampleStd(xs: readonly number[]): number {
  const m = xs.reduce((a, b) => a + b, 0) / xs.length;
  return Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1));
}

/**
 * Gaussian kernel density estimate with Scott's rule bandwidth (n^-1/5 times the sample standard deviation,
 * scipy.stats.gaussian_kde's default, which mgeval uses). Null when the samples have no spread (the KDE is
 * undefined there; scipy raises).
 */
export function gaussianKde(samples: readonly number[]): ((x: number) => number) | null {
  const h = scottBandwidth(samples);
  if (h === null) return null;
  const norm = 1 / (samples.length * h * Math.sqrt(2 * Math.PI));
  return (x: number) => {
    let s = 0;
    for (const v of samples) {
      const z = (x - v) / h;
      s += Math.exp(-0.5 * z * z);
    }
    return s * norm;
  };
}

/** Scott's rule bandwidth, or null for fewer than two samples or no spread. */
function scottBandwidth(samples: readonly number[]): number | null {
  if (samples.length < 2) return null;
  const sd = sampleStd(samples);
  return sd > 0 ? sd * samples.length ** (-1 / 5) : null;
}

/**
 * The same KDE evaluated at the `points` grid points lo, lo + step, ...: each sample's kernel is spread over
 * the grid by the recurrence exp(-(z + d)^2 / 2) = exp(-z^2 / 2) exp(-z d - d^2 / 2) (d = step / h), two
 * exponentials per sample instead of one per grid point, stopping where the kernel is below 1e-300.
 */
export function gaussianKdeOnGrid(
  samples: readonly number[],
  lo: number,
  step: number,
  points: number,
): number[] | null {
  const h = scottBandwidth(samples);
  if (h === null) return null;
  const out = new Array<number>(points).fill(0);
  spreadKernels(out, samples, lo, step, points, h);
  const norm = 1 / (samples.length * h * Math.sqrt(2 * Math.PI));
  return out.map((x) => x * norm);
}

/**
 * gaussianKdeOnGrid's loop, on its own: V8 optimises a long loop while it runs, and the code after it (here
 * none) would otherwise be left without type feedback and deoptimise the function at each loop exit.
 */
function spreadKernels(out: number[], samples: readonly number[], lo: number, step: number, points: number, h: number) {
  const d = step / h;
  const q = Math.exp(-d * d);
  for (const v of samples) {
    const k0 = Math.min(points - 1, Math.max(0, Math.round((v - lo) / step)));
    const z0 = (lo + k0 * step - v) / h;
    const e0 = Math.exp(-0.5 * z0 * z0);
    out[k0]! += e0;
    for (const dir of [1, -1]) {
      let e = e0;
      let r = Math.exp(-(dir * z0 * d + (d * d) / 2));
      for (let k = k0 + dir; k >= 0 && k < points; k += dir) {
        e *= r;
        r *= q;
        if (e < 1e-300) break;
        out[k]! += e;
      }
    }
  }
}

export interface DistanceDistributionComparison {
  /** Area under min(p, q) of the two KDEs (1 = identical distributions, 0 = disjoint). */
  overlap_area: number;
  /** KL(p || q) of the two KDEs on a common grid, in nats (0 = identical). */
  kl_divergence: number;
}

/** Points of the common evaluation grid (mgeval uses 1000 for its KL). */
export const KDE_GRID_POINTS = 1000;

/**
 * Compares two samples of distances (typically intra-set of the real set vs inter-set real/generated) by
 * their KDEs on one grid spanning both samples: overlapping area by the trapezoid rule (mgeval integrates
 * min(p, q) with scipy's quad over the same span) and KL divergence of the two densities normalised on the
 * grid, as scipy.stats.entropy does. mgeval evaluates its two KL densities on two different grids (each
 * sample's own range); we use the common grid, so the two densities are compared point by point. Null when
 * either KDE is undefined (a sample with fewer than two values or no spread).
 */
export function compareDistanceDistributions(
  p: readonly number[],
  q: readonly number[],
  gridPoints = KDE_GRID_POINTS,
): DistanceDistributionComparison | null {
  return distanceComparison(p, gridPoints)(q);
}

/** Smallest and largest value (NaN if any value is NaN, as Math.min/max give). */
function rangeOf(xs: readonly number[]): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of xs) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  return [lo, hi];
}

/**
 * compareDistanceDistributions of one sample `p` against many samples `q`: p's range is found once and its KDE
 * is computed once per grid (a reference sample is compared with every generated set, and the grids often
 * coincide), with the same results as comparing each pair afresh.
 */
export function distanceComparison(
  p: readonly number[],
  gridPoints = KDE_GRID_POINTS,
): (q: readonly number[]) => DistanceDistributionComparison | null {
  const [pLo, pHi] = rangeOf(p);
  const pDensities = new Map<string, number[] | null>();
  const pDensity = (lo: number, step: number): number[] | null => {
    const key = `${lo} ${step}`;
    let d = pDensities.get(key);
    if (d === undefined) pDensities.set(key, (d = gaussianKdeOnGrid(p, lo, step, gridPoints)));
    return d;
  };
  return (q) => {
    if (p.length < 2 || q.length < 2) return null;
    const [qLo, qHi] = rangeOf(q);
    const lo = Math.min(pLo, qLo);
    const hi = Math.max(pHi, qHi);
    const step = (hi - lo) / (gridPoints - 1);
    if (!(step > 0)) return null;
    const ps = pDensity(lo, step);
    const qs = gaussianKdeOnGrid(q, lo, step, gridPoints);
    if (!ps || !qs) return null;
    let overlap = 0;
    for (let i = 1; i < gridPoints; i++)
      overlap += ((Math.min(ps[i - 1]!, qs[i - 1]!) + Math.min(ps[i]!, qs[i]!)) / 2) * step;
    const sp = ps.reduce((a, b) => a + b, 0);
    const sq = qs.reduce((a, b) => a + b, 0);
    let kl = 0;
    for (let i = 0; i < gridPoints; i++) {
      const a = ps[i]! / sp;
      const b = qs[i]! / sq;
      if (a > 0) kl += b > 0 ? a * Math.log(a / b) : Infinity;
    }
    return { overlap_area: Math.min(1, overlap), kl_divergence: kl };
  };
}

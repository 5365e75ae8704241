/**
 * The range of each classifier input feature on the training set, and which features of a new song fall
 * outside it: there the classifier extrapolates (e.g. constant velocity gives a velocity spread of 0, which
 * no training clip has), so its prediction for that song is not backed by data.
 */

export interface OutOfRangeFeature {
  feature: string;
  value: number;
  lo: number;
  hi: number;
}

/** Relative slack for the model file's 10-significant-digit rounding of the bounds. */
const ROUNDING_SLACK = 1e-9;

/** Features whose value lies outside [lo, hi] of the training set (features without a range are not checked). */
export function outOfRangeFeatures(
  ranges: Record<string, [number, number]>,
  features: Record<string, number>,
): OutOfRangeFeature[] {
  const out: OutOfRangeFeature[] = [];
  for (const [feature, value] of Object.entries(features)) {
    const range = Object.hasOwn(ranges, feature) ? ranges[feature] : undefined;
    if (!range || !Number.isFinite(value)) continue;
    const [lo, hi] = range;
    const slack = ROUNDING_SLACK * Math.max(1, Math.abs(lo), Math.abs(hi));
    if (value < lo - slack || value > hi + slack) out.push({ feature, value, lo, hi });
  }
  return out;
}

/** Per feature, [min, max] over the training examples' raw (untransformed) values. */
export function featureRanges(
  examples: ReadonlyArray<Record<string, number>>,
  names: readonly string[],
): Record<string, [number, number]> {
  const ranges: Record<string, [number, number]> = {};
  for (const name of names) {
    let lo = Infinity;
    let hi = -Infinity;
    for (const e of examples) {
      const v = e[name];
      if (v === undefined || !Number.isFinite(v)) continue;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    if (lo <= hi) ranges[name] = [lo, hi];
  }
  return ranges;
}

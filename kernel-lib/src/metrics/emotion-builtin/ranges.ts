/**
 * Features of a clip outside the range the classifier was trained on: there its output is an
 * extrapolation, which the validity warnings report beside the prediction.
 */

export interface OutOfRangeFeature {
  feature: string;
  value: number;
  lo: number;
  hi: number;
}

/** The features whose value lies outside [lo, hi] of `ranges` (features without a range are not checked). */
export function outOfRangeFeatures(ranges: Record<string, [number, number]>, features: Record<string, number>): OutOfRangeFeature[] {
  const out: OutOfRangeFeature[] = [];
  for (const [feature, [lo, hi]] of Object.entries(ranges)) {
    const value = features[feature];
    if (value === undefined) continue;
    if (!(value >= lo && value <= hi)) out.push({ feature, value, lo, hi });
  }
  return out;
}

/** Training-set ranges: [min, max] of every named feature over the rows. */
export function featureRanges(names: readonly string[], rows: readonly Record<string, number>[]): Record<string, [number, number]> {
  const ranges: Record<string, [number, number]> = {};
  for (const name of names) {
    let lo = Infinity;
    let hi = -Infinity;
    for (const r of rows) {
      const v = r[name]!;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    ranges[name] = [lo, hi];
  }
  return ranges;
}

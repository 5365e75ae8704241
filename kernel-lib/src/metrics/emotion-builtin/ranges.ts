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

/** Similarity measures between a 12-bin pitch-class histogram and a rotated key profile. */
export type CorrelationName = 'cosine' | 'pearson';

/** The reference notebook's score: dot / (|h| |p| + 1e-8). */
export function cosineScore(h: readonly number[], p: readonly number[]): number {
  let dot = 0;
  let hh = 0;
  let pp = 0;
  for (let i = 0; i < 12; i++) {
    dot += h[i]! * p[i]!;
    hh += h[i]! * h[i]!;
    pp += p[i]! * p[i]!;
  }
  return dot / (Math.sqrt(hh) * Math.sqrt(pp) + 1e-8);
}

/**
 * Pearson correlation as music21's KeyWeightKeyAnalysis._getDifference computes it: centred on the
 * 12-bin means, and 0 when either vector has no variance (an empty or flat histogram).
 */
export function pearsonScore(h: readonly number[], p: readonly number[]): number {
  let mh = 0;
  let mp = 0;
  for (let i = 0; i < 12; i++) {
    mh += h[i]!;
    mp += p[i]!;
  }
  mh /= 12;
  mp /= 12;
  let top = 0;
  let sh = 0;
  let sp = 0;
  for (let i = 0; i < 12; i++) {
    const dh = h[i]! - mh;
    const dp = p[i]! - mp;
    top += dh * dp;
    sh += dh * dh;
    sp += dp * dp;
  }
  if (sh === 0 || sp === 0) return 0;
  return top / Math.sqrt(sh * sp);
}

export const CORRELATIONS: Record<CorrelationName, (h: readonly number[], p: readonly number[]) => number> = {
  cosine: cosineScore,
  pearson: pearsonScore,
};

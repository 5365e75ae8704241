/**
 * Krumhansl–Kessler key profiles for the classifier's mode and key-clarity features. Kept here (small) so
 * the classifier does not depend on the reference notebook's key detector, whose cosine score answers another question
 * (which key?) while these features ask how major, and how tonal, the whole clip sounds.
 */
export const KK_MAJOR = [6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88];
export const KK_MINOR = [6.33, 2.68, 3.52, 5.38, 2.6, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17];

/** A pair of key profiles (index 0 = tonic). */
export interface KeyProfiles {
  major: readonly number[];
  minor: readonly number[];
}

export const KRUMHANSL_KESSLER: KeyProfiles = { major: KK_MAJOR, minor: KK_MINOR };

/**
 * Aarden–Essen profiles (Aarden 2003, from the Essen folk-song corpus, as music21 ships them): a second,
 * corpus-based view of mode that weighs the scale tones differently from the listening-test profiles above.
 */
export const AARDEN_ESSEN: KeyProfiles = {
  major: [
    17.7661, 0.145624, 14.9265, 0.160186, 19.8049, 11.3587, 0.291248, 22.062, 0.145624, 8.15494, 0.232998, 4.95122,
  ],
  minor: [
    18.2648, 0.737619, 14.0499, 16.8599, 0.702494, 14.4362, 0.702494, 18.6161, 4.56621, 1.93186, 7.37619, 1.75623,
  ],
};

/** Pearson correlation of two equally long vectors. */
function pearson(a: readonly number[], b: readonly number[]): number {
  const n = a.length;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i]!;
    mb += b[i]!;
  }
  ma /= n;
  mb /= n;
  let num = 0;
  let da = 0;
  let db = 0;
  for (let i = 0; i < n; i++) {
    const ai = a[i]!;
    const bi = b[i]!;
    num += (ai - ma) * (bi - mb);
    da += (ai - ma) ** 2;
    db += (bi - mb) ** 2;
  }
  return da > 0 && db > 0 ? num / Math.sqrt(da * db) : 0;
}

export interface KeyProfileFit {
  /** Best Pearson correlation among the 12 major keys. */
  bestMajor: number;
  /** Best Pearson correlation among the 12 minor keys. */
  bestMinor: number;
  /** Tonic (0 = C) of the best of all 24 keys, and whether it is minor. */
  tonic: number;
  minor: boolean;
}

/** Krumhansl–Schmuckler fit (Krumhansl–Kessler profiles unless given) of a 12-bin pitch-class histogram (any scale; only its shape matters). */
export function fitKeyProfiles(histogram: readonly number[], profiles = KRUMHANSL_KESSLER): KeyProfileFit {
  if (histogram.length !== 12)
    throw new RangeError(`fitKeyProfiles: a pitch-class histogram has 12 bins, got ${histogram.length}`);
  let bestMajor = -Infinity;
  let bestMinor = -Infinity;
  let tonicMajor = 0;
  let tonicMinor = 0;
  for (let tonic = 0; tonic < 12; tonic++) {
    // Rotate the histogram so the candidate tonic sits at index 0.
    const rotated = histogram.map((_, i) => histogram[(i + tonic) % 12]!);
    const maj = pearson(rotated, profiles.major);
    const min = pearson(rotated, profiles.minor);
    if (maj > bestMajor) {
      bestMajor = maj;
      tonicMajor = tonic;
    }
    if (min > bestMinor) {
      bestMinor = min;
      tonicMinor = tonic;
    }
  }
  const minor = bestMinor > bestMajor;
  return { bestMajor, bestMinor, tonic: minor ? tonicMinor : tonicMajor, minor };
}

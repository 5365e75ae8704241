/**
 * Published key profiles (weights for scale degrees 0..11 above the tonic), for template-matching key
 * finding. Values are those tabulated in the cited sources; music21's `analysis/discrete.py` and
 * Humdrum's `keycor` documentation (https://extras.humdrum.org/man/keycor/) list the same numbers for
 * the first four.
 */
export interface KeyProfile {
  /** Short id used in method names (`<id>-<correlation>`). */
  id: string;
  label: string;
  citation: string;
  major: readonly number[];
  minor: readonly number[];
}

/**
 * Krumhansl & Kessler (1982), "Tracing the dynamic changes in perceived tonal organization in a spatial
 * representation of musical keys", Psychological Review 89(4); as used in Krumhansl (1990), Cognitive
 * Foundations of Musical Pitch. Probe-tone ratings. The reference notebook's profile.
 */
export const KRUMHANSL_KESSLER: KeyProfile = {
  id: 'kk',
  label: 'Krumhansl-Kessler',
  citation: 'Krumhansl & Kessler 1982 (Psychological Review 89(4)); Krumhansl 1990',
  major: [6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88],
  minor: [6.33, 2.68, 3.52, 5.38, 2.6, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17],
};

/**
 * Temperley (2007), Music and Probability (MIT Press): pitch-class frequencies per segment in the
 * Kostka-Payne harmony-textbook corpus ("Temperley-Kostka-Payne").
 */
export const TEMPERLEY_KOSTKA_PAYNE: KeyProfile = {
  id: 'temperley',
  label: 'Temperley-Kostka-Payne',
  citation: 'Temperley 2007, Music and Probability (Kostka-Payne corpus)',
  major: [0.748, 0.06, 0.488, 0.082, 0.67, 0.46, 0.096, 0.715, 0.104, 0.366, 0.057, 0.4],
  minor: [0.712, 0.084, 0.474, 0.618, 0.049, 0.46, 0.105, 0.747, 0.404, 0.067, 0.133, 0.33],
};

/**
 * Aarden (2003), "Dynamic melodic expectancy", PhD thesis, Ohio State University: scale-degree
 * frequencies in the Essen folksong collection.
 */
export const AARDEN_ESSEN: KeyProfile = {
  id: 'aarden',
  label: 'Aarden-Essen',
  citation: 'Aarden 2003, PhD thesis, Ohio State University (Essen folksong collection)',
  major: [
    17.7661, 0.145624, 14.9265, 0.160186, 19.8049, 11.3587, 0.291248, 22.062, 0.145624, 8.15494, 0.232998, 4.95122,
  ],
  minor: [
    18.2648, 0.737619, 14.0499, 16.8599, 0.702494, 14.4362, 0.702494, 18.6161, 4.56621, 1.93186, 7.37619, 1.75623,
  ],
};

/**
 * Bellman (2005), "About the determination of key of a musical excerpt", CMMR 2005 (LNCS 3902):
 * chord-weighted profiles from Budge (1943)'s chord-frequency tables ("Bellman-Budge").
 */
export const BELLMAN_BUDGE: KeyProfile = {
  id: 'bellman',
  label: 'Bellman-Budge',
  citation: 'Bellman 2005, CMMR (LNCS 3902), from Budge 1943',
  major: [16.8, 0.86, 12.95, 1.41, 13.49, 11.93, 1.25, 20.28, 1.8, 8.04, 0.62, 10.57],
  minor: [18.16, 0.69, 12.99, 13.34, 1.07, 11.15, 1.38, 21.07, 7.49, 1.53, 0.92, 10.21],
};

/**
 * Albrecht & Shanahan (2013), "The use of large corpora to train a new type of key-finding algorithm",
 * Music Perception 31(1): 59-67. Duration-weighted pitch-class distributions of a 490-piece corpus.
 */
export const ALBRECHT_SHANAHAN: KeyProfile = {
  id: 'albrecht',
  label: 'Albrecht-Shanahan',
  citation: 'Albrecht & Shanahan 2013, Music Perception 31(1)',
  major: [0.238, 0.006, 0.111, 0.006, 0.137, 0.094, 0.016, 0.214, 0.009, 0.08, 0.008, 0.081],
  minor: [0.22, 0.006, 0.104, 0.123, 0.019, 0.103, 0.012, 0.214, 0.062, 0.022, 0.061, 0.052],
};

/** In report order; the reference notebook's profile first. */
export const KEY_PROFILES: readonly KeyProfile[] = [
  KRUMHANSL_KESSLER,
  TEMPERLEY_KOSTKA_PAYNE,
  AARDEN_ESSEN,
  BELLMAN_BUDGE,
  ALBRECHT_SHANAHAN,
];

/** The profile rotated so that index `pc` holds the weight of degree (pc - tonic) mod 12. */
export function rotateProfile(weights: readonly number[], tonic: number): number[] {
  const out = new Array<number>(12);
  for (let pc = 0; pc < 12; pc++) out[pc] = weights[(((pc - tonic) % 12) + 12) % 12]!;
  return out;
}

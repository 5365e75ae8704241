import { Matrix } from 'ml-matrix';
import type { Figure } from '../aggregate/extended-results.js';
import type { FloorEntry } from '../aggregate/warnings.js';
import { wilsonInterval } from '../stats/wilson.js';
import { clusterBootstrapRatio } from '../stats/cluster-bootstrap.js';
import { adjustPermutationTests, floorPermutations } from '../stats/permutation.js';
import { tryParseKey } from '../formats/key-names.js';
import { mirexScore } from '../metrics/key-methods/mirex.js';
import { QUALITY_METRIC_NAMES, type QualityMetrics } from '../metrics/quality/index.js';
import {
  cohenKappa,
  isHighArousal,
  isHighValence,
  mirexChance,
  QUADRANT_LABELS,
  quadrantConfusion,
  shuffledBaseline,
  type Kappa,
  type ShuffledBaseline,
} from './agreement.js';
import { standardizeVector } from './build-stats.js';
import {
  distanceComparison,
  fitGaussian,
  frechetDistance,
  interSetDistances,
  intraSetDistances,
  sqrtPsd,
  type Gaussian,
} from './distances.js';
import type { Count, ReferenceQuadrant, ReferenceStats } from './stats-file.js';

/**
 * The `reference` block of `evaluation_results_extended.json` (pure): every emotion and key figure with its
 * ceiling (the same measurement on real music) and floor (chance, and a label-shuffled baseline), Cohen's
 * kappa, arousal and valence separately, requested x detected confusion matrices, and distribution distances
 * between the generated songs and the real reference per quadrant, each with the scale real music reaches.
 */

/** One generated song as the reference block sees it. */
export interface ReferenceSong {
  model: string;
  mode: string;
  /** Requested quadrant. */
  emotion: number;
  /** Requested key (key-aware runs) or null. */
  key: string | null;
  file: string;
  /**
   * Song identity (aggregate/song-identity.ts): the transposition-free note stream for every figure but key, the
   * exact one for key. Copies of one song are one cluster in the intervals; the file itself when unknown.
   */
  cluster?: string;
  clusterExact?: string;
  /** The configured classifier's quadrant; absent when it gave none. */
  detected?: number;
  /** The built-in classifier's raw feature vector (featureVector order). */
  features?: number[];
  quality?: QualityMetrics;
  /** Detected key under the reference notebook's and the recommended method. */
  keyReference?: string;
  keyBest?: string;
}

export interface ReferenceBlockOptions {
  stats: ReferenceStats;
  /** Path of the statistics file as shown to readers. */
  statsFile: string;
  /** Fingerprint of the built-in classifier in use now (to flag statistics built with another one). */
  classifierFingerprint: string;
  /** Whether the analysis classified with the built-in classifier (the ceiling is that classifier's). */
  builtinClassifier: boolean;
  permutations?: number;
  seed?: number;
}

export interface FrechetEntry {
  model: string;
  mode: string;
  quadrant: number;
  n: number;
  distance: number;
  /** Reference train clips vs the reference at the same n (mean and 5-95% of seeded draws). */
  scale: { n: number; mean: number; lower: number; upper: number; interpolated: boolean } | null;
  /** distance / scale.mean: about 1 = as far as other real music of that quadrant. */
  ratio: number | null;
}

export interface QualityDistanceEntry {
  model: string;
  mode: string;
  quadrant: number;
  metric: string;
  n_generated: number;
  n_reference: number;
  generated_mean: number;
  reference_mean: number;
  overlap_area: number | null;
  kl_divergence: number | null;
  /** The same comparison for real train clips against the reference. */
  scale: { overlap_area: number; kl_divergence: number } | null;
}

export interface KeyFigures {
  requested_keys: string[];
  /**
   * `seed`, `mirex_seed`, `shuffled_seed`: the reference notebook's key method (output names kept, see the glossary).
   */
  seed: Figure;
  best: Figure;
  mirex_seed: number;
  mirex_best: number;
  /** Chance: a uniformly random key (exact 1/24; MIREX averaged over the requested keys). */
  chance_exact: number;
  chance_mirex: number;
  shuffled_seed: ShuffledBaseline | null;
  shuffled_best: ShuffledBaseline | null;
}

export interface ModeAdherence {
  model: string;
  mode: string;
  /** Songs the classifier gave a quadrant for. */
  classified: number;
  emotion: Figure;
  arousal: Figure;
  valence: Figure;
  kappa: Kappa;
  /**
   * Per requested quadrant: adherence, the real-music ceiling, chance (1/4) and `shuffled`: the share of this
   * group's songs detected as that quadrant, what a generator ignoring the request would reach (the classifier
   * leans towards some quadrants, so 1/4 misreads the floor).
   */
  per_quadrant: Array<{ quadrant: number; adherence: Figure; ceiling: number; chance: number; shuffled: number }>;
  shuffled: { emotion: ShuffledBaseline | null; arousal: ShuffledBaseline | null; valence: ShuffledBaseline | null };
  key: KeyFigures | null;
}

export interface ReferenceBlock {
  source: ReferenceStats['source'] & {
    statistics: string;
    classifier_sha256: string;
    classifier_matches: boolean;
    builtin_classifier: boolean;
  };
  /** What a reader must know before comparing (a different classifier, statistics from another classifier). */
  notes: string[];
  definitions: Record<string, string>;
  ceiling: {
    emotion: {
      overall: Figure;
      per_quadrant: Array<Figure & { quadrant: number }>;
      arousal: Figure;
      valence: Figure;
      kappa: number;
      confusion: number[][];
    };
    key: { data: string; pieces: number; methods: Array<{ method: string; accuracy: Figure; mirex: number }> } | null;
  };
  floor: {
    emotion_chance: number;
    arousal_chance: number;
    valence_chance: number;
    key_exact_chance: number;
    shuffled: string;
  };
  adherence: ModeAdherence[];
  confusion: Array<{ model: string; mode: string; labels: string[]; counts: number[][] }>;
  distances: {
    feature_space: { features: string[]; standardization: string };
    frechet: FrechetEntry[];
    quality: QualityDistanceEntry[];
  };
  /** Mean muspy-exact quality of the reference clips per quadrant, beside the generated means. */
  quality: Array<{ quadrant: number; metric: string; mean: number; n: number }>;
}

export const REFERENCE_DEFINITIONS: Record<string, string> = {
  ceiling:
    'the same classifier (or key method) on real music with known labels: its agreement is the most a perfectly obedient generator could be measured at',
  'floor.chance':
    'a uniformly random answer: 1/4 for the quadrant, 1/2 for arousal and valence, 1/24 for the exact key',
  'floor.shuffled':
    'label-shuffled baseline: the requested labels permuted among the songs of one (model, mode), 1000 seeded permutations (1000 more per 20 tests beyond 20: 3 per mode); mean and 95% range, the one-sided permutation p of the observed figure and (emotion, key) its Holm adjustment over the block. What the same songs would score if the generator had ignored its condition',
  kappa:
    "Cohen's kappa between requested and detected quadrant: agreement beyond what the two label frequencies give by chance (0 = chance, 1 = perfect)",
  arousal: 'requested and detected quadrant agree on arousal (Q1, Q2 high; Q3, Q4 low)',
  valence: 'requested and detected quadrant agree on valence (Q1, Q4 high; Q2, Q3 low)',
  confusion: 'counts[requested][detected] of songs per model and mode',
  frechet:
    "Frechet distance between Gaussians fitted to the built-in classifier's features (z-scored with the classifier's training split) of the generated songs of one requested quadrant and of the reference clips of that quadrant; scale = the same distance for the same number of real training-split clips of that quadrant",
  'quality distances':
    'Yang & Lerch 2020 (mgeval): per quality metric, Gaussian KDEs of intra-set distances of the reference clips and of inter-set distances generated-vs-reference; overlapping area (1 = as real music) and KL divergence (0 = as real music); scale = the same for real training-split clips',
};

/**
 * A ceiling figure: songs as the unit where the statistics split it by song (a cluster bootstrap over the songs the
 * clips come from), else Wilson over clips (statistics built before the split was kept).
 */
function figure(c: Count, seed: number): Figure {
  const songs = c.by_song;
  const interval =
    songs && songs.length > 1
      ? clusterBootstrapRatio(
          songs.map((s) => s[0]),
          songs.map((s) => s[1]),
          { seed },
        )
      : wilsonInterval(c.successes, c.trials);
  return { ...interval, successes: c.successes, trials: c.trials };
}

/**
 * A generated figure with songs as the unit, as the per-mode figures: the share of songs that hit, with a
 * cluster bootstrap over distinct songs (copies of one song resample together), n = songs, copies included.
 */
function songFigure(
  songs: readonly ReferenceSong[],
  hit: (s: ReferenceSong) => boolean,
  seed: number,
  exactCopies = false,
): Figure {
  const clusters = new Map<string, [number, number]>();
  for (const s of songs) {
    const key = (exactCopies ? s.clusterExact : s.cluster) ?? s.file;
    const c = clusters.get(key) ?? [0, 0];
    c[0] += hit(s) ? 1 : 0;
    c[1] += 1;
    clusters.set(key, c);
  }
  const counts = [...clusters.values()];
  const successes = counts.reduce((a, c) => a + c[0], 0);
  const interval = clusterBootstrapRatio(
    counts.map((c) => c[0]),
    counts.map((c) => c[1]),
    { seed },
  );
  return { ...interval, n: songs.length, successes, trials: songs.length };
}
const meanOf = (xs: readonly number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN);

/** The Frechet scale at `n`: the measured entry, or linear interpolation between the two nearest sizes. */
export function frechetScaleAt(q: ReferenceQuadrant, n: number): FrechetEntry['scale'] {
  const grid = q.frechet_scale.by_n;
  if (grid.length === 0 || n < grid[0]!.n) return null;
  const exact = grid.find((g) => g.n === n);
  if (exact) return { ...exact, interpolated: false };
  const hi = grid.findIndex((g) => g.n > n);
  if (hi < 0) return { ...grid[grid.length - 1]!, interpolated: false };
  const a = grid[hi - 1]!;
  const b = grid[hi]!;
  const t = (n - a.n) / (b.n - a.n);
  const lerp = (x: number, y: number) => x + t * (y - x);
  return {
    n,
    mean: lerp(a.mean, b.mean),
    lower: lerp(a.lower, b.lower),
    upper: lerp(a.upper, b.upper),
    interpolated: true,
  };
}

function groupBy<T>(items: readonly T[], key: (t: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const it of items) {
    const k = key(it);
    const list = m.get(k);
    if (list) list.push(it);
    else m.set(k, [it]);
  }
  return m;
}

function keyFigures(songs: readonly ReferenceSong[], permutations: number, seed: number): KeyFigures | null {
  const keyed = songs.filter(
    (s) => s.key !== null && tryParseKey(s.key) !== null && s.keyReference !== undefined && s.keyBest !== undefined,
  );
  if (keyed.length === 0) return null;
  const ref = (s: ReferenceSong) => tryParseKey(s.key!)!;
  const exact = (requested: string, detected: string) => {
    const r = tryParseKey(requested);
    const d = tryParseKey(detected);
    return !!r && !!d && mirexScore(d, r) === 1;
  };
  const mirex = (pick: (s: ReferenceSong) => string) =>
    meanOf(keyed.map((s) => (tryParseKey(pick(s)) ? mirexScore(tryParseKey(pick(s))!, ref(s)) : 0)));
  const requested = keyed.map((s) => s.key!);
  return {
    requested_keys: [...new Set(requested)],
    seed: songFigure(keyed, (s) => exact(s.key!, s.keyReference!), seed, true),
    best: songFigure(keyed, (s) => exact(s.key!, s.keyBest!), seed, true),
    mirex_seed: mirex((s) => s.keyReference!),
    mirex_best: mirex((s) => s.keyBest!),
    chance_exact: 1 / 24,
    chance_mirex: meanOf(requested.map(mirexChance)),
    shuffled_seed: shuffledBaseline(
      requested,
      keyed.map((s) => s.keyReference!),
      exact,
      { permutations, seed },
    ),
    shuffled_best: shuffledBaseline(
      requested,
      keyed.map((s) => s.keyBest!),
      exact,
      { permutations, seed },
    ),
  };
}

/** Holm over the emotion and key shuffled baselines of every mode (the block's tests of "above the floor"). */
function adjustFloorTests(adherence: readonly ModeAdherence[]): void {
  const tests = adherence.flatMap((a) =>
    [a.shuffled.emotion, a.key?.shuffled_seed, a.key?.shuffled_best].filter((b): b is ShuffledBaseline => !!b),
  );
  adjustPermutationTests(tests).forEach((a, i) => Object.assign(tests[i]!, a));
}

export function buildReferenceBlock(songs: readonly ReferenceSong[], options: ReferenceBlockOptions): ReferenceBlock {
  const { stats } = options;
  const seed = options.seed ?? stats.built_with.seed;
  const ce = stats.ceiling.emotion;
  const ceilingPerQuadrant = ce.per_quadrant.map((p) => ({ ...figure(p, seed), quadrant: p.quadrant }));
  const classifierMatches = options.classifierFingerprint === stats.built_with.classifier_sha256;
  const notes: string[] = [];
  if (!options.builtinClassifier)
    notes.push(
      "The analysis used a classifier other than the built-in one: the emotion ceiling below is the built-in classifier's and does not bound the figures measured here.",
    );
  if (!classifierMatches)
    notes.push(
      `The reference statistics were built with another built-in classifier (${stats.built_with.classifier_sha256}, now ${options.classifierFingerprint}): rebuild them with \`emotune build-reference\`.`,
    );

  const modes = groupBy(songs, (s) => JSON.stringify([s.model, s.mode]));
  // Emotion and two key baselines per mode are one Holm family: enough permutations that it can pass at .05.
  const permutations = options.permutations ?? floorPermutations(3 * modes.size);
  const adherence: ModeAdherence[] = [];
  const confusion: ReferenceBlock['confusion'] = [];
  const frechet: FrechetEntry[] = [];
  const qualityDistances: QualityDistanceEntry[] = [];
  const refGaussians = new Map<number, { g: Gaussian; sqrt: Matrix }>();
  const refGaussian = (q: ReferenceQuadrant) => {
    let r = refGaussians.get(q.quadrant);
    if (!r)
      refGaussians.set(
        q.quadrant,
        (r = { g: { mean: q.feature_mean, cov: q.feature_cov, n: q.clips }, sqrt: sqrtPsd(new Matrix(q.feature_cov)) }),
      );
    return r;
  };

  // Per quadrant and metric, the reference values and their intra-set distances' comparison (its KDE kept per grid).
  const refQualities = new Map<string, { ref: number[]; compare: ReturnType<typeof distanceComparison> }>();
  const refQuality = (q: ReferenceQuadrant, metric: string) => {
    const key = `${q.quadrant} ${metric}`;
    let r = refQualities.get(key);
    if (!r) {
      const ref = q.quality[metric]!.filter((v): v is number => v !== null && Number.isFinite(v));
      refQualities.set(key, (r = { ref, compare: distanceComparison(intraSetDistances(ref)) }));
    }
    return r;
  };

  for (const group of modes.values()) {
    const { model, mode } = group[0]!;
    const classified = group.filter((s) => s.detected !== undefined && s.detected >= 1 && s.detected <= 4);
    const pairs = classified.map((s) => [s.emotion, s.detected!] as const);
    const counts = quadrantConfusion(pairs);
    confusion.push({ model, mode, labels: [...QUADRANT_LABELS], counts });
    const requested = classified.map((s) => s.emotion);
    const detected = classified.map((s) => s.detected!);
    adherence.push({
      model,
      mode,
      classified: classified.length,
      emotion: songFigure(classified, (s) => s.emotion === s.detected, seed),
      arousal: songFigure(classified, (s) => isHighArousal(s.emotion) === isHighArousal(s.detected!), seed),
      valence: songFigure(classified, (s) => isHighValence(s.emotion) === isHighValence(s.detected!), seed),
      kappa: cohenKappa(counts),
      per_quadrant: [1, 2, 3, 4]
        .filter((q) => requested.includes(q))
        .map((q) => ({
          quadrant: q,
          adherence: songFigure(
            classified.filter((s) => s.emotion === q),
            (s) => s.detected === q,
            seed,
          ),
          ceiling: ceilingPerQuadrant[q - 1]!.estimate,
          chance: 0.25,
          shuffled: detected.filter((d) => d === q).length / detected.length,
        })),
      shuffled: {
        emotion: shuffledBaseline(requested, detected, (r, d) => r === d, { permutations, seed }),
        arousal: shuffledBaseline(requested, detected, (r, d) => isHighArousal(r) === isHighArousal(d), {
          permutations,
          seed,
        }),
        valence: shuffledBaseline(requested, detected, (r, d) => isHighValence(r) === isHighValence(d), {
          permutations,
          seed,
        }),
      },
      key: keyFigures(group, permutations, seed),
    });

    for (const q of stats.quadrants) {
      const inQ = group.filter((s) => s.emotion === q.quadrant);
      if (inQ.length === 0) continue;
      const vectors = inQ
        .filter((s) => s.features && s.features.every(Number.isFinite))
        .map((s) => standardizeVector(s.features!, stats.standardization));
      if (vectors.length >= 2) {
        const { g, sqrt } = refGaussian(q);
        const distance = frechetDistance(g, fitGaussian(vectors), sqrt);
        const scale = frechetScaleAt(q, vectors.length);
        frechet.push({
          model,
          mode,
          quadrant: q.quadrant,
          n: vectors.length,
          distance,
          scale,
          ratio: scale ? distance / scale.mean : null,
        });
      }
      for (const metric of QUALITY_METRIC_NAMES) {
        const gen = inQ
          .map((s) => s.quality?.[metric])
          .filter((v): v is number => v !== undefined && Number.isFinite(v));
        const { ref, compare } = refQuality(q, metric);
        if (gen.length === 0 || ref.length < 2) continue;
        const cmp = compare(interSetDistances(gen, ref));
        qualityDistances.push({
          model,
          mode,
          quadrant: q.quadrant,
          metric,
          n_generated: gen.length,
          n_reference: ref.length,
          generated_mean: meanOf(gen),
          reference_mean: meanOf(ref),
          overlap_area: cmp?.overlap_area ?? null,
          kl_divergence: cmp?.kl_divergence ?? null,
          scale: q.quality_scale[metric] ?? null,
        });
      }
    }
  }

  adjustFloorTests(adherence);
  return {
    source: {
      ...stats.source,
      statistics: options.statsFile,
      classifier_sha256: stats.built_with.classifier_sha256,
      classifier_matches: classifierMatches,
      builtin_classifier: options.builtinClassifier,
    },
    notes,
    definitions: REFERENCE_DEFINITIONS,
    ceiling: {
      emotion: {
        overall: figure(ce.overall, seed),
        per_quadrant: ceilingPerQuadrant,
        arousal: figure(ce.arousal, seed),
        valence: figure(ce.valence, seed),
        kappa: cohenKappa(ce.confusion).kappa,
        confusion: ce.confusion,
      },
      key: stats.ceiling.key
        ? {
            data: stats.ceiling.key.data,
            pieces: stats.ceiling.key.pieces,
            methods: stats.ceiling.key.methods.map((m) => ({
              method: m.method,
              accuracy: figure(m, seed),
              mirex: m.mirex,
            })),
          }
        : null,
    },
    floor: {
      emotion_chance: 0.25,
      arousal_chance: 0.5,
      valence_chance: 0.5,
      key_exact_chance: 1 / 24,
      shuffled: 'per (model, mode) in `adherence[].shuffled` and `adherence[].key.shuffled_*`',
    },
    adherence,
    confusion,
    distances: {
      feature_space: {
        features: stats.built_with.feature_names,
        standardization: `z-scores with the mean and standard deviation of the ${stats.source.scale_split} split (${stats.source.scale_clips} clips)`,
      },
      frechet,
      quality: qualityDistances,
    },
    quality: stats.quadrants.flatMap((q) =>
      QUALITY_METRIC_NAMES.map((metric) => {
        const vs = q.quality[metric]!.filter((v): v is number => v !== null);
        return { quadrant: q.quadrant, metric, mean: meanOf(vs), n: vs.length };
      }),
    ),
  };
}

/** The emotion and key figures of the block beside their shuffled baselines, for the `at-floor` warning. */
export function referenceFloorEntries(reference: ReferenceBlock): FloorEntry[] {
  return reference.adherence.flatMap((a) =>
    (
      [
        ['emotion_adherence', a.emotion.estimate, a.shuffled.emotion],
        ['key_adherence', a.key?.seed.estimate, a.key?.shuffled_seed],
        ['key_adherence_best', a.key?.best.estimate, a.key?.shuffled_best],
      ] as const
    ).flatMap(([figure, observed, b]) =>
      b && observed !== undefined && b.p_adjusted !== undefined && Number.isFinite(observed)
        ? [{ model: a.model, mode: a.mode, figure, observed, floor: { ...b, p_adjusted: b.p_adjusted } }]
        : [],
    ),
  );
}

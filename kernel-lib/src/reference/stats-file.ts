import { join } from 'node:path';
import { EmotuneError, errorMessage } from '../errors.js';
import { embeddedDir } from '../package-paths.js';
import { readInputTextSync } from '../formats/read-input.js';
import { QUALITY_METRIC_NAMES } from '../metrics/quality/index.js';

/**
 * Compact per-quadrant statistics of real music (the EMOPIA val split by default) that the `reference` block
 * of the extended results compares generated songs with. Shipped in embedded/reference/ and rebuilt byte for
 * byte by `emotune build-reference` (see build-stats.ts).
 */

export const REFERENCE_FORMAT = 'emotune.reference-stats';
export const REFERENCE_VERSION = 1;

export const DEFAULT_REFERENCE_PATH: string = join(embeddedDir, 'reference', 'emopia-val.json');

export interface Count {
  successes: number;
  trials: number;
  /** [successes, trials] per song (sorted by song id), where clips come from songs: the interval resamples songs. */
  by_song?: Array<[number, number]>;
}

export interface KeyCeilingMethod extends Count {
  method: string;
  /** Mean MIREX weighted score on the labelled pieces. */
  mirex: number;
}

export interface ReferenceQuadrant {
  quadrant: number;
  clips: number;
  songs: number;
  /** Classifier feature vectors of the reference clips, z-scored with `standardization`: their mean and covariance. */
  feature_mean: number[];
  feature_cov: number[][];
  /**
   * The scale of the Frechet distance: the distance from this quadrant's reference Gaussian to `n` clips of the
   * same quadrant from the classifier's training split (real music the reference does not hold), over seeded
   * draws, for several n (the distance grows as n shrinks, so a generated set is compared at its own n).
   */
  frechet_scale: {
    full: { n: number; distance: number };
    by_n: Array<{ n: number; mean: number; lower: number; upper: number }>;
  };
  /** muspy-exact quality value of every reference clip (null where undefined), for intra/inter-set distances. */
  quality: Record<string, Array<number | null>>;
  /** Overlap area and KL of intra-reference vs reference-train inter-set distances: the level real music reaches. */
  quality_scale: Record<string, { overlap_area: number; kl_divergence: number } | null>;
}

export interface ReferenceStats {
  format: typeof REFERENCE_FORMAT;
  version: typeof REFERENCE_VERSION;
  source: {
    dataset: string;
    credit: string;
    licence: string;
    split: string;
    clips: number;
    songs: number;
    scale_split: string;
    scale_clips: number;
  };
  built_with: {
    /** sha256 (first 16 hex digits) of the built-in classifier file the ceiling and feature space were measured with. */
    classifier_sha256: string;
    feature_names: string[];
    quality_resolution: number;
    frechet_draws: number;
    seed: number;
  };
  /** Train-split mean and standard deviation of each classifier feature (z-scores of the Frechet space; std 0 = constant there, left out). */
  standardization: { mean: number[]; std: number[] };
  ceiling: {
    emotion: {
      /** counts[true - 1][detected - 1] on the reference clips. */
      confusion: number[][];
      overall: Count;
      per_quadrant: Array<Count & { quadrant: number }>;
      arousal: Count;
      valence: Count;
    };
    /** Key detection on pieces with known keys (given with --keys), or null. */
    key: { data: string; pieces: number; methods: KeyCeilingMethod[] } | null;
  };
  quadrants: ReferenceQuadrant[];
}

/** Numbers rounded to 6 significant digits: small file, same text on every platform. */
export function roundStat(v: number): number {
  return Number.isFinite(v) ? Number(v.toPrecision(6)) : v;
}

/** Canonical text of a stats file (fixed key order as built, rounded numbers, trailing newline). */
export function serializeReferenceStats(stats: ReferenceStats): string {
  return `${JSON.stringify(stats, (_k, v: unknown) => (typeof v === 'number' ? roundStat(v) : v))}\n`;
}

function bad(file: string | undefined, field: string, expected: string, found: unknown): never {
  throw new EmotuneError('invalid reference statistics', {
    file,
    field,
    expected,
    found: JSON.stringify(found)?.slice(0, 60),
    code: 'reference.invalid',
  });
}

/** A count's per-song split, when given, must add up to its totals (the interval is drawn from it). */
function checkBySong(file: string | undefined, field: string, c: Count | undefined): void {
  if (c?.by_song === undefined) return;
  const pairs = c.by_song;
  const ok =
    Array.isArray(pairs) &&
    pairs.every(
      (p) => Array.isArray(p) && p.length === 2 && p.every((v) => Number.isInteger(v) && v >= 0) && p[0]! <= p[1]!,
    ) &&
    pairs.reduce((a, p) => a + p[0], 0) === c.successes &&
    pairs.reduce((a, p) => a + p[1], 0) === c.trials;
  if (!ok) bad(file, `${field}.by_song`, `[successes, trials] per song adding up to ${c.successes}/${c.trials}`, pairs);
}

/** Checks the parts the reference block reads (shape and sizes); a hand-edited or foreign file fails here with its field. */
export function parseReferenceStats(value: unknown, file?: string): ReferenceStats {
  const o = value as ReferenceStats;
  if (typeof o !== 'object' || o === null) bad(file, '(root)', 'an object', o);
  if (o.format !== REFERENCE_FORMAT) bad(file, 'format', JSON.stringify(REFERENCE_FORMAT), o.format);
  if (o.version !== REFERENCE_VERSION) bad(file, 'version', String(REFERENCE_VERSION), o.version);
  const d = o.built_with?.feature_names?.length;
  if (!Number.isInteger(d) || d < 1)
    bad(file, 'built_with.feature_names', 'a list of feature names', o.built_with?.feature_names);
  if (o.standardization?.mean?.length !== d || o.standardization?.std?.length !== d)
    bad(file, 'standardization', `mean and std of ${d} values`, o.standardization);
  if (!Array.isArray(o.ceiling?.emotion?.confusion) || o.ceiling.emotion.confusion.length !== 4)
    bad(file, 'ceiling.emotion.confusion', 'a 4 x 4 matrix', o.ceiling?.emotion?.confusion);
  const e = o.ceiling.emotion;
  const counts: Array<[string, Count | undefined]> = [
    ['overall', e.overall],
    ['arousal', e.arousal],
    ['valence', e.valence],
    ...(e.per_quadrant ?? []).map((c, i) => [`per_quadrant[${i}]`, c] as [string, Count]),
  ];
  for (const [name, c] of counts) checkBySong(file, `ceiling.emotion.${name}`, c);
  if (!Array.isArray(o.quadrants) || o.quadrants.length !== 4) bad(file, 'quadrants', 'four quadrants', o.quadrants);
  o.quadrants.forEach((q, i) => {
    if (q.quadrant !== i + 1) bad(file, `quadrants[${i}].quadrant`, String(i + 1), q.quadrant);
    if (q.feature_mean?.length !== d || q.feature_cov?.length !== d || q.feature_cov.some((r) => r.length !== d))
      bad(file, `quadrants[${i}].feature_cov`, `a ${d} x ${d} matrix`, q.feature_cov?.length);
    for (const m of QUALITY_METRIC_NAMES)
      if (!Array.isArray(q.quality?.[m])) bad(file, `quadrants[${i}].quality.${m}`, 'a list of values', q.quality?.[m]);
  });
  return o;
}

let cached: ReferenceStats | undefined;

/** Reads and checks a stats file; without a path, the shipped one (read once). */
export function loadReferenceStats(path?: string): ReferenceStats {
  if (path === undefined && cached) return cached;
  const file = path ?? DEFAULT_REFERENCE_PATH;
  const words = {
    message: 'cannot read reference statistics',
    expected: 'the JSON written by `emotune build-reference`',
  };
  const text = readInputTextSync(file, 'reference', words);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new EmotuneError(words.message, {
      file,
      code: 'reference.io',
      expected: words.expected,
      found: errorMessage(cause),
      cause,
    });
  }
  const stats = parseReferenceStats(json, file);
  if (path === undefined) cached = stats;
  return stats;
}

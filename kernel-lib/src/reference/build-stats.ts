import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { Matrix } from 'ml-matrix';
import { validateKeyMethods, type LabelledPiece } from '../metrics/key-methods/key-validation.js';
import { mulberry32, randomIndex } from '../stats/prng.js';
import { EmotuneError } from '../errors.js';
import { parseMidi } from '../formats/midi-read.js';
import { readInputFile } from '../formats/read-input.js';
import {
  classifyMidi,
  featureVector,
  FEATURE_NAMES,
  serializeClassifierModel,
  type EmotionModel,
} from '../metrics/emotion-builtin/index.js';
import { loadClassifier } from '../metrics/edge/classifier-file.js';
import { readEmopiaLabels, type EmopiaClip } from '../formats/emopia-labels.js';
import { checkTrainingSongs, incomparableReason } from '../metrics/emotion-builtin/held-out.js';
import { RECOMMENDED_KEY_METHOD, REFERENCE_KEY_METHOD } from '../metrics/key-methods/methods.js';
import {
  QUALITY_METRIC_NAMES,
  QUALITY_RESOLUTION,
  qualityOfMidi,
  type QualityMetrics,
} from '../metrics/quality/index.js';
import { isHighArousal, isHighValence, quadrantConfusion } from './agreement.js';
import {
  compareDistanceDistributions,
  fitGaussian,
  frechetDistance,
  interSetDistances,
  intraSetDistances,
  sqrtPsd,
} from './distances.js';
import {
  REFERENCE_FORMAT,
  REFERENCE_VERSION,
  type Count,
  type ReferenceQuadrant,
  type ReferenceStats,
} from './stats-file.js';

/**
 * Builds the reference statistics from an EMOPIA folder (labels.csv + midis/): the clips of `split` (val:
 * clips neither the embedded generator nor the built-in classifier was trained on) are the reference; the
 * `scaleSplit` clips (train) only give the scales (real music vs real music). Deterministic: same data, same
 * classifier, same file, byte for byte. Every feature and prediction comes from the built-in classifier's
 * public functions (`classifyMidi`, `featureVector`), so a new classifier needs only a rebuild.
 */

export const REFERENCE_SEED = 20251103;
export const FRECHET_DRAWS = 200;
/** Set sizes the Frechet scale is measured at (those up to the scale split's clips per quadrant). */
export const FRECHET_SCALE_SIZES = [2, 3, 4, 5, 6, 8, 10, 12, 16, 20, 24, 32, 48, 64, 96, 128] as const;

export interface ReferenceBuildOptions {
  split?: string;
  scaleSplit?: string;
  model?: EmotionModel;
  /** Pieces with known keys for the key-detection ceiling, and how to name them in the file. */
  keys?: { data: string; pieces: readonly LabelledPiece[] };
  draws?: number;
  seed?: number;
  /** Called once per clip read (progress). */
  onClip?: (done: number, total: number) => void;
  /** Called with a line when the reference split cannot be shown to hold none of the classifier's training songs. */
  onWarning?: (line: string) => void;
}

interface Clip {
  file: string;
  quadrant: number;
  songId: string;
  detected: number;
  features: number[];
  quality: QualityMetrics;
}

/** sha256 of the classifier's canonical text, first 16 hex digits: which classifier a reference was measured with. */
export function classifierFingerprint(model: EmotionModel): string {
  return createHash('sha256').update(serializeClassifierModel(model)).digest('hex').slice(0, 16);
}

async function readClips(
  dataDir: string,
  all: readonly EmopiaClip[],
  split: string,
  model: EmotionModel,
  onClip?: () => void,
): Promise<Clip[]> {
  const rows = all.filter((c) => c.split === split).sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  const out: Clip[] = [];
  for (const c of rows) {
    const path = join(dataDir, c.file);
    const bytes = await readInputFile(path, 'midi');
    const prediction = classifyMidi(parseMidi(bytes, path), model, path);
    out.push({
      file: c.file,
      quadrant: c.quadrant,
      songId: c.songId,
      detected: prediction.quadrant,
      features: featureVector(prediction.features),
      quality: qualityOfMidi(bytes, path),
    });
    onClip?.();
  }
  return out;
}

/**
 * Clips that hit, in total and per song (songs sorted by id): a song's clips are not independent, so the ceiling's
 * interval resamples songs (block.ts) rather than clips.
 */
function count<C extends { songId: string }>(clips: readonly C[], hit: (c: C) => boolean): Count {
  const bySong = new Map<string, [number, number]>();
  for (const c of clips) {
    const s = bySong.get(c.songId) ?? [0, 0];
    s[0] += hit(c) ? 1 : 0;
    s[1] += 1;
    bySong.set(c.songId, s);
  }
  const songs = [...bySong.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map(([, v]) => v);
  return {
    successes: songs.reduce((a, v) => a + v[0], 0),
    trials: clips.length,
    by_song: songs,
  };
}

/**
 * Mean and standard deviation (n - 1) of each column. A column without real spread on the scale split (the
 * EMOPIA clips all carry the default 120 bpm, so tempo is constant up to rounding) gets std 0, and
 * `standardizeVector` maps it to 0: it is left out of the distance instead of blowing rounding noise up.
 */
function columnStats(rows: readonly number[][]): { mean: number[]; std: number[] } {
  const d = rows[0]!.length;
  const mean = new Array<number>(d).fill(0);
  for (const r of rows) for (let j = 0; j < d; j++) mean[j]! += r[j]! / rows.length;
  const std = mean.map((m, j) => {
    const s = Math.sqrt(rows.reduce((a, r) => a + (r[j]! - m) ** 2, 0) / (rows.length - 1));
    return s > 1e-9 * Math.max(1, Math.abs(m)) ? s : 0;
  });
  return { mean, std };
}

/** z-scores of a feature vector with the given column statistics (0 for a column with std 0). */
export function standardizeVector(
  v: readonly number[],
  s: { mean: readonly number[]; std: readonly number[] },
): number[] {
  return v.map((x, j) => (s.std[j]! > 0 ? (x - s.mean[j]!) / s.std[j]! : 0));
}

/** `k` distinct indices of [0, n) (partial Fisher-Yates). */
function drawIndices(next: () => number, n: number, k: number): number[] {
  const idx = Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < k; i++) {
    const j = i + randomIndex(next, n - i);
    [idx[i], idx[j]] = [idx[j]!, idx[i]!];
  }
  return idx.slice(0, k);
}

function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.round(q * (sorted.length - 1))))]!;
}

/**
 * The emotion ceiling is the classifier's agreement with the reference clips' labels: on songs the classifier was
 * trained on, that is training accuracy, not the ceiling real music sets. Refused before any clip is read; when
 * the songs were named differently on the two sides (or by file alone), the returned line says it is not shown.
 */
function checkReferenceSongs(
  all: readonly EmopiaClip[],
  split: string,
  model: EmotionModel,
  dataDir: string,
): string | undefined {
  const rows = all.filter((c) => c.split === split);
  const check = checkTrainingSongs(
    rows.map((c) => ({ songId: c.songId, source: c.songIdSource })),
    model,
  );
  if (!check) return undefined;
  if (check.clips > 0)
    throw new EmotuneError('reference clips from songs the classifier was trained on', {
      file: join(dataDir, 'labels.csv'),
      field: 'split',
      expected: `a split with no song the classifier was trained on, such as EMOPIA's "val" for the built-in one: on seen songs the emotion ceiling would be training accuracy`,
      found: `${check.clips} of ${rows.length} clips of "${split}" (${check.songs} songs)`,
      code: 'reference.split',
    });
  if (!check.comparable)
    return `${join(dataDir, 'labels.csv')}: split "${split}" is not shown to hold no song the classifier was trained on: ${incomparableReason(check)} (give labels.csv a song_id column)`;
  return undefined;
}

export async function buildReferenceStats(
  dataDir: string,
  options: ReferenceBuildOptions = {},
): Promise<ReferenceStats> {
  const split = options.split ?? 'val';
  const scaleSplit = options.scaleSplit ?? 'train';
  const model = options.model ?? loadClassifier();
  const draws = options.draws ?? FRECHET_DRAWS;
  const seed = options.seed ?? REFERENCE_SEED;
  const all = readEmopiaLabels(dataDir);
  const unchecked = checkReferenceSongs(all, split, model, dataDir);
  if (unchecked) options.onWarning?.(unchecked);
  const total = all.filter((c) => c.split === split || c.split === scaleSplit).length;
  let done = 0;
  const tick = () => options.onClip?.(++done, total);
  // labels.csv read once, above: the splits are taken from it.
  const ref = await readClips(dataDir, all, split, model, tick);
  const scale = await readClips(dataDir, all, scaleSplit, model, tick);
  for (const [name, clips] of [
    [split, ref],
    [scaleSplit, scale],
  ] as const) {
    if (clips.length < 2)
      throw new EmotuneError('too few clips in a split', {
        file: join(dataDir, 'labels.csv'),
        field: 'split',
        expected: `at least 2 rows with split "${name}"`,
        found: String(clips.length),
        code: 'reference.split',
      });
  }
  const standardization = columnStats(scale.map((c) => c.features));
  const z = (c: Clip) => standardizeVector(c.features, standardization);

  const quadrants: ReferenceQuadrant[] = [];
  const next = mulberry32(seed);
  for (const q of [1, 2, 3, 4]) {
    const r = ref.filter((c) => c.quadrant === q);
    const s = scale.filter((c) => c.quadrant === q);
    if (r.length < 2 || s.length < 2) {
      throw new EmotuneError('too few clips of a quadrant', {
        file: join(dataDir, 'labels.csv'),
        field: `Q${q}`,
        expected: `at least 2 clips in "${split}" and "${scaleSplit}"`,
        found: `${r.length} and ${s.length}`,
        code: 'reference.split',
      });
    }
    const gRef = fitGaussian(r.map(z));
    const sqrtRef = sqrtPsd(new Matrix(gRef.cov));
    const sVectors = s.map(z);
    const byN: ReferenceQuadrant['frechet_scale']['by_n'] = [];
    for (const n of FRECHET_SCALE_SIZES) {
      if (n > s.length) break;
      const ds: number[] = [];
      for (let i = 0; i < draws; i++)
        ds.push(frechetDistance(gRef, fitGaussian(drawIndices(next, s.length, n).map((k) => sVectors[k]!)), sqrtRef));
      ds.sort((a, b) => a - b);
      byN.push({
        n,
        mean: ds.reduce((a, b) => a + b, 0) / ds.length,
        lower: quantile(ds, 0.05),
        upper: quantile(ds, 0.95),
      });
    }
    const quality: ReferenceQuadrant['quality'] = {};
    const qualityScale: ReferenceQuadrant['quality_scale'] = {};
    for (const m of QUALITY_METRIC_NAMES) {
      const rv = r.map((c) => c.quality[m]);
      quality[m] = rv.map((v) => (Number.isFinite(v) ? v : null));
      const finite = (xs: number[]) => xs.filter(Number.isFinite);
      qualityScale[m] = compareDistanceDistributions(
        intraSetDistances(finite(rv)),
        interSetDistances(finite(s.map((c) => c.quality[m])), finite(rv)),
      );
    }
    quadrants.push({
      quadrant: q,
      clips: r.length,
      songs: new Set(r.map((c) => c.songId)).size,
      feature_mean: gRef.mean,
      feature_cov: gRef.cov,
      frechet_scale: {
        full: { n: s.length, distance: frechetDistance(gRef, fitGaussian(sVectors), sqrtRef) },
        by_n: byN,
      },
      quality,
      quality_scale: qualityScale,
    });
  }

  let key: ReferenceStats['ceiling']['key'] = null;
  if (options.keys) {
    const v = validateKeyMethods(options.keys.pieces, [REFERENCE_KEY_METHOD, RECOMMENDED_KEY_METHOD], { seed });
    key = {
      data: options.keys.data,
      pieces: options.keys.pieces.length,
      methods: [REFERENCE_KEY_METHOD, RECOMMENDED_KEY_METHOD].map((method) => {
        const f = v.figures.find((x) => x.method === method && x.group === 'all')!;
        return { method, successes: f.categories.correct, trials: f.n, mirex: f.mirex.estimate };
      }),
    };
  }

  return {
    format: REFERENCE_FORMAT,
    version: REFERENCE_VERSION,
    source: {
      dataset: 'EMOPIA 1.0',
      credit:
        'Hung, Ching, Doh, Kim, Nam & Yang, "EMOPIA: A Multi-Modal Pop Piano Dataset for Emotion Recognition and Emotion-based Music Generation", ISMIR 2021',
      licence: 'CC BY 4.0',
      split,
      clips: ref.length,
      songs: new Set(ref.map((c) => c.songId)).size,
      scale_split: scaleSplit,
      scale_clips: scale.length,
    },
    built_with: {
      classifier_sha256: classifierFingerprint(model),
      feature_names: [...FEATURE_NAMES],
      quality_resolution: QUALITY_RESOLUTION,
      frechet_draws: draws,
      seed,
    },
    standardization,
    ceiling: {
      emotion: {
        confusion: quadrantConfusion(ref.map((c) => [c.quadrant, c.detected] as const)),
        overall: count(ref, (c) => c.detected === c.quadrant),
        per_quadrant: [1, 2, 3, 4].map((q) => ({
          quadrant: q,
          ...count(
            ref.filter((c) => c.quadrant === q),
            (c) => c.detected === q,
          ),
        })),
        arousal: count(ref, (c) => isHighArousal(c.detected) === isHighArousal(c.quadrant)),
        valence: count(ref, (c) => isHighValence(c.detected) === isHighValence(c.quadrant)),
      },
      key,
    },
    quadrants,
  };
}

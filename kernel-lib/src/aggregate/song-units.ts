import { resolve } from 'node:path';
import { tryParseKey } from '../formats/key-names.js';
import { mirexScore } from '../metrics/key-methods/mirex.js';
import type { OutOfRangeFeature } from '../metrics/emotion-builtin/ranges.js';
import { QUALITY_METRIC_NAMES } from '../metrics/quality/index.js';
import type { ExtendedRunInput, Figure } from './extended-results.js';
import type { RunLike } from './rows.js';
import type { BootstrapOptions } from '../stats/bootstrap.js';
import { clusterBootstrapRatio } from '../stats/cluster-bootstrap.js';

/**
 * Songs as the unit of analysis. Every figure is a ratio of sums over songs — matches / steps for the
 * reference notebook's step ratios, hits / files for emotion and key, values / files for per-file means — and its
 * interval resamples songs, never steps or notes. Exact copies of a song form one cluster (transposed
 * copies too, except for key figures), so a repeated song counts once in the interval and in `n_distinct`.
 */

/** One song's share of a figure: numerator and denominator of the figure's ratio of sums. */
export interface SongContribution {
  metric: string;
  num: number;
  den: number;
  /** A count ratio (successes / trials are reported), not a mean of values. */
  count: boolean;
}

export interface SongUnit {
  /** The MIDI file (or the meta file when the song has no readable MIDI). */
  id: string;
  run: RunLike;
  /** The grid cell: model, mode, emotion, key, subset and condition values of its run. */
  cell: string;
  /** Cluster for every figure but key: the transposition-free note stream (the song's own id when unknown). */
  transposed: string;
  /** Cluster for key figures: the exact note stream. */
  exact: string;
  contributions: SongContribution[];
  /** Classifier input features outside the training range (checked only when a classifier is configured). */
  outOfRange?: OutOfRangeFeature[];
}

/** Figures whose cluster is the exact note stream: a transposed copy is a different answer for the key. */
const isKeyFigure = (metric: string) => metric.startsWith('key_');

/** What names a grid cell (a run record or a planned run). */
export type GridCellLike = Pick<RunLike, 'model' | 'mode' | 'emotion' | 'key' | 'subset' | 'conditions'>;

/** A grid cell: the run's conditions when known (runs of one row differ only in them), else its row. */
export function gridCellOf(run: GridCellLike): string {
  return JSON.stringify([run.model, run.mode, run.emotion, run.key ?? null, run.subset, run.conditions ?? null]);
}

/** The cell without model and mode: what two modes of one model are paired on. */
export function pairingCellOf(run: GridCellLike): string {
  return JSON.stringify([run.emotion, run.key ?? null, run.subset, run.conditions ?? null]);
}

/** A readable name for a grid cell: `scratch inference-primed Q1 C:maj duration=Note_Duration_1080`. */
export function cellLabel(run: GridCellLike): string {
  const conditions =
    run.conditions && Object.keys(run.conditions).length > 0
      ? Object.entries(run.conditions).map(([k, v]) => `${k}=${v}`)
      : run.subset;
  return [run.model, run.mode, `Q${run.emotion}`, ...(run.key ? [run.key] : []), ...conditions].join(' ');
}

const stem = (path: string) => path.replace(/\.meta\.json$|\.mid$/i, '');

/** The songs of one run with every figure's contribution (pure). */
export function songUnits(r: ExtendedRunInput): SongUnit[] {
  const cell = gridCellOf(r.run);
  const songs = new Map<string, SongUnit>();
  const byStem = new Map<string, string>();
  const song = (id: string): SongUnit => {
    let s = songs.get(id);
    // Until its notes are known, a song is its own cluster (the run folder makes the name unique).
    const own = `file:${r.run.out_dir}\u0000${id}`;
    if (!s) songs.set(id, (s = { id, run: r.run, cell, transposed: own, exact: own, contributions: [] }));
    return s;
  };
  const ref = r.run.key ? tryParseKey(r.run.key) : null;
  let perFileEmotion = false;
  for (const m of r.midiFiles) {
    const id = resolve(m.midi);
    byStem.set(stem(id), id);
    const s = song(id);
    if (m.identity) {
      s.transposed = m.identity.transposed;
      s.exact = m.identity.exact;
    }
    if (m.outOfRange) s.outOfRange = m.outOfRange;
    if (m.emotion !== undefined) {
      perFileEmotion = true;
      s.contributions.push({
        metric: 'emotion_adherence',
        num: m.emotion === r.run.emotion ? 1 : 0,
        den: 1,
        count: true,
      });
    }
    if (ref) {
      for (const [suffix, detected] of [
        ['', m.keyReference],
        ['_best', m.keyBest],
      ] as const) {
        const d = tryParseKey(detected);
        const score = d ? mirexScore(d, ref) : NaN;
        s.contributions.push({ metric: `key_adherence${suffix}`, num: score === 1 ? 1 : 0, den: 1, count: true });
        if (Number.isFinite(score))
          s.contributions.push({ metric: `key_mirex${suffix}`, num: score, den: 1, count: false });
      }
    }
    for (const name of QUALITY_METRIC_NAMES) {
      const v = m.quality[name];
      s.contributions.push({
        metric: `quality_${name}`,
        num: Number.isFinite(v) ? v : NaN,
        den: Number.isFinite(v) ? 1 : 0,
        count: false,
      });
    }
  }
  for (const f of r.tokenFiles) {
    const id = f.midi ? resolve(f.midi) : (byStem.get(stem(resolve(f.meta))) ?? resolve(f.meta));
    const s = song(id);
    for (const t of f.note) {
      s.contributions.push({
        metric: `${t.token}_adherence`,
        num: t.allSteps.matches,
        den: t.allSteps.total,
        count: true,
      });
      s.contributions.push({ metric: `${t.token}_note_adherence`, num: t.matches, den: t.noteSteps, count: true });
      if (t.distance)
        s.contributions.push({ metric: `${t.token}_note_distance`, num: t.distance.mean, den: 1, count: false });
    }
  }
  // Emotion counts without per-file predictions (older inputs): the run is one unit.
  if (!perFileEmotion && r.emotion && r.emotion.total > 0) {
    song(`run:${r.run.out_dir}`).contributions.push({
      metric: 'emotion_adherence',
      num: r.emotion.matches,
      den: r.emotion.total,
      count: true,
    });
  }
  return [...songs.values()];
}

/** Distinct songs (transposition-free note streams) among songs. */
export function distinctSongs(songs: readonly SongUnit[]): number {
  return new Set(songs.map((s) => s.transposed)).size;
}

/** Songs that hold figures (not run-level stand-ins). */
export function realSongs(songs: readonly SongUnit[]): SongUnit[] {
  return songs.filter((s) => !s.id.startsWith('run:'));
}

/** Per metric, per cluster: summed numerator and denominator; plus per-song ratios and count totals. */
function byMetric(songs: readonly SongUnit[]) {
  const out = new Map<
    string,
    { clusters: Map<string, [number, number]>; count: boolean; successes: number; trials: number; songs: number }
  >();
  for (const s of songs) {
    for (const c of s.contributions) {
      let m = out.get(c.metric);
      if (!m) out.set(c.metric, (m = { clusters: new Map(), count: c.count, successes: 0, trials: 0, songs: 0 }));
      if (!(c.den > 0) || !Number.isFinite(c.num)) continue;
      const key = isKeyFigure(c.metric) ? s.exact : s.transposed;
      const acc = m.clusters.get(key) ?? [0, 0];
      acc[0] += c.num;
      acc[1] += c.den;
      m.clusters.set(key, acc);
      m.successes += c.num;
      m.trials += c.den;
      m.songs++;
    }
  }
  return out;
}

/** Every figure of a group of songs with its song-level cluster-bootstrap interval. */
export function figuresOfSongs(songs: readonly SongUnit[], bootstrap: BootstrapOptions): Record<string, Figure> {
  const out: Record<string, Figure> = {};
  for (const [metric, m] of [...byMetric(songs).entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) {
    if (m.count && m.trials === 0) continue;
    const clusters = [...m.clusters.values()];
    const interval = clusterBootstrapRatio(
      clusters.map((c) => c[0]),
      clusters.map((c) => c[1]),
      bootstrap,
    );
    out[metric] = { ...interval, ...(m.count ? { successes: m.successes, trials: m.trials } : {}), n_songs: m.songs };
  }
  return out;
}

/** Per metric, the figure's value over the songs (ratio of sums), without an interval: a paired cell's value. */
export function valuesOfSongs(songs: readonly SongUnit[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const [metric, m] of byMetric(songs)) if (m.trials > 0) out.set(metric, m.successes / m.trials);
  return out;
}

/** Per metric, every song's own value (numerator / denominator): the spread a constant figure lacks. */
export function perSongValues(songs: readonly SongUnit[]): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const s of songs) {
    for (const c of s.contributions) {
      if (!(c.den > 0) || !Number.isFinite(c.num)) continue;
      const list = out.get(c.metric) ?? [];
      list.push(c.num / c.den);
      out.set(c.metric, list);
    }
  }
  return out;
}

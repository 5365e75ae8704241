import { writeJsonAtomic } from '../formats/atomic-write.js';
import { readMeta } from '../formats/meta.js';
import { readMidi } from '../formats/midi-read.js';
import { readNpy } from '../formats/npy.js';
import type { MidiScore, Word2Event } from '../formats/types.js';
import { resolve } from 'node:path';
import pLimit from 'p-limit';
import { readInputFile } from '../formats/read-input.js';
import { outOfRangeFeatures, type OutOfRangeFeature } from '../metrics/emotion-builtin/ranges.js';
import type { NoteAdherence } from '../metrics/note-adherence.js';
import type { QualityMetrics } from '../metrics/quality/index.js';
import { RECOMMENDED_KEY_METHOD, REFERENCE_KEY_METHOD } from '../metrics/key-methods/methods.js';
import {
  midiFigures,
  midiFilesOf,
  newFileFigures,
  READS_IN_FLIGHT,
  noteFigures,
  type FileFigures,
} from './file-figures.js';
import type { AnalysisResult } from './analyze-experiment.js';
import { resolveOutDir } from './analyze-experiment.js';
import type { RunLike } from './rows.js';
import type { SongIdentity } from './song-identity.js';
import {
  distinctSongs,
  figuresOfSongs,
  pairingCellOf,
  realSongs,
  songUnits,
  valuesOfSongs,
  type GridCellLike,
  type SongUnit,
} from './song-units.js';
import { DEFAULT_BOOTSTRAP_SEED, type BootstrapOptions } from '../stats/bootstrap.js';
import type { Interval } from '../stats/interval.js';
import { adjustPairedComparisons, pairedComparison, type PairedComparison } from '../stats/paired.js';
import { tokenFloors, type TokenFloor } from './token-floors.js';
import { validityWarnings, type RunStatusLike, type ValidityWarning } from './warnings.js';
import { errorMessage } from '../errors.js';

/**
 * `evaluation_results_extended.json`: the reference notebook's figures again with intervals, plus note-level token
 * adherence, key figures under the reference notebook's and the recommended key method (exact + MIREX), and
 * music-quality metrics, per (model, mode, emotion, key, subset) row, per (model, mode), and paired between modes over
 * the same grid cells. The reference notebook's own results file is left untouched.
 *
 * Songs are the unit (song-units.ts): every figure is a ratio of sums over songs and its interval is a
 * song-level cluster bootstrap (copies of one song resampled together), never steps or notes. A figure
 * over fewer than two distinct songs has no interval (NaN bounds). Paired mode comparisons pair grid cells,
 * test with the exact Wilcoxon signed-rank test, and are Holm/BH-adjusted across the file; `warnings`
 * lists what can make a figure mislead (docs/methodology.md).
 */

/** What the extended file needs per run, collected from the run folder. */
export interface ExtendedRunInput {
  run: RunLike;
  /** Per token file (meta + npy): note-level adherence; empty for forced runs (adherent by construction). `midi`: the song's MIDI file. */
  tokenFiles: Array<{ meta: string; note: NoteAdherence[]; midi?: string }>;
  /**
   * Per MIDI file (one song): quality metrics, the key under the reference notebook's and the recommended method, and
   * when known the predicted quadrant, the note-stream identity and the classifier features out of training range.
   */
  midiFiles: Array<{
    midi: string;
    quality: QualityMetrics;
    keyReference: string;
    keyBest: string;
    emotion?: number;
    identity?: SongIdentity;
    outOfRange?: OutOfRangeFeature[];
  }>;
  /** Emotion counts as the reference notebook's analysis found them (files classified, files matching). */
  emotion?: { matches: number; total: number };
  problems: Array<{ file: string; reason: string }>;
}

/** A figure with its interval (`n` = distinct songs resampled); `successes`/`trials` for pooled proportions. */
export interface Figure extends Interval {
  successes?: number;
  trials?: number;
  /** Songs (files) the figure rests on, copies included. */
  n_songs?: number;
}

export interface ExtendedRow {
  model: string;
  mode: string;
  emotion: number;
  key: string | null;
  subset: string[];
  runs: number;
  files: { tokens: number; midi: number };
  /** Songs (files) in the row, and distinct ones (exact copies and transposed copies removed). */
  n_songs: number;
  n_distinct: number;
  figures: Record<string, Figure>;
}

export interface ModeComparison {
  model: string;
  a: string;
  b: string;
  metric: string;
  /** a - b over the grid cells (emotion, key, subset, condition values) both modes have. */
  comparison: PairedComparison;
  /** Songs of both modes in the paired cells, and distinct ones. */
  n_songs: number;
  n_distinct: number;
}

export interface RunHistogram {
  model: string;
  mode: string;
  emotion: number;
  key: string | null;
  subset: string[];
  out_dir: string;
  token: string;
  target: { index: number; label: string };
  /** Generated values at note steps, summed over the run's files. */
  histogram: Array<{ index: number; label: string; count: number; value?: number; isTarget: boolean }>;
}

export interface ExtendedResults {
  format: 'emotune.extended-results';
  version: 1;
  settings: {
    /** The reference notebook's key method (the output name is kept: docs/architecture.md, glossary). */
    key_method_seed: string;
    key_method_best: string;
    bootstrap: { seed: number; resamples: number; confidence: number };
    quality_resolution: number;
  };
  definitions: Record<string, string>;
  rows: ExtendedRow[];
  modes: Array<{
    model: string;
    mode: string;
    cells: number;
    files: { tokens: number; midi: number };
    n_songs: number;
    n_distinct: number;
    figures: Record<string, Figure>;
    /** Per token figure, its label-shuffled floor (token-floors.ts); absent when nothing could be shuffled. */
    floors?: Record<string, TokenFloor>;
  }>;
  paired: ModeComparison[];
  histograms: RunHistogram[];
  /** Files that count in no figure; `stage` and `run` are set for analysis problems (see problems.ts). */
  problems: Array<{ file: string; reason: string; stage?: string; run?: string }>;
  /** What can make a figure above mislead (warnings.ts); `emotune analyze --strict` fails when any is present. */
  warnings: ValidityWarning[];
}

/** What buildExtendedResults needs beyond the runs' files to raise every warning. */
export interface ExtendedOptions extends BootstrapOptions {
  /** Every run record, failed ones included. */
  runs?: readonly RunStatusLike[];
  /** The planned grid. */
  planned?: readonly GridCellLike[];
  /** Files the reference notebook's analysis could not read or classify (beside the inputs' own problems). */
  analysisProblems?: ReadonlyArray<{ file: string; reason: string; stage?: string }>;
  /** Which classifier produced the emotion figures. */
  classifier?: 'builtin' | 'external';
  /** Which generator wrote the songs (the embedded one was tuned with the built-in classifier). */
  generator?: 'embedded' | 'external';
  /** The emotion figures come from the committed built-in model (not `--model` another file). */
  committedClassifier?: boolean;
}

export const EXTENDED_DEFINITIONS: Record<string, string> = {
  '<token>_adherence':
    "the reference notebook's ratio: steps equal to the target / all CP steps, pooled over songs; song-level cluster bootstrap",
  '<token>_note_adherence':
    'steps whose `type` label is Note and equal the target / note steps, pooled over songs; song-level cluster bootstrap',
  '<token>_adherence_floor':
    "label-shuffled floor of the token's all-steps ratio (modes[].floors): the same songs, each scored against the value another song of its grid cell was asked for (emotion, key and the other tokens' values kept; cells where one value was asked are left out), 1000 seeded permutations (1000 more per 20 floors beyond 20 in the file); mean, 95% range and the one-sided p of the observed figure, Holm-adjusted over every floor of the file. What a generator ignoring the token's condition would score",
  '<token>_note_adherence_floor':
    "label-shuffled floor of the token's note-step ratio, shuffled as the all-steps floor (modes[].floors)",
  '<token>_note_distance':
    'per file, mean |number(generated) - number(target)| over note steps; mean over files with a bootstrap over songs',
  emotion_adherence:
    'files whose predicted quadrant equals the requested emotion / files classified; bootstrap over songs',
  key_adherence:
    'files whose key (reference method, KK cosine) equals the requested key / files; bootstrap over songs (transposed copies distinct)',
  n_songs: 'songs (generated files) a figure, row, mode or paired test rests on',
  n_distinct:
    'songs left after removing exact duplicates of the note stream (pitches, onsets, durations, velocities) and transposed copies',
  paired:
    'a - b over grid cells both modes have: exact Wilcoxon signed-rank (normal approximation above 25 pairs), exact sign test, mean difference with bootstrap interval, rank-biserial r; p_adjusted = Holm over every paired test of the file, q_value = Benjamini-Hochberg; verdict "too few pairs" under 10 pairs',
  key_mirex: 'mean MIREX weighted key score (reference method) over files; bootstrap interval',
  key_adherence_best: 'as key_adherence with the recommended key method',
  key_mirex_best: 'as key_mirex with the recommended key method',
  quality_pitch_class_entropy:
    'muspy pitch_class_entropy (bits), mean over files; bootstrap. All quality_* figures read the file as muspy.read_midi does (FIFO note pairing) at 24 ticks per beat',
  quality_scale_consistency: 'muspy scale_consistency, mean over files; bootstrap',
  quality_pitch_range: 'muspy pitch_range (semitones), mean over files; bootstrap',
  quality_polyphony: 'muspy polyphony (mean pitches sounding when any sounds), mean over files; bootstrap',
  quality_empty_beat_rate: 'muspy empty_beat_rate, mean over files; bootstrap',
  quality_groove_consistency: 'muspy groove_consistency at 24 ticks per beat, mean over files; bootstrap',
  quality_note_density:
    "this project's own descriptor (not muspy): pitched notes per beat of song length, mean over files; bootstrap",
};

/**
 * Reads what the extended file needs from the run folders of an analysis: note-level adherence for the token
 * files the reference notebook analysed, and quality metrics and keys for every MIDI file of every analysed run. Figures
 * the analysis already computed (`figures`, from the same read) are taken as they are; other files are read
 * here, a bounded number at a time, results kept in file order, and their figures added to `figures`.
 * Unreadable files are listed in `problems`, never fatal.
 * @example
 * ```ts
 * const inputs = await et.collectExtendedInputs(analysis, { expDir: config.paths.exp, word2eventByModel: vocabs });
 * const extended = et.buildExtendedResults(inputs, { seed: config.random_seed });
 * ```
 */
export async function collectExtendedInputs(
  analysis: Pick<AnalysisResult, 'tokenReports' | 'emotionKeyReports'> & { figures?: FileFigures },
  options: {
    expDir: string;
    word2eventByModel: Record<string, Word2Event> | Map<string, Word2Event>;
    readMidi?: (path: string) => Promise<MidiScore>;
    /** Training ranges of the classifier's input features: each song's features are checked against them. */
    classifierRanges?: Record<string, [number, number]>;
  },
): Promise<ExtendedRunInput[]> {
  const w2e = (model: string): Word2Event | undefined =>
    options.word2eventByModel instanceof Map
      ? options.word2eventByModel.get(model)
      : Object.hasOwn(options.word2eventByModel, model)
        ? options.word2eventByModel[model]
        : undefined;
  const read = options.readMidi ?? readMidi;
  const figures = analysis.figures ?? newFileFigures();
  const limit = pLimit(READS_IN_FLIGHT);
  const byRun = new Map<RunLike, ExtendedRunInput>();
  const entry = (run: RunLike) => {
    let e = byRun.get(run);
    if (!e) byRun.set(run, (e = { run, tokenFiles: [], midiFiles: [], problems: [] }));
    return e;
  };
  type Got<T> = { ok: true; value: T } | { ok: false; reason: string };
  const attempt = <T>(fn: () => Promise<T>) =>
    limit(async (): Promise<Got<T>> => {
      try {
        return { ok: true, value: await fn() };
      } catch (err) {
        return { ok: false, reason: errorMessage(err) };
      }
    });
  for (const report of analysis.tokenReports) {
    const e = entry(report.run);
    const word2event = w2e(report.run.model);
    const notes = await Promise.all(
      report.files.map((f) =>
        attempt(async () => {
          if (!word2event)
            throw new Error(`no word2event for model ${report.run.model}: note steps cannot be told apart`);
          const known = figures.note.get(f.meta);
          if (known) return known;
          const meta = await readMeta(f.meta);
          return noteFigures(meta, await readNpy(meta.paths.npy), word2event, f.meta);
        }),
      ),
    );
    report.files.forEach((f, i) => {
      const got = notes[i]!;
      if (got.ok) e.tokenFiles.push({ meta: f.meta, note: got.value.note, midi: got.value.midi });
      else e.problems.push({ file: f.meta, reason: got.reason });
    });
  }
  for (const report of analysis.emotionKeyReports) {
    const e = entry(report.run);
    const ea = report.emotion_adherence;
    if (ea && ea.total > 0) e.emotion = { matches: ea.matches, total: ea.total };
    const predicted = new Map((ea?.predictions ?? []).map((p) => [resolve(p.file), p.emotion]));
    let files: string[] = [];
    try {
      files = await midiFilesOf(figures, resolveOutDir(options.expDir, report.run.out_dir));
    } catch (err) {
      e.problems.push({ file: report.run.out_dir, reason: errorMessage(err) });
    }
    const got = await Promise.all(
      files.map((midi) =>
        attempt(async () => {
          const known = figures.midi.get(midi);
          if (known) return known;
          const computed = midiFigures(await read(midi), await readInputFile(midi, 'midi'), midi);
          figures.midi.set(midi, computed); // kept with the analysis: the reference block reads no file twice
          return computed;
        }),
      ),
    );
    files.forEach((midi, i) => {
      const g = got[i]!;
      if (!g.ok) {
        e.problems.push({ file: midi, reason: g.reason });
        return;
      }
      const { features, ...figure } = g.value;
      const emotion = predicted.get(resolve(midi));
      e.midiFiles.push({
        midi,
        ...figure,
        ...(emotion !== undefined ? { emotion } : {}),
        ...(options.classifierRanges
          ? { outOfRange: features ? outOfRangeFeatures(options.classifierRanges, features) : [] }
          : {}),
      });
    });
  }
  return [...byRun.values()];
}

const rowKey = (run: RunLike) => JSON.stringify([run.model, run.mode, run.emotion, run.key ?? null, run.subset]);
const modeKey = (run: RunLike) => JSON.stringify([run.model, run.mode]);

function groupBy<T>(items: readonly T[], key: (t: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const t of items) {
    const k = key(t);
    const list = out.get(k);
    if (list) list.push(t);
    else out.set(k, [t]);
  }
  return out;
}

/**
 * Builds the extended results from collected inputs (pure; same inputs and seed give the same file).
 * @example
 * ```ts
 * const extended = et.buildExtendedResults(await et.collectExtendedInputs(analysis, { expDir: config.paths.exp, word2eventByModel: vocabs }), { seed: config.random_seed });
 * et.showTable(et.modeSummaryRecords(extended), { title: "Per mode, with 95% intervals" });
 * ```
 */
export function buildExtendedResults(
  inputs: readonly ExtendedRunInput[],
  options: ExtendedOptions = {},
): ExtendedResults {
  const bootstrap = {
    seed: options.seed ?? DEFAULT_BOOTSTRAP_SEED,
    resamples: options.resamples ?? 2000,
    confidence: options.confidence ?? 0.95,
  };
  const songs: SongUnit[] = inputs.flatMap(songUnits);
  const count = (group: readonly ExtendedRunInput[]) => ({
    files: {
      tokens: group.reduce((a, r) => a + r.tokenFiles.length, 0),
      midi: group.reduce((a, r) => a + r.midiFiles.length, 0),
    },
  });
  const songCounts = (group: readonly SongUnit[]) => ({
    n_songs: realSongs(group).length,
    n_distinct: distinctSongs(realSongs(group)),
  });

  const songsByRow = groupBy(songs, (s) => rowKey(s.run));
  const rows: ExtendedRow[] = [...groupBy(inputs, (r) => rowKey(r.run)).entries()].map(([k, group]) => {
    const run = group[0]!.run;
    const rowSongs = songsByRow.get(k) ?? [];
    return {
      model: run.model,
      mode: run.mode,
      emotion: run.emotion,
      key: run.key ?? null,
      subset: [...run.subset],
      runs: group.length,
      ...count(group),
      ...songCounts(rowSongs),
      figures: figuresOfSongs(rowSongs, bootstrap),
    };
  });
  const songsByMode = groupBy(songs, (s) => modeKey(s.run));
  const floors = tokenFloors(inputs, { seed: bootstrap.seed });
  const modes = [...groupBy(inputs, (r) => modeKey(r.run)).entries()].map(([k, group]) => {
    const modeSongs = songsByMode.get(k) ?? [];
    const modeFloors = floors.get(k);
    return {
      model: group[0]!.run.model,
      mode: group[0]!.run.mode,
      cells: new Set(group.map((r) => pairingCellOf(r.run))).size,
      ...count(group),
      ...songCounts(modeSongs),
      figures: figuresOfSongs(modeSongs, bootstrap),
      ...(modeFloors ? { floors: modeFloors } : {}),
    };
  });

  // Paired comparisons: per model, every pair of modes, every metric both have, over the grid cells both
  // modes ran (emotion, key, subset, condition values); each cell's value is its songs' ratio of sums.
  const unadjusted: ModeComparison[] = [];
  const models = [...new Set(rows.map((r) => r.model))];
  for (const model of models) {
    const modeNames = [...new Set(rows.filter((r) => r.model === model).map((r) => r.mode))];
    const cellsOf = (mode: string) =>
      groupBy(
        songs.filter((s) => s.run.model === model && s.run.mode === mode),
        (s) => pairingCellOf(s.run),
      );
    const values = new Map(
      modeNames.map((mode) => [
        mode,
        new Map([...cellsOf(mode).entries()].map(([cell, ss]) => [cell, { songs: ss, values: valuesOfSongs(ss) }])),
      ]),
    );
    for (let i = 0; i < modeNames.length; i++) {
      for (let j = i + 1; j < modeNames.length; j++) {
        const a = modeNames[i]!;
        const b = modeNames[j]!;
        const ca = values.get(a)!;
        const cb = values.get(b)!;
        const metrics = new Set<string>();
        for (const c of ca.values()) for (const m of c.values.keys()) metrics.add(m);
        for (const metric of [...metrics].sort()) {
          const pick = (cells: typeof ca) =>
            new Map(
              [...cells.entries()]
                .filter(([, c]) => c.values.has(metric))
                .map(([cell, c]) => [cell, c.values.get(metric)!]),
            );
          const va = pick(ca);
          const vb = pick(cb);
          const shared = [...va.keys()].filter((k) => vb.has(k));
          if (shared.length === 0) continue;
          const pairedSongs = shared.flatMap((cell) => [...ca.get(cell)!.songs, ...cb.get(cell)!.songs]);
          unadjusted.push({
            model,
            a,
            b,
            metric,
            comparison: pairedComparison(va, vb, bootstrap),
            ...songCounts(pairedSongs),
          });
        }
      }
    }
  }
  const adjusted = adjustPairedComparisons(unadjusted.map((p) => p.comparison));
  const paired = unadjusted.map((p, i) => ({ ...p, comparison: adjusted[i]! }));

  const problems = inputs.flatMap((r) => r.problems);
  const warnings = validityWarnings({
    songs,
    modes: modes.map((m) => ({
      model: m.model,
      mode: m.mode,
      songs: songsByMode.get(JSON.stringify([m.model, m.mode])) ?? [],
    })),
    runs: options.runs,
    planned: options.planned,
    problems: [...(options.analysisProblems ?? []), ...problems],
    classifier: options.classifier,
    generator: options.generator,
    committedClassifier: options.committedClassifier,
    floors: modes.flatMap((m) =>
      Object.entries(m.floors ?? {}).map(([figure, floor]) => ({
        model: m.model,
        mode: m.mode,
        figure,
        observed: floor.observed,
        floor,
      })),
    ),
  });

  const histograms: RunHistogram[] = [];
  for (const r of inputs) {
    const byToken = new Map<string, RunHistogram>();
    for (const f of r.tokenFiles) {
      for (const t of f.note) {
        let h = byToken.get(t.token);
        if (!h) {
          h = {
            model: r.run.model,
            mode: r.run.mode,
            emotion: r.run.emotion,
            key: r.run.key ?? null,
            subset: [...r.run.subset],
            out_dir: r.run.out_dir,
            token: t.token,
            target: { index: t.targetIndex, label: t.targetLabel },
            histogram: [],
          };
          byToken.set(t.token, h);
        }
        for (const v of t.histogram) {
          const existing = h.histogram.find((x) => x.index === v.index);
          if (existing) existing.count += v.count;
          else h.histogram.push({ ...v });
        }
      }
    }
    for (const h of byToken.values()) {
      h.histogram.sort((x, y) => x.index - y.index);
      histograms.push(h);
    }
  }

  return {
    format: 'emotune.extended-results',
    version: 1,
    settings: {
      key_method_seed: REFERENCE_KEY_METHOD,
      key_method_best: RECOMMENDED_KEY_METHOD,
      bootstrap,
      quality_resolution: 24,
    },
    definitions: EXTENDED_DEFINITIONS,
    rows,
    modes,
    paired,
    histograms,
    problems,
    warnings,
  };
}

/** JSON cannot hold NaN: undefined figures are written as null. */
function nanToNull(_key: string, value: unknown): unknown {
  return typeof value === 'number' && !Number.isFinite(value) ? null : value;
}

/**
 * Writes `evaluation_results_extended.json` atomically (NaN written as null).
 * @example
 * ```ts
 * await et.writeExtendedResults(path.join(config.paths.exp, "evaluation_results_extended.json"), extended);
 * ```
 */
export async function writeExtendedResults(path: string, results: ExtendedResults): Promise<void> {
  await writeJsonAtomic(path, JSON.parse(JSON.stringify(results, nanToNull)));
}

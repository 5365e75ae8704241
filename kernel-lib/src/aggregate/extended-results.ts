import { writeJsonAtomic } from '../formats/atomic-write.js';
import { readMeta } from '../formats/meta.js';
import { readMidi } from '../formats/midi-read.js';
import { readNpy } from '../formats/npy.js';
import type { MidiScore, Word2Event } from '../formats/types.js';
import { tryParseKey } from '../formats/key-names.js';
import { RECOMMENDED_KEY_METHOD, SEED_KEY_METHOD, detectKeyWith } from '../metrics/key-methods/methods.js';
import { mirexScore } from '../metrics/key-methods/mirex.js';
import { noteAdherence, type NoteAdherence } from '../metrics/note-adherence.js';
import { QUALITY_METRIC_NAMES, qualityMetrics, type QualityMetrics } from '../metrics/quality/index.js';
import { listMidiFiles } from '../metrics/run-emotion-key.js';
import type { AnalysisResult } from './analyze-experiment.js';
import { resolveOutDir } from './analyze-experiment.js';
import type { RunLike } from './rows.js';
import { DEFAULT_BOOTSTRAP_SEED, bootstrapMean, type BootstrapOptions } from './stats/bootstrap.js';
import type { Interval } from './stats/interval.js';
import { pairedComparison, type PairedComparison } from './stats/paired.js';
import { wilsonInterval } from './stats/wilson.js';

/**
 * `evaluation_results_extended.json`: the seed's figures again with intervals, plus note-level token
 * adherence, key figures under the seed and the recommended key method (exact + MIREX), and music-quality
 * metrics, per (model, mode, emotion, key, subset) row, per (model, mode), and paired between modes over the
 * same grid cells. The seed's own results file is left untouched.
 *
 * Interval units: ratios pool step (or file) counts into one Wilson interval, which treats steps as
 * independent trials (optimistic when a song's steps are correlated); means take a percentile bootstrap
 * over files (songs), the independent unit. A row holding one song therefore gets a zero-width bootstrap
 * interval: a honest sign that one song per cell cannot show uncertainty.
 */

/** What the extended file needs per run, collected from the run folder. */
export interface ExtendedRunInput {
  run: RunLike;
  /** Per token file (meta + npy): note-level adherence; empty for forced runs (adherent by construction). */
  tokenFiles: Array<{ meta: string; note: NoteAdherence[] }>;
  /** Per MIDI file: quality metrics and the key under the seed and the recommended method. */
  midiFiles: Array<{ midi: string; quality: QualityMetrics; keySeed: string; keyBest: string }>;
  /** Emotion counts as the seed's analysis found them (files classified, files matching). */
  emotion?: { matches: number; total: number };
  problems: Array<{ file: string; reason: string }>;
}

/** A figure with its interval; `successes`/`trials` for pooled proportions. */
export interface Figure extends Interval {
  successes?: number;
  trials?: number;
}

export interface ExtendedRow {
  model: string;
  mode: string;
  emotion: number;
  key: string | null;
  subset: string[];
  runs: number;
  files: { tokens: number; midi: number };
  figures: Record<string, Figure>;
}

export interface ModeComparison {
  model: string;
  a: string;
  b: string;
  metric: string;
  /** a - b over the grid cells (emotion, key, subset) both modes have. */
  comparison: PairedComparison;
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
  settings: { key_method_seed: string; key_method_best: string; bootstrap: { seed: number; resamples: number; confidence: number }; quality_resolution: number };
  definitions: Record<string, string>;
  rows: ExtendedRow[];
  modes: Array<{ model: string; mode: string; cells: number; files: { tokens: number; midi: number }; figures: Record<string, Figure> }>;
  paired: ModeComparison[];
  histograms: RunHistogram[];
  problems: Array<{ file: string; reason: string }>;
}

export const EXTENDED_DEFINITIONS: Record<string, string> = {
  '<token>_adherence': "seed's ratio: steps equal to the target / all CP steps; Wilson interval over pooled step counts",
  '<token>_note_adherence': 'steps whose `type` label is Note and equal the target / note steps; Wilson interval over pooled note steps',
  '<token>_note_distance': 'per file, mean |number(generated) - number(target)| over note steps; mean over files with a bootstrap interval',
  emotion_adherence: 'files whose predicted quadrant equals the requested emotion / files classified; Wilson interval',
  key_adherence: "files whose key (seed method, KK cosine) equals the requested key / files; Wilson interval",
  key_mirex: 'mean MIREX weighted key score (seed method) over files; bootstrap interval',
  key_adherence_best: 'as key_adherence with the recommended key method',
  key_mirex_best: 'as key_mirex with the recommended key method',
  quality_pitch_class_entropy: 'muspy pitch_class_entropy (bits), mean over files; bootstrap',
  quality_scale_consistency: 'muspy scale_consistency, mean over files; bootstrap',
  quality_pitch_range: 'muspy pitch_range (semitones), mean over files; bootstrap',
  quality_polyphony: 'muspy polyphony (mean pitches sounding when any sounds), mean over files; bootstrap',
  quality_empty_beat_rate: 'muspy empty_beat_rate, mean over files; bootstrap',
  quality_groove_consistency: 'muspy groove_consistency at 24 ticks per beat, mean over files; bootstrap',
  quality_note_density: 'pitched notes per beat, mean over files; bootstrap',
};

/** Python truthiness of a map (`{}` is false), as the seed picks conditions. */
const nonEmpty = (m: Record<string, number> | undefined): m is Record<string, number> => !!m && Object.keys(m).length > 0;
const message = (e: unknown) => (e as Error)?.message ?? String(e);

/**
 * Reads what the extended file needs from the run folders of an analysis: note-level adherence for the token
 * files the seed analysed, and quality metrics and keys for every MIDI file of every analysed run. Unreadable
 * files are listed in `problems`, never fatal.
 */
export async function collectExtendedInputs(
  analysis: Pick<AnalysisResult, 'tokenReports' | 'emotionKeyReports'>,
  options: { expDir: string; word2eventByModel: Record<string, Word2Event> | Map<string, Word2Event>; readMidi?: (path: string) => Promise<MidiScore> },
): Promise<ExtendedRunInput[]> {
  const w2e = (model: string): Word2Event | undefined =>
    options.word2eventByModel instanceof Map ? options.word2eventByModel.get(model) : Object.hasOwn(options.word2eventByModel, model) ? options.word2eventByModel[model] : undefined;
  const read = options.readMidi ?? readMidi;
  const byRun = new Map<RunLike, ExtendedRunInput>();
  const entry = (run: RunLike) => {
    let e = byRun.get(run);
    if (!e) byRun.set(run, (e = { run, tokenFiles: [], midiFiles: [], problems: [] }));
    return e;
  };
  for (const report of analysis.tokenReports) {
    const e = entry(report.run);
    const word2event = w2e(report.run.model);
    for (const f of report.files) {
      try {
        if (!word2event) throw new Error(`no word2event for model ${report.run.model}: note steps cannot be told apart`);
        const meta = await readMeta(f.meta);
        const targets = nonEmpty(meta.conditions_indices) ? meta.conditions_indices : nonEmpty(meta.force_indices) ? meta.force_indices : {};
        const tokens = await readNpy(meta.paths.npy);
        e.tokenFiles.push({ meta: f.meta, note: noteAdherence(tokens, meta.vocab_order, targets, word2event, f.meta) });
      } catch (err) {
        e.problems.push({ file: f.meta, reason: message(err) });
      }
    }
  }
  for (const report of analysis.emotionKeyReports) {
    const e = entry(report.run);
    const ea = report.emotion_adherence;
    if (ea && ea.total > 0) e.emotion = { matches: ea.matches, total: ea.total };
    let files: string[] = [];
    try {
      files = await listMidiFiles(resolveOutDir(options.expDir, report.run.out_dir));
    } catch (err) {
      e.problems.push({ file: report.run.out_dir, reason: message(err) });
    }
    for (const midi of files) {
      try {
        const score = await read(midi);
        e.midiFiles.push({
          midi,
          quality: qualityMetrics(score),
          keySeed: detectKeyWith(SEED_KEY_METHOD, score.notes).key,
          keyBest: detectKeyWith(RECOMMENDED_KEY_METHOD, score.notes).key,
        });
      } catch (err) {
        e.problems.push({ file: midi, reason: message(err) });
      }
    }
  }
  return [...byRun.values()];
}

/** Per-file raw values a row or mode summary is built from. */
interface Pool {
  counts: Map<string, { successes: number; trials: number }>;
  values: Map<string, number[]>;
}

const newPool = (): Pool => ({ counts: new Map(), values: new Map() });
function addCount(p: Pool, name: string, successes: number, trials: number): void {
  const c = p.counts.get(name) ?? { successes: 0, trials: 0 };
  c.successes += successes;
  c.trials += trials;
  p.counts.set(name, c);
}
/** Undefined values (NaN) are not averaged, but the metric is still listed (n = 0 when none is defined). */
function addValue(p: Pool, name: string, v: number): void {
  const list = p.values.get(name) ?? [];
  if (Number.isFinite(v)) list.push(v);
  p.values.set(name, list);
}

function poolRun(p: Pool, r: ExtendedRunInput): void {
  for (const f of r.tokenFiles) {
    for (const t of f.note) {
      addCount(p, `${t.token}_adherence`, t.allSteps.matches, t.allSteps.total);
      addCount(p, `${t.token}_note_adherence`, t.matches, t.noteSteps);
      if (t.distance) addValue(p, `${t.token}_note_distance`, t.distance.mean);
    }
  }
  if (r.emotion) addCount(p, 'emotion_adherence', r.emotion.matches, r.emotion.total);
  const ref = r.run.key ? tryParseKey(r.run.key) : null;
  if (ref) {
    for (const [suffix, pick] of [['', (m: ExtendedRunInput['midiFiles'][number]) => m.keySeed], ['_best', (m: ExtendedRunInput['midiFiles'][number]) => m.keyBest]] as const) {
      let hits = 0;
      for (const m of r.midiFiles) {
        const d = tryParseKey(pick(m));
        if (!d) continue;
        const s = mirexScore(d, ref);
        if (s === 1) hits++;
        addValue(p, `key_mirex${suffix}`, s);
      }
      addCount(p, `key_adherence${suffix}`, hits, r.midiFiles.length);
    }
  }
  for (const m of r.midiFiles) for (const name of QUALITY_METRIC_NAMES) addValue(p, `quality_${name}`, m.quality[name]);
}

function figuresOf(p: Pool, bootstrap: BootstrapOptions): Record<string, Figure> {
  const out: Record<string, Figure> = {};
  for (const [name, c] of [...p.counts.entries()].sort()) if (c.trials > 0) out[name] = { ...wilsonInterval(c.successes, c.trials), successes: c.successes, trials: c.trials };
  for (const [name, v] of [...p.values.entries()].sort()) out[name] = bootstrapMean(v, bootstrap);
  return out;
}

const cellKey = (run: RunLike) => JSON.stringify([run.emotion, run.key ?? null, run.subset]);
const rowKey = (run: RunLike) => JSON.stringify([run.model, run.mode, run.emotion, run.key ?? null, run.subset]);

/** Builds the extended results from collected inputs (pure; same inputs and seed give the same file). */
export function buildExtendedResults(inputs: readonly ExtendedRunInput[], options: BootstrapOptions = {}): ExtendedResults {
  const bootstrap = { seed: options.seed ?? DEFAULT_BOOTSTRAP_SEED, resamples: options.resamples ?? 2000, confidence: options.confidence ?? 0.95 };
  const rowPools = new Map<string, { run: RunLike; runs: number; tokenFiles: number; midi: number; pool: Pool }>();
  const modePools = new Map<string, { model: string; mode: string; cells: Set<string>; tokenFiles: number; midi: number; pool: Pool }>();
  for (const r of inputs) {
    const rk = rowKey(r.run);
    const row = rowPools.get(rk) ?? { run: r.run, runs: 0, tokenFiles: 0, midi: 0, pool: newPool() };
    row.runs++;
    row.tokenFiles += r.tokenFiles.length;
    row.midi += r.midiFiles.length;
    poolRun(row.pool, r);
    rowPools.set(rk, row);
    const mk = JSON.stringify([r.run.model, r.run.mode]);
    const mode = modePools.get(mk) ?? { model: r.run.model, mode: r.run.mode, cells: new Set<string>(), tokenFiles: 0, midi: 0, pool: newPool() };
    mode.cells.add(cellKey(r.run));
    mode.tokenFiles += r.tokenFiles.length;
    mode.midi += r.midiFiles.length;
    poolRun(mode.pool, r);
    modePools.set(mk, mode);
  }
  const rows: ExtendedRow[] = [...rowPools.values()].map((x) => ({
    model: x.run.model,
    mode: x.run.mode,
    emotion: x.run.emotion,
    key: x.run.key ?? null,
    subset: [...x.run.subset],
    runs: x.runs,
    files: { tokens: x.tokenFiles, midi: x.midi },
    figures: figuresOf(x.pool, bootstrap),
  }));
  const modes = [...modePools.values()].map((m) => ({ model: m.model, mode: m.mode, cells: m.cells.size, files: { tokens: m.tokenFiles, midi: m.midi }, figures: figuresOf(m.pool, bootstrap) }));

  // Paired comparisons: per model, every pair of modes, every metric both have; cells = (emotion, key, subset).
  const paired: ModeComparison[] = [];
  const models = [...new Set(rows.map((r) => r.model))];
  for (const model of models) {
    const modeNames = [...new Set(rows.filter((r) => r.model === model).map((r) => r.mode))];
    for (let i = 0; i < modeNames.length; i++) {
      for (let j = i + 1; j < modeNames.length; j++) {
        const a = modeNames[i]!;
        const b = modeNames[j]!;
        const cells = (mode: string) => rows.filter((r) => r.model === model && r.mode === mode);
        const metrics = new Set<string>();
        for (const r of cells(a)) for (const k of Object.keys(r.figures)) metrics.add(k);
        for (const metric of [...metrics].sort()) {
          const values = (mode: string) => new Map(cells(mode).filter((r) => r.figures[metric]).map((r) => [JSON.stringify([r.emotion, r.key, r.subset]), r.figures[metric]!.estimate]));
          const va = values(a);
          const vb = values(b);
          if (![...va.keys()].some((k) => vb.has(k))) continue;
          paired.push({ model, a, b, metric, comparison: pairedComparison(va, vb, bootstrap) });
        }
      }
    }
  }

  const histograms: RunHistogram[] = [];
  for (const r of inputs) {
    const byToken = new Map<string, RunHistogram>();
    for (const f of r.tokenFiles) {
      for (const t of f.note) {
        let h = byToken.get(t.token);
        if (!h) {
          h = { model: r.run.model, mode: r.run.mode, emotion: r.run.emotion, key: r.run.key ?? null, subset: [...r.run.subset], out_dir: r.run.out_dir, token: t.token, target: { index: t.targetIndex, label: t.targetLabel }, histogram: [] };
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
    settings: { key_method_seed: SEED_KEY_METHOD, key_method_best: RECOMMENDED_KEY_METHOD, bootstrap, quality_resolution: 24 },
    definitions: EXTENDED_DEFINITIONS,
    rows,
    modes,
    paired,
    histograms,
    problems: inputs.flatMap((r) => r.problems),
  };
}

/** JSON cannot hold NaN: undefined figures are written as null. */
function nanToNull(_key: string, value: unknown): unknown {
  return typeof value === 'number' && !Number.isFinite(value) ? null : value;
}

/** Writes `evaluation_results_extended.json` atomically (NaN written as null). */
export async function writeExtendedResults(path: string, results: ExtendedResults): Promise<void> {
  await writeJsonAtomic(path, JSON.parse(JSON.stringify(results, nanToNull)));
}

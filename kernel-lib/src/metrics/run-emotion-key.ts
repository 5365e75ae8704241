import { readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import pLimit, { type LimitFunction } from 'p-limit';
import type { ClassifierConfig } from '../config/types.js';
import { EmotuneError, errorMessage } from '../errors.js';
import { readMidi } from '../formats/midi-read.js';
import { readMeta } from '../formats/meta.js';
import type { MidiScore } from '../formats/types.js';
import { classifyMidi, type EmotionFailure, type EmotionOutcome, type EmotionPrediction } from './emotion-command.js';
import { normaliseKeyName } from '../formats/key-names.js';
import { detectKeySeed, keyScore } from './key-seed.js';
import { npMean } from './np-stats.js';
import { comparePythonStrings } from '../vocab/python-sort.js';

/**
 * Emotion and key adherence of one run folder (the seed's `compute_emotion_key_adherence(out_dir, emotion, key)`).
 *
 * Decisions:
 * - Files: the MIDI files the folder's meta files name (`listMidiFiles`), in code point order of their paths, so
 *   figures and the key distribution's order are deterministic.
 * - Emotion: `total` counts files the classifier answered; a file it failed on is kept in `failures` with its
 *   reason and counts nowhere. With no answer at all there is no `adherence_ratio` (the seed prints nothing).
 * - Key (only when an expected key is given): a MIDI file that cannot be read is kept in `failures` and counts
 *   nowhere; `mean_correlation` is the mean score of the expected key over the files read. The expected key
 *   may be spelled with flats (`Bb:maj`); matching uses the seed's sharp spelling.
 */

export interface EmotionAdherence {
  matches: number;
  total: number;
  /** matches / total; absent when no file was classified. */
  adherence_ratio?: number;
  predictions: EmotionPrediction[];
  failures: EmotionFailure[];
}

export interface KeyFileResult {
  file: string;
  key: string;
  score: number;
  expected_score: number;
}

export interface KeyAdherence {
  matches: number;
  total: number;
  adherence_ratio?: number;
  /** Detected key -> count, in order of first detection (file order). */
  key_distribution: Record<string, number>;
  /** Mean score of the expected key ("correlation"); absent when no file was read. */
  mean_correlation?: number;
  files: KeyFileResult[];
  failures: Array<{ file: string; reason: string }>;
}

export interface EmotionKeyResult {
  emotion: EmotionAdherence;
  key?: KeyAdherence;
  num_files: number;
}

export interface EmotionKeyOptions {
  /** Without a classifier, no emotion figure is computed. */
  classifier?: Pick<ClassifierConfig, 'command' | 'cwd' | 'timeout_s'>;
  /** Classifier processes at once (default 4). Results keep file order whatever finishes first. */
  concurrency?: number;
  /** A limiter shared with other folders (analyzeExperiment classifies several runs at once); wins over `concurrency`. */
  limit?: LimitFunction;
  /** For tests: replace the MIDI reader or the classifier. */
  readMidi?: (path: string) => Promise<MidiScore>;
  classify?: (midiPath: string) => Promise<EmotionOutcome>;
}

/** Python's `x == y` for the run's emotion and the prediction: numbers compare by value, nothing else matches. */
function sameEmotion(runEmotion: unknown, predicted: number): boolean {
  return typeof runEmotion === 'number'
    ? runEmotion === predicted
    : typeof runEmotion === 'boolean'
      ? Number(runEmotion) === predicted
      : false;
}

/**
 * The MIDI files of a run folder: every `*.mid` file in it (the seed's glob, so its figures stay the same) and
 * every file its `.meta.json` files name in `paths.midi`, whatever the extension (`.mid` or `.midi`); in a
 * folder without readable meta files, `*.midi` files too. Sorted by code point, each once. A named file that
 * is missing is kept, so reading it reports it. An unreadable folder is an EmotuneError.
 * @example
 * ```ts
 * const [first] = await et.listMidiFiles(et.resolveOutDir(config.paths.exp, record.out_dir));
 * if (first) await et.showMidiFile(first);
 * ```
 */
export async function listMidiFiles(outDir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(outDir);
  } catch (cause) {
    throw new EmotuneError('cannot list the run folder', {
      file: outDir,
      code: 'run.folder',
      found: errorMessage(cause),
      cause,
    });
  }
  const named = new Set<string>();
  for (const m of names.filter((n) => n.endsWith('.meta.json'))) {
    try {
      named.add((await readMeta(join(outDir, m))).paths.midi);
    } catch {
      // A broken meta file is reported by the token analysis, with its reason.
    }
  }
  const glob = named.size > 0 ? /\.mid$/ : /\.midi?$/i;
  const files = new Set([...names.filter((n) => glob.test(n)).map((n) => resolve(outDir, n)), ...named]);
  return [...files].sort(comparePythonStrings);
}

export async function computeEmotionKeyAdherence(
  outDir: string,
  emotion: unknown,
  key: string | null | undefined,
  opts: EmotionKeyOptions = {},
): Promise<EmotionKeyResult> {
  const files = await listMidiFiles(outDir);
  const emo: EmotionAdherence = { matches: 0, total: 0, predictions: [], failures: [] };
  const classify = opts.classify ?? (opts.classifier ? (f: string) => classifyMidi(f, opts.classifier!) : undefined);
  if (classify) {
    const limit = opts.limit ?? pLimit(Math.max(1, opts.concurrency ?? 4));
    const outcomes = await Promise.all(
      files.map((f) =>
        limit(() =>
          classify(f).catch((e: unknown): EmotionOutcome => ({ ok: false, file: f, reason: errorMessage(e) })),
        ),
      ),
    );
    for (const o of outcomes) {
      if (o.ok) {
        emo.predictions.push(o);
        emo.total++;
        if (sameEmotion(emotion, o.emotion)) emo.matches++;
      } else emo.failures.push(o);
    }
    if (emo.total > 0) emo.adherence_ratio = emo.matches / emo.total;
  }
  const result: EmotionKeyResult = { emotion: emo, num_files: files.length };
  if (key) {
    const expected = normaliseKeyName(key);
    const read = opts.readMidi ?? readMidi;
    const kr: KeyAdherence = { matches: 0, total: 0, key_distribution: {}, files: [], failures: [] };
    const scores: number[] = [];
    for (const f of files) {
      let score: MidiScore;
      try {
        score = await read(f);
      } catch (e) {
        kr.failures.push({ file: f, reason: errorMessage(e) });
        continue;
      }
      const det = detectKeySeed(score.notes);
      const expectedScore = keyScore(det.histogram, expected);
      kr.total++;
      if (det.key === expected) kr.matches++;
      kr.key_distribution[det.key] = (kr.key_distribution[det.key] ?? 0) + 1;
      scores.push(expectedScore);
      kr.files.push({ file: f, key: det.key, score: det.score, expected_score: expectedScore });
    }
    if (kr.total > 0) {
      kr.adherence_ratio = kr.matches / kr.total;
      kr.mean_correlation = npMean(scores);
    }
    result.key = kr;
  }
  return result;
}

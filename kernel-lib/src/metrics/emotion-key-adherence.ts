import type { MidiNote } from '../formats/types.js';
import type { EmotionFailure, EmotionOutcome, EmotionPrediction } from './emotion-command.js';
import { normaliseKeyName } from '../formats/key-names.js';
import { detectKeyReference, keyScore } from './key-reference.js';
import { npMean } from './np-stats.js';

/**
 * Emotion and key adherence of one run folder (the reference notebook's `compute_emotion_key_adherence(out_dir,
 * emotion, key)`): the tallies; edge/run-emotion-key.ts lists the folder, reads the files and runs the classifier.
 *
 * Decisions:
 * - Files: the MIDI files the folder's meta files name (`listMidiFiles`), in code point order of their paths, so
 *   figures and the key distribution's order are deterministic.
 * - Emotion: `total` counts files the classifier answered; a file it failed on is kept in `failures` with its
 *   reason and counts nowhere. With no answer at all there is no `adherence_ratio` (the reference notebook prints
 * nothing).
 * - Key (only when an expected key is given): a MIDI file that cannot be read is kept in `failures` and counts
 *   nowhere; `mean_correlation` is the mean score of the expected key over the files read. The expected key
 *   may be spelled with flats (`Bb:maj`); matching uses the reference notebook's sharp spelling.
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

/** Python's `x == y` for the run's emotion and the prediction: numbers compare by value, nothing else matches. */
function sameEmotion(runEmotion: unknown, predicted: number): boolean {
  return typeof runEmotion === 'number'
    ? runEmotion === predicted
    : typeof runEmotion === 'boolean'
      ? Number(runEmotion) === predicted
      : false;
}

/** Emotion adherence of a run's classifier outcomes (in file order): failures are kept and count nowhere. */
export function emotionAdherence(emotion: unknown, outcomes: readonly EmotionOutcome[]): EmotionAdherence {
  const emo: EmotionAdherence = { matches: 0, total: 0, predictions: [], failures: [] };
  for (const o of outcomes) {
    if (o.ok) {
      emo.predictions.push(o);
      emo.total++;
      if (sameEmotion(emotion, o.emotion)) emo.matches++;
    } else emo.failures.push(o);
  }
  if (emo.total > 0) emo.adherence_ratio = emo.matches / emo.total;
  return emo;
}

/** The detected key of one file's notes and the score of the expected key (sharps or flats accepted). */
export function keyFileResult(
  file: string,
  notes: ReadonlyArray<Pick<MidiNote, 'pitch' | 'start' | 'end'>>,
  expectedKey: string,
): KeyFileResult {
  const det = detectKeyReference(notes);
  return { file, key: det.key, score: det.score, expected_score: keyScore(det.histogram, expectedKey) };
}

/** Key adherence of a run's files (in file order) against the expected key; unreadable files count nowhere. */
export function keyAdherence(
  expectedKey: string,
  files: readonly KeyFileResult[],
  failures: KeyAdherence['failures'] = [],
): KeyAdherence {
  const expected = normaliseKeyName(expectedKey);
  const kr: KeyAdherence = { matches: 0, total: 0, key_distribution: {}, files: [...files], failures: [...failures] };
  for (const f of files) {
    kr.total++;
    if (f.key === expected) kr.matches++;
    kr.key_distribution[f.key] = (kr.key_distribution[f.key] ?? 0) + 1;
  }
  if (kr.total > 0) {
    kr.adherence_ratio = kr.matches / kr.total;
    kr.mean_correlation = npMean(files.map((f) => f.expected_score));
  }
  return kr;
}

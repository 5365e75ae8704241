import type { GenerationMeta, IntArray, MidiScore, Word2Event } from '../formats/types.js';
import { computeFeatures } from '../metrics/emotion-builtin/features.js';
import { RECOMMENDED_KEY_METHOD, REFERENCE_KEY_METHOD, detectKeyWith } from '../metrics/key-methods/methods.js';
import { noteAdherence, type NoteAdherence } from '../metrics/note-adherence.js';
import { qualityOfMidi, type QualityMetrics } from '../metrics/quality/index.js';
import { listMidiFiles } from '../metrics/edge/run-emotion-key.js';
import { songIdentity, type SongIdentity } from './song-identity.js';

/**
 * Per-file figures of the extended results, computed while the reference notebook's analysis has a file parsed, so the
 * extended results need not read it again (the figures are small; the parsed files are not kept).
 */
export interface MidiFigures {
  /** muspy's own reading of the file's bytes (FIFO pairing, half-to-even rounding). */
  quality: QualityMetrics;
  keyReference: string;
  keyBest: string;
  /** The note stream, to find copies of a song (warnings, n_distinct). */
  identity: SongIdentity;
  /** The built-in classifier's input features (checked against its training ranges); absent when none can be computed. */
  features?: Record<string, number>;
}

/** A meta file's note-level adherence and the MIDI file it names. */
export interface NoteFigures {
  note: NoteAdherence[];
  midi: string;
}

/** Figures by file path: a meta file's note-level adherence, a MIDI file's quality metrics and keys. */
export interface FileFigures {
  note: Map<string, NoteFigures>;
  midi: Map<string, MidiFigures>;
  /** The MIDI files of each run folder the analysis listed (by folder path), so later stages list none again. */
  folders?: Map<string, string[]>;
}

/** Files an analysis reads at once: enough to keep the disk busy while figures are computed, bounded for memory. */
export const READS_IN_FLIGHT = 16;

export const newFileFigures = (): FileFigures => ({ note: new Map(), midi: new Map(), folders: new Map() });

/** The MIDI files of a run folder: as the analysis listed them, else listed now (listMidiFiles). */
export async function midiFilesOf(figures: FileFigures | undefined, outDir: string): Promise<string[]> {
  return figures?.folders?.get(outDir) ?? listMidiFiles(outDir);
}

/** Python truthiness of a map (`{}` is false), as the reference notebook picks conditions. */
const nonEmpty = (m: Record<string, number> | undefined): m is Record<string, number> =>
  !!m && Object.keys(m).length > 0;

/** Note-level adherence of one token file: the reference notebook's targets (conditions, else forced values). */
export function noteFigures(
  meta: GenerationMeta,
  tokens: IntArray,
  word2event: Word2Event,
  metaPath: string,
): NoteFigures {
  const targets = nonEmpty(meta.conditions_indices)
    ? meta.conditions_indices
    : nonEmpty(meta.force_indices)
      ? meta.force_indices
      : {};
  return { note: noteAdherence(tokens, meta.vocab_order, targets, word2event, metaPath), midi: meta.paths.midi };
}

/** The figures of one MIDI file: its parsed score (keys, identity, features) and its bytes (muspy's quality reading). */
export function midiFigures(score: MidiScore, bytes: Uint8Array, file: string): MidiFigures {
  let features: Record<string, number> | undefined;
  try {
    features = { ...computeFeatures(score, file) } as Record<string, number>;
  } catch {
    features = undefined; // a song without pitched notes has no features: nothing to check
  }
  return {
    quality: qualityOfMidi(bytes, file),
    keyReference: detectKeyWith(REFERENCE_KEY_METHOD, score.notes).key,
    keyBest: detectKeyWith(RECOMMENDED_KEY_METHOD, score.notes).key,
    identity: songIdentity(score.notes),
    ...(features ? { features } : {}),
  };
}

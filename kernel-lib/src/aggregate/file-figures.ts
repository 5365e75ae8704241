import type { GenerationMeta, IntArray, MidiScore, Word2Event } from '../formats/types.js';
import { RECOMMENDED_KEY_METHOD, SEED_KEY_METHOD, detectKeyWith } from '../metrics/key-methods/methods.js';
import { noteAdherence, type NoteAdherence } from '../metrics/note-adherence.js';
import { qualityMetrics, type QualityMetrics } from '../metrics/quality/index.js';

/**
 * Per-file figures of the extended results, computed while the seed's analysis has a file parsed, so the
 * extended results need not read it again (the figures are small; the parsed files are not kept).
 */
export interface MidiFigures {
  quality: QualityMetrics;
  keySeed: string;
  keyBest: string;
}

/** Figures by file path: a meta file's note-level adherence, a MIDI file's quality metrics and keys. */
export interface FileFigures {
  note: Map<string, NoteAdherence[]>;
  midi: Map<string, MidiFigures>;
}

/** Files an analysis reads at once: enough to keep the disk busy while figures are computed, bounded for memory. */
export const READS_IN_FLIGHT = 16;

export const newFileFigures = (): FileFigures => ({ note: new Map(), midi: new Map() });

/** Python truthiness of a map (`{}` is false), as the seed picks conditions. */
const nonEmpty = (m: Record<string, number> | undefined): m is Record<string, number> => !!m && Object.keys(m).length > 0;

/** Note-level adherence of one token file: the targets the seed picks (conditions, else forced values). */
export function noteFigures(meta: GenerationMeta, tokens: IntArray, word2event: Word2Event, metaPath: string): NoteAdherence[] {
  const targets = nonEmpty(meta.conditions_indices) ? meta.conditions_indices : nonEmpty(meta.force_indices) ? meta.force_indices : {};
  return noteAdherence(tokens, meta.vocab_order, targets, word2event, metaPath);
}

export function midiFigures(score: MidiScore): MidiFigures {
  return { quality: qualityMetrics(score), keySeed: detectKeyWith(SEED_KEY_METHOD, score.notes).key, keyBest: detectKeyWith(RECOMMENDED_KEY_METHOD, score.notes).key };
}

import type { EmotionFeatures } from './features.js';
import { parseEmopiaLabels, type EmopiaClip } from '../../formats/emopia-labels.js';

// The examples the classifier learns from; edge/emopia-dataset.ts reads them from an EMOPIA folder.

export { parseEmopiaLabels, type EmopiaClip };

export interface LabelledFeatures {
  file: string;
  quadrant: 1 | 2 | 3 | 4;
  /** The song the clip was cut from (cross-validation keeps a song's clips in one fold). */
  songId?: string;
  features: EmotionFeatures;
  /** Features of transformed copies of the clip (augmentations or robustness variants), by variant name. */
  variants?: Record<string, EmotionFeatures>;
}

/** The song a clip was cut from: its song id, or the clip itself when labels.csv names no song. */
export function songOf(e: Pick<LabelledFeatures, 'songId' | 'file'>): string {
  return e.songId ?? e.file;
}
